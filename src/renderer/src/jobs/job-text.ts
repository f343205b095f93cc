import type { Job, JobProgress, JobStatus } from '../../../shared/system/jobs';
import { formatBytes } from '../indexes/format';

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
    case 'export':
      return `Export ${param(job, 'table') || 'a query result'} to ${param(job, 'file')}`;
    case 'import':
      return `Import ${param(job, 'file')} into ${param(job, 'table')}`;
    case 'index_verify':
      return param(job, 'table') ? `Verify the indexes of ${param(job, 'table')}` : 'Verify every index';
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** An amount in the progress's unit: "12,000 rows", "1.5 MiB", "3 files"; a bare number without one. */
function amount(n: number, unit: JobProgress['unit'], withNoun = true): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(n);
    case 'rows':
    case 'files':
      return withNoun ? `${count(n)} ${n === 1 ? unit.slice(0, -1) : unit}` : count(n);
    case undefined:
      return count(n);
  }
}

/**
 * "12,000 of 50,000 rows · 3,100 rows/s", "1.5 MiB of 40 MiB · 12 MiB/s", "12,000 rows", or ""
 * without progress (or with nothing counted yet: "0 of 0" says nothing).
 */
export function describeProgress(progress: Job['progress']): string {
  if (!progress) return '';
  const { done, total, unit } = progress;
  if (done === 0 && (total === 0 || total === null)) return '';
  const parts = [total !== null ? `${amount(done, unit, false)} of ${amount(total, unit)}` : amount(done, unit)];
  if (progress.rate !== undefined && progress.rate !== null && progress.rate > 0) {
    const rate = Math.round(progress.rate);
    parts.push(unit === 'bytes' ? `${formatBytes(rate)}/s` : unit ? `${count(rate)} ${unit}/s` : `${count(rate)}/s`);
  }
  // Jobs that move files (exports, imports) count rows and say the bytes beside them.
  if (progress.bytes !== undefined && progress.bytes !== null && unit !== 'bytes') parts.push(formatBytes(progress.bytes));
  return parts.join(' · ');
}

/** 0..1, or undefined when the total is unknown (nothing to measure against: 0 of 0 is not "all"). */
export function fraction(progress: Job['progress']): number | undefined {
  if (!progress || progress.total === null || progress.total === 0) return undefined;
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
