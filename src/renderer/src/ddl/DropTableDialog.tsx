import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useReadOnly } from '../app/engine';
import { navigate } from '../app/use-route';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter } from '../components/DialogFooter';
import { useToast } from '../components/toast-context';
import { TextField } from './TextField';

/** Drops a table and all its rows, after the user types its name (nothing can bring it back). */
export function DropTableDialog({ table, kind, onClose }: { table: string; kind: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const readOnly = useReadOnly();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();
  const drop = useMutation(orpc.ddl.dropTable.mutationOptions());
  const namespace = table.slice(0, table.indexOf('.'));

  async function submit(): Promise<void> {
    setError(undefined);
    try {
      await drop.mutateAsync({ table });
      await queryClient.invalidateQueries({ queryKey: orpc.tables.key() });
      toast.show({ kind: 'success', message: `Dropped table ${table}.` });
      onClose();
      navigate({ view: 'namespace', namespace });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Dialog
      title={`Drop table ${table}?`}
      role="alertdialog"
      size="small"
      onClose={onClose}
      description={<p>The {kind} table and every row in it are deleted. This cannot be undone.</p>}
      footer={
        <DialogFooter onCancel={onClose}>
          <button type="button" className="button button--danger" disabled={drop.isPending || readOnly || typed.trim() !== table} onClick={() => void submit()}>
            {drop.isPending ? 'Dropping…' : 'Drop table'}
          </button>
        </DialogFooter>
      }
    >
      <TextField label={`Type ${table} to confirm`} value={typed} onChange={setTyped} />
      <ReadOnlyNotice readOnly={readOnly} consequence="nothing can be dropped." />
      {error !== undefined ? <Alert kind="error">{errorMessage(error)}</Alert> : null}
    </Dialog>
  );
}
