import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { StartJobInput } from '../../../shared/contract';
import type { Job } from '../../../shared/system/jobs';
import { orpc } from '../api/client';
import { useToast } from '../components/toast-context';
import { invalidateJobs } from './job-cache';
import { rememberStarted } from './job-outcomes';
import { describeJob } from './job-text';

/** Starts jobs; says what was queued (or why not) in a toast. */
export function useStartJob() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation(orpc.jobs.start.mutationOptions());
  return {
    isPending: mutation.isPending,
    start: (input: StartJobInput, onStarted?: (jobs: Job[]) => void) =>
      mutation.mutate(input, {
        onSuccess: ({ jobs }) => {
          const done = rememberStarted(jobs);
          void invalidateJobs(queryClient);
          const started = jobs.filter((j) => j.status !== 'skipped');
          const skipped = jobs.length - started.length;
          const what = started.length === 1 ? `${describeJob(started[0]!)}: queued (${started[0]!.job_id})` : `${started.length} jobs queued`;
          // A single job skipped says why (e.g. a compaction with nothing to compact).
          const only = jobs.length === 1 && skipped === 1 ? jobs[0]! : undefined;
          const message = only
            ? `${describeJob(only)}: skipped${only.message ? ` (${only.message})` : ''}`
            : skipped > 0
              ? `${what}; ${skipped} skipped (already running)`
              : what;
          toast.show({ kind: 'info', message });
          for (const t of done) toast.show(t);
          onStarted?.(jobs);
        },
        onError: (e) => toast.error(e, 'The job could not be started'),
      }),
  };
}

export function useCancelJob() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation(orpc.jobs.cancel.mutationOptions());
  return {
    isPending: mutation.isPending,
    cancel: (job: Job) =>
      mutation.mutate(
        { id: job.job_id },
        {
          onSuccess: () => void invalidateJobs(queryClient),
          onError: (e) => toast.error(e, `${job.job_id} could not be cancelled`),
        },
      ),
  };
}

export function useRetryJob() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation(orpc.jobs.retry.mutationOptions());
  return {
    isPending: mutation.isPending,
    retry: (job: Job) =>
      mutation.mutate(
        { id: job.job_id },
        {
          onSuccess: (next) => {
            const done = rememberStarted([next]);
            void invalidateJobs(queryClient);
            toast.show({ kind: 'info', message: `${describeJob(next)}: queued again as ${next.job_id}` });
            for (const t of done) toast.show(t);
          },
          onError: (e) => toast.error(e, `${job.job_id} could not be retried`),
        },
      ),
  };
}

/** The time, ticking every `ms` while `active` (durations of running jobs). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [active, ms]);
  return now;
}
