import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { useToast } from '../components/toast-context';
import { VersionedDeleteDialog } from '../editor/VersionedDeleteDialog';
import { deletedRow, type RowWrite, STREAM_DELETE_FINAL } from '../staging/edit-history';
import { historyStore } from '../staging/history-store';
import { asField, useViewAs } from '../view-as/view-as-store';
import type { Row } from '../../../shared/browse';
import type { DataTableDescription } from './DataRowActions';

interface DeleteRowDialogProps {
  description: DataTableDescription;
  rowKey: string;
  /** Several selected rows (the one named by `rowKey` among them): one confirmation for them all. */
  rows?: readonly Row[] | undefined;
  readOnly: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

const countRows = (n: number) => (n === 1 ? '1 row' : `${n} rows`);

/**
 * Confirms deleting a data-table row, or the selected rows, in the current "view as" identity; a
 * delete is a step of the table's edit history (a final one for stream rows: see STREAM_DELETE_FINAL).
 */
export function DeleteRowDialog({ description, rowKey, rows, readOnly, onClose, onDeleted }: DeleteRowDialogProps) {
  const table = description.table;
  const as = asField(useViewAs()).as;
  const columns = description.definition.columns.map((c) => c.name);
  const recordDeleted = (deleted: readonly RowWrite[]) => {
    if (deleted.length === 0) return;
    const label = deleted.length === 1 ? `Delete row ${deleted[0]?.key ?? ''}` : `Delete ${deleted.length} rows`;
    historyStore.record(
      table,
      description.kind === 'stream' ? { kind: 'final', label, reason: STREAM_DELETE_FINAL } : { kind: 'written', label, rows: deleted },
    );
  };
  const remove = useMutation(orpc.rows.delete.mutationOptions());
  // The rows as shown when the confirmation opened: what is confirmed (a live change after it is a conflict).
  const [confirmed] = useState(rows);
  if (confirmed && confirmed.length > 1)
    return (
      <DeleteRowsDialog
        table={table}
        rows={confirmed}
        readOnly={readOnly}
        onClose={onClose}
        onDeleted={onDeleted}
        record={(deleted) => recordDeleted(deleted.map((r) => deletedRow(columns, r, as)))}
      />
    );
  return (
    <VersionedDeleteDialog
      title={`Delete row ${rowKey}?`}
      description={<p>The row is removed from {table}.</p>}
      table={table}
      rowKey={rowKey}
      readOnly={readOnly}
      remove={async (version, stored) => {
        const done = await remove.mutateAsync({ table, key: rowKey, ...(version !== undefined ? { version } : {}) });
        if (stored) recordDeleted([deletedRow(columns, { key: stored.row.key, values: stored.row.values, version: stored.version }, as)]);
        return done;
      }}
      removing={remove.isPending}
      successMessage={`Deleted row ${rowKey}.`}
      conflictMessage="This row was changed after you selected it. Delete it anyway?"
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}

/**
 * One confirmation for several rows: each is deleted at the version shown when it opened. Rows
 * changed since are left and listed, with "Delete anyway" (each read again and deleted as stored).
 */
function DeleteRowsDialog({
  table,
  rows,
  readOnly,
  onClose,
  onDeleted,
  record,
}: {
  table: string;
  rows: readonly Row[];
  readOnly: boolean;
  onClose: () => void;
  onDeleted: () => void;
  record: (deleted: readonly Row[]) => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState<readonly Row[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [deletedSoFar, setDeletedSoFar] = useState(0);

  async function submit(anyway: boolean): Promise<void> {
    setBusy(true);
    setError(undefined);
    const targets = anyway ? changed : rows;
    const deleted: Row[] = [];
    const stale: Row[] = [];
    let failure: string | undefined;
    try {
      for (const row of targets) {
        try {
          // "Anyway" deletes what is stored now, read first so that an undo brings that back.
          const at = anyway ? await client.rows.get({ table, key: row.key }).then((r) => ({ ...r.row, version: r.version })) : row;
          await client.rows.delete({ table, key: at.key, version: at.version });
          deleted.push(at);
        } catch (e) {
          if (errorCode(e) === 'CONFLICT') stale.push(row);
          else if (errorCode(e) !== 'NOT_FOUND') failure ??= errorMessage(e);
        }
      }
      record(deleted);
      const total = deletedSoFar + deleted.length;
      setDeletedSoFar(total);
      if (deleted.length > 0) await invalidateTable(queryClient, table);
      if (stale.length === 0 && failure === undefined) {
        toast.show({ kind: 'success', message: `Deleted ${countRows(total)}.` });
        onDeleted();
        return;
      }
      setChanged(stale);
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const keys = rows.map((r) => r.key);
  return (
    <Dialog
      title={`Delete ${countRows(rows.length)}?`}
      role="alertdialog"
      size="small"
      onClose={onClose}
      description={
        <p>
          The selected rows are removed from {table}: {keys.length > 8 ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more` : keys.join(', ')}.
        </p>
      }
      footer={
        <DialogFooter onCancel={onClose}>
          {changed.length > 0 ? (
            <button type="button" className="button button--danger" disabled={busy || readOnly} onClick={() => void submit(true)}>
              Delete anyway
            </button>
          ) : (
            <button type="button" className="button button--danger" disabled={busy || readOnly || deletedSoFar > 0} onClick={() => void submit(false)}>
              {busy ? 'Deleting…' : `Delete ${countRows(rows.length)}`}
            </button>
          )}
        </DialogFooter>
      }
    >
      <ReadOnlyNotice readOnly={readOnly} consequence="nothing can be deleted." />
      {changed.length > 0 ? (
        <Alert kind="warning">
          {deletedSoFar > 0 ? `Deleted ${countRows(deletedSoFar)}. ` : ''}
          {changed.length === 1 ? `Row ${changed[0]?.key ?? ''} was` : `Rows ${changed.map((r) => r.key).join(', ')} were`} changed after you selected{' '}
          {changed.length === 1 ? 'it' : 'them'}. Delete {changed.length === 1 ? 'it' : 'them'} anyway?
        </Alert>
      ) : null}
      {error !== undefined ? <Alert kind="error">{error}</Alert> : null}
    </Dialog>
  );
}
