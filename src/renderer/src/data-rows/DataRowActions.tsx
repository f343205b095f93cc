import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { type RowActionsProps, rowDialogOutcomes } from '../editor/row-dialogs';
import { RowActionsToolbar } from '../editor/RowActionsToolbar';
import type { TableDescription, VersionedRow } from '../../../shared/contract';
import type { Row } from '../../../shared/browse';
import type { TableMetadata } from '../../../shared/system/tables';
import { DataRowDialog } from './DataRowDialog';
import { DeleteRowDialog } from './DeleteRowDialog';
import type { RowFormMode } from './row-fields';
import { useReadOnlyText } from '../app/gates';

export type RowDialog = { mode: 'create' } | { mode: 'edit' | 'clone' | 'delete'; key: string };

export type DataTableDescription = TableDescription & { definition: TableMetadata };

interface DataRowActionsProps extends RowActionsProps<RowDialog, RowFormMode> {
  description: DataTableDescription;
  /** The grid's selected rows: Delete (the button and the key) deletes them all when the row it names is among them. */
  selectedRows?: readonly Row[] | undefined;
}

/** New / Edit / Clone / Delete for the selected row of a data table, as the viewed-as subject. */
export function DataRowActions({ description, selectedKey, selectedRows, readOnly, dialog, onDialog, onSaved, onDeleted }: DataRowActionsProps) {
  const readOnlyText = useReadOnlyText(readOnly);
  const blocked = readOnlyText ?? (!description.canWrite ? 'The subject viewed as may not write this table' : undefined);
  const { close, saved, deleted } = rowDialogOutcomes({ onDialog, onSaved, onDeleted });

  return (
    <>
      <RowActionsToolbar
        label="Row actions"
        newLabel="New row"
        blocked={blocked}
        selectedKey={selectedKey}
        onNew={() => onDialog({ mode: 'create' })}
        onRow={(mode, key) => onDialog({ mode, key })}
        editBlocked={description.kind === 'stream' ? 'Stream rows cannot change' : undefined}
      />
      {dialog?.mode === 'create' ? <DataRowDialog description={description} mode="create" readOnly={readOnly} onClose={close} onSaved={saved} /> : null}
      {dialog?.mode === 'edit' || dialog?.mode === 'clone' ? (
        <LoadedRowDialog description={description} mode={dialog.mode} rowKey={dialog.key} readOnly={readOnly} onClose={close} onSaved={saved} />
      ) : null}
      {dialog?.mode === 'delete' ? (
        <DeleteRowDialog
          description={description}
          rowKey={dialog.key}
          rows={selectedRows?.some((r) => r.key === dialog.key) ? selectedRows : undefined}
          readOnly={readOnly}
          onClose={close}
          onDeleted={() => deleted(dialog.key)}
        />
      ) : null}
    </>
  );
}

function LoadedRowDialog({
  description,
  mode,
  rowKey,
  readOnly,
  onClose,
  onSaved,
}: {
  description: DataTableDescription;
  mode: 'edit' | 'clone';
  rowKey: string;
  readOnly: boolean;
  onClose: () => void;
  onSaved: (row: VersionedRow, mode: RowFormMode) => void;
}) {
  // The stored row, not a cached one: an edit must hold the version it starts from.
  const row = useQuery({ ...orpc.rows.get.queryOptions({ input: { table: description.table, key: rowKey } }), staleTime: 0, refetchOnMount: 'always' });
  // Held once loaded: live refetches must not reset a form being edited.
  const [source, setSource] = useState<VersionedRow | undefined>();
  if (source === undefined && row.data !== undefined && !row.isFetching) setSource(row.data);
  if (source) return <DataRowDialog description={description} mode={mode} source={source} readOnly={readOnly} onClose={onClose} onSaved={onSaved} />;
  return (
    <Dialog title={`${mode === 'edit' ? 'Edit' : 'Clone'} row ${rowKey}`} onClose={onClose}>
      {row.isError ? <Alert kind="error">{errorMessage(row.error)}</Alert> : <p className="muted">Loading…</p>}
    </Dialog>
  );
}
