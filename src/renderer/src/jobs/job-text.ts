import type { Job, JobStatus } from '../../../shared/system/jobs';

/** Statuses of a job that has not ended. */
export const ACTIVE: ReadonlySet<JobStatus> = new Set(['queued', 'running', 'retrying']);

export const STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  retrying: 'Waiting to retry',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

const param = (job: Job, name: string): string => {
  const v = job.parameters[name];
  return typeof v === 'string' ? v : '';
};

/** One line saying what the job does. */
export function describeJob(job: Job): string {
  switch (job.job_type) {
    case 'flush':
      return `Flush ${param(job, 'table')}`;
    case 'backup':
      return `Back up to ${param(job, 'folder')}`;
    case 'restore':
      return `Restore from ${param(job, 'folder')}`;
    case 'evict':
      return 'Evict expired stream rows';
    case 'index_rebuild':
      return `Rebuild index ${param(job, 'index')} of ${param(job, 'table')}`;
    case 'compact':
      return `Compact ${param(job, 'table')}`;
    case 'index_verify':
      return param(job, 'table') ? `Verify the indexes of ${param(job, 'table')}` : 'Verify every index';
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** "12,000 of 50,000 · 3,100/s", "12,000", or "" without progress. */
export function describeProgress(progress: Job['progress']): string {
  if (!progress) return '';
  const parts = [progress.total !== null ? `${count(progress.done)} of ${count(progress.total)}` : count(progress.done)];
  if (progress.rate !== undefined && progress.rate !== null && progress.rate > 0) parts.push(`${count(Math.round(progress.rate))}/s`);
  return parts.join(' · ');
}

/** 0..1, or undefined when the total is unknown. */
export function fraction(progress: Job['progress']): number | undefined {
  if (!progress || progress.total === null || progress.total === 0) return progress?.total === 0 ? 1 : undefined;
  return Math.min(1, progress.done / progress.total);
}

/** "850 ms", "12 s", "3 min 5 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** How long it ran (or has been running, at `now`). */
export function duration(job: Job, now: number): string {
  if (job.started_at === null) return '';
  return formatElapsed((job.finished_at ?? now) - job.started_at);
}
