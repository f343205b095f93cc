import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { useGate } from '../app/gates';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { useToast } from '../components/toast-context';
import type { IndexInfo } from '../../../shared/contract';
import { formatCount } from '../grid/cell-format';
import { formatBytes, keyShape } from './format';
import { IndexEntries } from './IndexEntries';
import { VerifyReport } from './VerifyReport';

/** One index: facts, Verify, Rebuild and its entries. */
export function IndexDetail({ info }: { info: IndexInfo }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  // The table's write rule first (the engine's refusal, per index), then read-only mode.
  const readOnlyGate = useGate({ write: true });
  const blocked = info.rebuildRefusal ?? readOnlyGate;
  const ref = { table: info.table, index: info.name };
  const verify = useMutation(orpc.indexes.verify.mutationOptions());
  const rebuild = useMutation(orpc.indexes.rebuild.mutationOptions());
  const [confirmRebuild, setConfirmRebuild] = useState(false);

  return (
    <section className="card index-detail" aria-labelledby="index-detail-title">
      <header className="index-detail__header">
        <div>
          <h2 id="index-detail-title" className="card__title">
            {info.name} <span className="muted">on {info.table}</span>
          </h2>
          <p className="index-detail__facts">
            <code>{keyShape(info)}</code>
            <span>{info.unique ? 'unique' : 'not unique'}</span>
            {info.partial ? <span>partial</span> : null}
            <span>{formatCount(info.entries)} entries</span>
            <span>{formatBytes(info.bytes)}</span>
            <span className="muted">partition {info.partition}</span>
          </p>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Index actions">
          <button type="button" className="button" disabled={verify.isPending} onClick={() => verify.mutate(ref)}>
            {verify.isPending ? 'Verifying…' : 'Verify'}
          </button>
          <button
            type="button"
            className="button button--danger-outline"
            disabled={rebuild.isPending || blocked !== undefined}
            title={blocked}
            onClick={() => setConfirmRebuild(true)}
          >
            {rebuild.isPending ? 'Rebuilding…' : 'Rebuild'}
          </button>
        </div>
      </header>

      {verify.isError ? (
        <Alert kind="error" title="Verify failed">
          {errorMessage(verify.error)}
        </Alert>
      ) : null}
      {verify.data ? <VerifyReport report={verify.data} /> : null}
      {rebuild.isError ? (
        <Alert kind="error" title="Rebuild failed">
          {errorMessage(rebuild.error)}
        </Alert>
      ) : null}

      <IndexEntries info={info} />

      {confirmRebuild ? (
        <Dialog
          title={`Rebuild ${info.name}?`}
          role="alertdialog"
          size="small"
          onClose={() => setConfirmRebuild(false)}
          description={<p>Every entry of the index is dropped and written again from the rows of {info.table}. Large tables take a while.</p>}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmRebuild(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button--danger"
                onClick={() => {
                  setConfirmRebuild(false);
                  rebuild.mutate(ref, {
                    onSuccess: (r) => {
                      toast.show({ kind: 'success', message: `Rebuilt ${info.name}: ${formatCount(r.entries)} entries.` });
                      verify.reset();
                      void invalidateTable(queryClient, info.table);
                    },
                  });
                }}
              >
                Rebuild
              </button>
            </>
          }
        >
          {null}
        </Dialog>
      ) : null}
    </section>
  );
}
