import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import type { EditableTable } from './editable';
import { VersionedDeleteDialog } from './VersionedDeleteDialog';

interface DeleteDialogProps {
  editable: EditableTable;
  rowKey: string;
  readOnly: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

const CONSEQUENCES: Record<EditableTable['name'], string> = {
  users: 'The user is marked as deleted and can no longer sign in.',
  namespaces: 'A namespace that still has tables cannot be deleted unless its tables are deleted with it.',
  storages: 'A storage still used by tables or users cannot be deleted.',
  schedules: 'The schedule stops; the backups it made stay where they are.',
};

/** Confirms deleting a system-table entity; namespaces may cascade to their tables. */
export function DeleteDialog({ editable, rowKey, readOnly, onClose, onDeleted }: DeleteDialogProps) {
  const [cascade, setCascade] = useState(false);
  const remove = useMutation(orpc.entities.delete.mutationOptions());
  const isNamespace = editable.name === 'namespaces';
  return (
    <VersionedDeleteDialog
      title={`Delete ${editable.noun} ${rowKey}?`}
      description={<p>{CONSEQUENCES[editable.name]}</p>}
      table={editable.table}
      rowKey={rowKey}
      readOnly={readOnly}
      remove={(version) =>
        remove.mutateAsync({
          table: editable.table,
          key: rowKey,
          ...(version !== undefined ? { version } : {}),
          ...(isNamespace && cascade ? { cascade: true } : {}),
        })
      }
      removing={remove.isPending}
      successMessage={`Deleted ${editable.noun} ${rowKey}.`}
      conflictMessage={`This ${editable.noun} was changed after you selected it. Delete it anyway?`}
      describeError={(error) =>
        errorCode(error) === 'IN_USE' && isNamespace ? `${errorMessage(error)} — tick "Cascade" to delete its tables too.` : errorMessage(error)
      }
      onClose={onClose}
      onDeleted={onDeleted}
    >
      {isNamespace ? (
        <label className="checkbox">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} />
          <span>Cascade: also delete every table in this namespace</span>
        </label>
      ) : null}
    </VersionedDeleteDialog>
  );
}
