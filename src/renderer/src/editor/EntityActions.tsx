import type { VersionedRow } from '../../../shared/contract';
import type { EditableTable } from './editable';
import type { EditorMode } from './EntityFormDialog';
import { DeleteDialog } from './DeleteDialog';
import { EditorDialog, type EditorRequest } from './EditorDialog';
import { SetPasswordDialog } from './SetPasswordDialog';

export type EntityDialog = EditorRequest | { mode: 'delete'; key: string } | { mode: 'password'; key: string };

interface EntityActionsProps {
  editable: EditableTable;
  selectedKey: string | undefined;
  readOnly: boolean;
  /** The dialog to show, owned by the browser so that Enter on a row can open the editor. */
  dialog: EntityDialog | undefined;
  onDialog: (dialog: EntityDialog | undefined) => void;
  /** A row was created, cloned or edited: the browser shows and selects it. */
  onSaved: (row: VersionedRow, mode: EditorMode) => void;
  onDeleted: (key: string) => void;
}

/** New / Edit / Clone / Delete (and Set password for users) for the selected row, with their dialogs. */
export function EntityActions({ editable, selectedKey, readOnly, dialog, onDialog, onSaved, onDeleted }: EntityActionsProps) {
  const noRow = selectedKey === undefined;
  const writeTitle = readOnly ? 'Read-only mode is on' : undefined;
  const rowTitle = (action: string) => writeTitle ?? (noRow ? `Select a row to ${action} it` : undefined);
  const close = () => onDialog(undefined);

  return (
    <>
      <div className="toolbar" role="toolbar" aria-label={`${editable.noun} actions`}>
        <button type="button" className="button button--primary" disabled={readOnly} title={writeTitle} onClick={() => onDialog({ mode: 'create' })}>
          New
        </button>
        <button
          type="button"
          className="button"
          disabled={readOnly || noRow}
          title={rowTitle('edit')}
          onClick={() => selectedKey !== undefined && onDialog({ mode: 'edit', key: selectedKey })}
        >
          Edit
        </button>
        <button
          type="button"
          className="button"
          disabled={readOnly || noRow}
          title={rowTitle('clone')}
          onClick={() => selectedKey !== undefined && onDialog({ mode: 'clone', key: selectedKey })}
        >
          Clone
        </button>
        {editable.name === 'users' ? (
          <button
            type="button"
            className="button"
            disabled={readOnly || noRow}
            title={rowTitle('set a password for')}
            onClick={() => selectedKey !== undefined && onDialog({ mode: 'password', key: selectedKey })}
          >
            Set password
          </button>
        ) : null}
        <button
          type="button"
          className="button button--danger-outline"
          disabled={readOnly || noRow}
          title={rowTitle('delete')}
          onClick={() => selectedKey !== undefined && onDialog({ mode: 'delete', key: selectedKey })}
        >
          Delete
        </button>
      </div>

      {dialog?.mode === 'create' || dialog?.mode === 'edit' || dialog?.mode === 'clone' ? (
        <EditorDialog
          editable={editable}
          request={dialog}
          readOnly={readOnly}
          onClose={close}
          onSaved={(row, mode) => {
            close();
            onSaved(row, mode);
          }}
        />
      ) : null}
      {dialog?.mode === 'delete' ? (
        <DeleteDialog
          editable={editable}
          rowKey={dialog.key}
          readOnly={readOnly}
          onClose={close}
          onDeleted={() => {
            close();
            onDeleted(dialog.key);
          }}
        />
      ) : null}
      {dialog?.mode === 'password' ? <SetPasswordDialog userId={dialog.key} readOnly={readOnly} onClose={close} /> : null}
    </>
  );
}
