import { useCallback } from 'react';
import type { Job } from '../../../shared/system/jobs';
import { client } from '../api/client';
import { navigate } from '../app/use-route';
import { useToast } from '../components/toast-context';
import { ACTIVE, describeJob } from './job-text';

type Listener = (job: Job) => void;

/** Listeners waiting for a job to end, by job id. */
const waiting = new Map<string, Set<Listener>>();

/**
 * Calls `listener` once, with the job as it ended (completed, failed, cancelled or skipped). The
 * job events (job-cache's applyJobEvent) tell it; one read of the job covers an end that came
 * before the listener did. Returns a function that stops waiting.
 */
export function onJobEnd(id: string, listener: Listener): () => void {
  let done = false;
  const once: Listener = (job) => {
    if (done) return;
    done = true;
    stop();
    listener(job);
  };
  const set = waiting.get(id) ?? new Set<Listener>();
  set.add(once);
  waiting.set(id, set);
  function stop(): void {
    set.delete(once);
    if (set.size === 0 && waiting.get(id) === set) waiting.delete(id);
  }
  client.jobs.get({ id }).then(
    (job) => {
      if (!ACTIVE.has(job.status)) once(job);
    },
    () => undefined,
  );
  return () => {
    done = true;
    stop();
  };
}

/** Tells those waiting for `job` that it ended (called for every job event). */
export function noteJobEvent(job: Job): void {
  if (ACTIVE.has(job.status)) return;
  for (const listener of [...(waiting.get(job.job_id) ?? [])]) listener(job);
}

/**
 * Watches a started job and says in a toast why it failed, with a way to the Jobs page (which
 * shows the same error). For jobs whose failure the user must hear about wherever they are (a
 * restore, after its confirmation).
 */
export function useJobFailureToast(): (job: Job) => void {
  const toast = useToast();
  return useCallback(
    (started: Job) =>
      void onJobEnd(started.job_id, (job) => {
        if (job.status !== 'failed') return;
        toast.show({
          kind: 'error',
          message: `${describeJob(job)} failed: ${job.error ?? 'no reason was recorded'}`,
          action: { label: 'Open Jobs', onClick: () => navigate({ view: 'jobs' }) },
        });
      }),
    [toast],
  );
}
