import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { useReadOnly } from '../app/engine';
import { navigate } from '../app/use-route';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter } from '../components/DialogFooter';
import { useToast } from '../components/toast-context';
import type { TableListEntry } from '../../../shared/contract';

interface DropNamespaceDialogProps {
  name: string;
  tables: readonly TableListEntry[];
  onClose: () => void;
}

/**
 * Drops a namespace. With tables in it, the drop must cascade: the tables (and their rows) that go
 * with it are listed, and Drop stays off until the cascade box is ticked.
 */
export function DropNamespaceDialog({ name, tables, onClose }: DropNamespaceDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const readOnly = useReadOnly();
  const [cascade, setCascade] = useState(false);
  const [error, setError] = useState<unknown>();
  const drop = useMutation(orpc.ddl.dropNamespace.mutationOptions());
  const needsCascade = tables.length > 0;

  async function submit(): Promise<void> {
    setError(undefined);
    try {
      const result = await drop.mutateAsync({ name, ...(cascade ? { cascade: true } : {}) });
      await queryClient.invalidateQueries({ queryKey: orpc.tables.key() });
      toast.show({
        kind: 'success',
        message: result.dropped.length > 0 ? `Dropped namespace ${name} and ${result.dropped.length} tables.` : `Dropped namespace ${name}.`,
      });
      onClose();
      navigate({ view: 'home' });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Dialog
      title={`Drop namespace ${name}?`}
      role="alertdialog"
      size="small"
      onClose={onClose}
      description={<p>{needsCascade ? 'This namespace has tables. Dropping it drops them and every row in them.' : 'The namespace is empty.'}</p>}
      footer={
        <DialogFooter onCancel={onClose}>
          <button
            type="button"
            className="button button--danger"
            disabled={drop.isPending || readOnly || (needsCascade && !cascade)}
            onClick={() => void submit()}
          >
            {drop.isPending ? 'Dropping…' : needsCascade ? `Drop namespace and ${tables.length} tables` : 'Drop namespace'}
          </button>
        </DialogFooter>
      }
    >
      {needsCascade ? (
        <>
          <ul className="drop-list" aria-label="Tables dropped with it">
            {tables.map((t) => (
              <li key={t.table}>
                <code>{t.table}</code> ({t.kind})
              </li>
            ))}
          </ul>
          <label className="checkbox">
            <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} />
            <span>Cascade: also drop these {tables.length} tables and their rows</span>
          </label>
        </>
      ) : null}
      <ReadOnlyNotice readOnly={readOnly} consequence="nothing can be dropped." />
      {error !== undefined ? (
        <Alert kind="error">{errorCode(error) === 'IN_USE' ? `${errorMessage(error)} — tick "Cascade" to drop its tables too.` : errorMessage(error)}</Alert>
      ) : null}
    </Dialog>
  );
}
