import type { EditableTable } from './editable';
import type { EditorMode } from './EntityFormDialog';
import { DeleteDialog } from './DeleteDialog';
import { EditorDialog, type EditorRequest } from './EditorDialog';
import { type RowActionsProps, rowDialogOutcomes } from './row-dialogs';
import { RowActionsToolbar } from './RowActionsToolbar';
import { SetPasswordDialog } from './SetPasswordDialog';
import { useReadOnlyText } from '../app/gates';

const PASSWORD_ACTION = [{ mode: 'password', label: 'Set password', verb: 'set a password for' }] as const;

export type EntityDialog = EditorRequest | { mode: 'delete'; key: string } | { mode: 'password'; key: string };

interface EntityActionsProps extends RowActionsProps<EntityDialog, EditorMode> {
  editable: EditableTable;
  /** The selected row's values: a retired row (a deleted user) cannot be edited or deleted. */
  selectedValues: Readonly<Record<string, unknown>> | undefined;
}

/** New / Edit / Clone / Delete (and Set password for users) for the selected row, with their dialogs. */
export function EntityActions({ editable, selectedKey, selectedValues, readOnly, dialog, onDialog, onSaved, onDeleted }: EntityActionsProps) {
  const { close, saved, deleted } = rowDialogOutcomes({ onDialog, onSaved, onDeleted });
  const readOnlyText = useReadOnlyText(readOnly);

  return (
    <>
      <RowActionsToolbar
        label={`${editable.noun} actions`}
        newLabel="New"
        blocked={readOnlyText}
        selectedKey={selectedKey}
        onNew={() => onDialog({ mode: 'create' })}
        onRow={(mode, key) => onDialog({ mode, key })}
        retired={selectedValues && editable.retired(selectedValues)?.reason}
        extra={editable.name === 'users' ? PASSWORD_ACTION : []}
      />

      {dialog?.mode === 'create' || dialog?.mode === 'edit' || dialog?.mode === 'clone' ? (
        <EditorDialog editable={editable} request={dialog} readOnly={readOnly} onClose={close} onSaved={saved} />
      ) : null}
      {dialog?.mode === 'delete' ? (
        <DeleteDialog editable={editable} rowKey={dialog.key} readOnly={readOnly} onClose={close} onDeleted={() => deleted(dialog.key)} />
      ) : null}
      {dialog?.mode === 'password' ? <SetPasswordDialog userId={dialog.key} readOnly={readOnly} onClose={close} /> : null}
    </>
  );
}
