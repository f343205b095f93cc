import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter } from '../components/DialogFooter';
import { useToast } from '../components/toast-context';
import type { VersionedRow } from '../../../shared/contract';

interface VersionedDeleteDialogProps {
  title: string;
  description: ReactNode;
  table: string;
  rowKey: string;
  readOnly: boolean;
  /** Deletes the row; `version` is the one shown, or undefined to delete whatever is stored; `stored`: the row as last read (what an undo brings back). */
  remove: (version: string | undefined, stored: VersionedRow | undefined) => Promise<unknown>;
  removing: boolean;
  successMessage: string;
  conflictMessage: string;
  /** How a failure other than a version conflict is worded (default: the server's message). */
  describeError?: (error: unknown) => string;
  onClose: () => void;
  onDeleted: () => void;
  /** Extra options shown under the row's read error (e.g. a cascade checkbox). */
  children?: ReactNode;
}

/**
 * Confirms deleting a row at the version shown; a newer stored version asks again ("Delete anyway").
 * The version deleted is the stored one: it waits for a fresh read, not a cached one.
 */
export function VersionedDeleteDialog(props: VersionedDeleteDialogProps) {
  const { table, rowKey, readOnly, remove, removing, onClose, onDeleted, describeError = errorMessage } = props;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<unknown>();
  const row = useQuery({ ...orpc.rows.get.queryOptions({ input: { table, key: rowKey } }), staleTime: 0, refetchOnMount: 'always' });
  const conflict = errorCode(error) === 'CONFLICT';

  async function submit(ignoreVersion: boolean): Promise<void> {
    setError(undefined);
    try {
      await remove(row.data && !ignoreVersion ? row.data.version : undefined, row.data);
      toast.show({ kind: 'success', message: props.successMessage });
      await invalidateTable(queryClient, table);
      onDeleted();
    } catch (e) {
      setError(e);
      if (errorCode(e) === 'CONFLICT') void row.refetch();
    }
  }

  return (
    <Dialog
      title={props.title}
      role="alertdialog"
      size="small"
      onClose={onClose}
      description={props.description}
      footer={
        <DialogFooter onCancel={onClose}>
          {conflict ? (
            <button type="button" className="button button--danger" disabled={removing || readOnly} onClick={() => void submit(true)}>
              Delete anyway
            </button>
          ) : (
            <button
              type="button"
              className="button button--danger"
              disabled={removing || readOnly || row.isFetching || row.isError}
              onClick={() => void submit(false)}
            >
              {removing ? 'Deleting…' : 'Delete'}
            </button>
          )}
        </DialogFooter>
      }
    >
      {row.isError ? <Alert kind="error">{errorMessage(row.error)}</Alert> : null}
      {props.children}
      <ReadOnlyNotice readOnly={readOnly} consequence="nothing can be deleted." />
      {error !== undefined ? <Alert kind={conflict ? 'warning' : 'error'}>{conflict ? props.conflictMessage : describeError(error)}</Alert> : null}
    </Dialog>
  );
}
