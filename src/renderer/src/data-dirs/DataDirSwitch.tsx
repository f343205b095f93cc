import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DataDirSwitch as SwitchReport, RunningJobs } from '../../../shared/contract';
import { dataDirName } from '../../../shared/data-dir-name';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { useToast } from '../components/toast-context';
import { leaveWithoutAsking } from '../components/use-unload-warning';
import { stagingStore, useStagedTableCount } from '../staging/staging-store';
import { AS_OPERATOR } from '../view-as/view-as-store';
import { describeSwitch, keepSwitchReport, takeSwitchReport } from './switch-report';
import { clearDataDirSwitch, type SwitchRequest, useSwitchRequest } from './switch-request';

/** Where a switch stands: asking about staged edits, switching, or asking about active jobs (the engine's message). */
type Step = { readonly kind: 'staged' } | { readonly kind: 'switching' } | { readonly kind: 'jobs'; readonly message: string };

/** After the switch the page starts over on the new directory: its Overview, nothing cached of the old one. */
function reloadInto(report: SwitchReport): void {
  keepSwitchReport(report);
  // Staged edits were given up when the user confirmed; the browser need not ask again.
  for (const table of stagingStore.get().staged.keys()) stagingStore.discard(table);
  leaveWithoutAsking();
  location.hash = '#/';
  location.reload();
}

/**
 * Switches to the data directory asked for (requestDataDirSwitch): asks first when staged edits
 * would be lost, then when jobs are still active in the open directory (wait for them or cancel
 * them), then the main process switches and the page reloads into the new directory. Acts as the
 * operator, like the read-only switch: it guards the whole process, whoever the window views as.
 */
export function DataDirSwitch() {
  const request = useSwitchRequest();
  const staged = useStagedTableCount();
  const toast = useToast();
  const [step, setStep] = useState<Step>();
  const open = useMutation(orpc.dataDirs.open.mutationOptions());
  const create = useMutation(orpc.dataDirs.create.mutationOptions());

  // The outcome of the switch that reloaded this page.
  useEffect(() => {
    const report = takeSwitchReport();
    if (report) toast.show({ kind: report.jobs.some((j) => j.status === 'failed') ? 'error' : 'success', message: describeSwitch(report) });
  }, [toast]);

  const run = (r: SwitchRequest, runningJobs?: RunningJobs): void => {
    setStep({ kind: 'switching' });
    const handlers = {
      onSuccess: reloadInto,
      onError: (e: unknown) => {
        if (errorCode(e) === 'IN_USE' && runningJobs === undefined && /still active/.test(errorMessage(e))) {
          setStep({ kind: 'jobs', message: errorMessage(e) });
          return;
        }
        toast.error(e, `Could not open ${dataDirName(r.path)}`);
        setStep(undefined);
        clearDataDirSwitch();
      },
    };
    const jobs = runningJobs === undefined ? {} : { runningJobs };
    if (r.kind === 'open') open.mutate({ path: r.path, ...jobs, ...AS_OPERATOR }, handlers);
    else create.mutate({ path: r.path, demo: r.demo, ...jobs, ...AS_OPERATOR }, handlers);
  };

  // A new request: ask about staged edits first, else switch.
  useEffect(() => {
    if (request === undefined) return;
    if (stagingStore.get().staged.size > 0) setStep({ kind: 'staged' });
    else run(request);
    // Only a new request starts this.
  }, [request]);

  if (request === undefined || step === undefined) return null;
  const name = dataDirName(request.path);
  const stop = () => {
    setStep(undefined);
    clearDataDirSwitch();
  };

  if (step.kind === 'staged') {
    return (
      <Dialog
        title="Discard your staged edits?"
        role="alertdialog"
        size="small"
        onClose={stop}
        footer={
          <>
            <button type="button" className="button" onClick={stop}>
              Keep editing
            </button>
            <button type="button" className="button button--danger" onClick={() => run(request)}>
              Discard and open {name}
            </button>
          </>
        }
      >
        <p>
          {staged === 1 ? '1 table has' : `${staged} tables have`} staged edits that are not applied. Opening{' '}
          {request.kind === 'create' ? 'the new directory' : name} closes this data directory and discards them.
        </p>
      </Dialog>
    );
  }
  if (step.kind === 'jobs') {
    return (
      <Dialog
        title="Jobs are still running"
        role="alertdialog"
        size="small"
        onClose={stop}
        footer={
          <>
            <button type="button" className="button" onClick={stop}>
              Stay here
            </button>
            <button type="button" className="button" onClick={() => run(request, 'wait')}>
              Wait for them
            </button>
            <button type="button" className="button button--danger" onClick={() => run(request, 'cancel')}>
              Cancel them
            </button>
          </>
        }
      >
        <p>{step.message}</p>
        <p className="muted">Queued jobs are cancelled either way. You will be told how each one ended.</p>
      </Dialog>
    );
  }
  return (
    <div className="data-dir-switching" role="status">
      Opening {name}…
    </div>
  );
}
