import { useMutation } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { VersionedDeleteDialog } from '../editor/VersionedDeleteDialog';

interface DeleteRowDialogProps {
  table: string;
  rowKey: string;
  readOnly: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

/** Confirms deleting a data-table row, in the current "view as" identity. */
export function DeleteRowDialog({ table, rowKey, readOnly, onClose, onDeleted }: DeleteRowDialogProps) {
  const remove = useMutation(orpc.rows.delete.mutationOptions());
  return (
    <VersionedDeleteDialog
      title={`Delete row ${rowKey}?`}
      description={<p>The row is removed from {table}.</p>}
      table={table}
      rowKey={rowKey}
      readOnly={readOnly}
      remove={(version) => remove.mutateAsync({ table, key: rowKey, ...(version !== undefined ? { version } : {}) })}
      removing={remove.isPending}
      successMessage={`Deleted row ${rowKey}.`}
      conflictMessage="This row was changed after you selected it. Delete it anyway?"
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}
