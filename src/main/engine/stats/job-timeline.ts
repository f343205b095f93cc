import type { Job } from '../../../shared/system/jobs';
import type { JobBar } from '../../../shared/stats';
import type { Engine } from '../engine';

/** At most this many jobs, newest first (one page of the job list). */
export const TIMELINE_JOBS = 1000;

/** Rows a job processed, from its result (flush, compaction) or its last progress. */
function rowsOf(job: Job): number | null {
  const result = job.result;
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const r = result as Record<string, unknown>;
    if (job.job_type === 'flush' && typeof r['rows'] === 'number') return r['rows'] + (typeof r['tombstones'] === 'number' ? r['tombstones'] : 0);
    if (job.job_type === 'compact' && typeof r['rowsRead'] === 'number') return r['rowsRead'];
  }
  return job.progress ? job.progress.done : null;
}

export function jobBar(job: Job, now: number): JobBar | undefined {
  if (job.started_at === null) return undefined;
  const end = job.finished_at ?? now;
  const durationMs = Math.max(0, end - job.started_at);
  const rows = rowsOf(job);
  const table = job.parameters['table'];
  return {
    id: job.job_id,
    kind: job.job_type,
    status: job.status,
    table: typeof table === 'string' ? table : null,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
    durationMs,
    rows,
    rowsPerSecond: rows !== null && durationMs > 0 ? Math.round((rows * 1000) / durationMs) : null,
  };
}

/** The newest jobs (at most TIMELINE_JOBS), newest first: what the timeline draws (jobBar of each that started). */
export function timelineJobs(engine: Engine): Job[] {
  return engine.system.jobs.list({ limit: TIMELINE_JOBS }).items;
}
