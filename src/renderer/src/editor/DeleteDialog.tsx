import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { useToast } from '../components/toast-context';
import type { EditableTable } from './editable';

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
};

/** Confirms a delete; namespaces may cascade to their tables. Deletes the version that was shown. */
export function DeleteDialog({ editable, rowKey, readOnly, onClose, onDeleted }: DeleteDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [cascade, setCascade] = useState(false);
  const [error, setError] = useState<unknown>();
  // The version deleted is the stored one: wait for a fresh read, not a cached one.
  const row = useQuery({ ...orpc.rows.get.queryOptions({ input: { table: editable.table, key: rowKey } }), staleTime: 0, refetchOnMount: 'always' });
  const remove = useMutation(orpc.entities.delete.mutationOptions());
  const conflict = errorCode(error) === 'CONFLICT';

  async function submit(ignoreVersion: boolean): Promise<void> {
    setError(undefined);
    try {
      await remove.mutateAsync({
        table: editable.table,
        key: rowKey,
        ...(row.data && !ignoreVersion ? { version: row.data.version } : {}),
        ...(editable.name === 'namespaces' && cascade ? { cascade: true } : {}),
      });
      toast.show({ kind: 'success', message: `Deleted ${editable.noun} ${rowKey}.` });
      await invalidateTable(queryClient, editable.table);
      onDeleted();
    } catch (e) {
      setError(e);
      if (errorCode(e) === 'CONFLICT') void row.refetch();
    }
  }

  return (
    <Dialog
      title={`Delete ${editable.noun} ${rowKey}?`}
      role="alertdialog"
      size="small"
      onClose={onClose}
      description={<p>{CONSEQUENCES[editable.name]}</p>}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {conflict ? (
            <button type="button" className="button button--danger" disabled={remove.isPending || readOnly} onClick={() => void submit(true)}>
              Delete anyway
            </button>
          ) : (
            <button type="button" className="button button--danger" disabled={remove.isPending || readOnly || row.isFetching || row.isError} onClick={() => void submit(false)}>
              {remove.isPending ? 'Deleting…' : 'Delete'}
            </button>
          )}
        </>
      }
    >
      {row.isError ? <Alert kind="error">{errorMessage(row.error)}</Alert> : null}
      {editable.name === 'namespaces' ? (
        <label className="checkbox">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} />
          <span>Cascade: also delete every table in this namespace</span>
        </label>
      ) : null}
      {readOnly ? (
        <Alert kind="warning" live={false}>
          Read-only mode is on: nothing can be deleted.
        </Alert>
      ) : null}
      {error !== undefined ? (
        <Alert kind={conflict ? 'warning' : 'error'}>
          {conflict
            ? `This ${editable.noun} was changed after you selected it. Delete it anyway?`
            : errorCode(error) === 'IN_USE' && editable.name === 'namespaces'
              ? `${errorMessage(error)} — tick "Cascade" to delete its tables too.`
              : errorMessage(error)}
        </Alert>
      ) : null}
    </Dialog>
  );
}
