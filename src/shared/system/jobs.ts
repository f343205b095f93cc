import { z } from 'zod';
import { timestamp } from '../column-meta';
import { JOB_TYPE_PREFIX, JOB_TYPES, JobIdSchema } from '../keys/job-id';
import { ruleCheck } from '../rule-check';

export const JobTypeSchema = z.enum(JOB_TYPES);

export const JobStatusSchema = z.enum(['queued', 'running', 'retrying', 'completed', 'failed', 'cancelled', 'skipped']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Statuses of a job that has not ended; an idempotency key is held only while its job is in one. */
export const ACTIVE_JOB_STATUSES: ReadonlySet<JobStatus> = new Set(['queued', 'running', 'retrying']);

export const JobProgressSchema = z.object({
  phase: z.string(),
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  /** Items per second over the current phase, when known. */
  rate: z.number().min(0).nullable().optional(),
  /** What `done`, `total` and `rate` count (absent on rows written before units were recorded). */
  unit: z.enum(['rows', 'bytes', 'files']).optional(),
  /** Bytes written or read so far, for jobs that move files (exports, imports). */
  bytes: z.number().int().min(0).nullable().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** Which kind of process a job belongs to: the app (Electron or web mode) or a CLI command. */
export const JobProcessSchema = z.enum(['app', 'cli']);
export type JobProcess = z.infer<typeof JobProcessSchema>;

/**
 * The process that queued a job and runs it: only it starts, runs and cancels the job. When it is
 * gone, any process's recovery fails the job as interrupted (see engine/jobs/job-owner.ts).
 */
export const JobOwnerSchema = z.strictObject({
  process: JobProcessSchema,
  pid: z.number().int().min(1),
});
export type JobOwner = z.infer<typeof JobOwnerSchema>;

/** system.jobs: every flush, backup, restore, eviction and index rebuild, with its history. */
export const JobSchema = z
  .object({
    job_id: JobIdSchema,
    job_type: JobTypeSchema,
    status: JobStatusSchema,
    parameters: z.record(z.string(), z.json()),
    progress: JobProgressSchema.nullable(),
    message: z.string().nullable(),
    result: z.json().nullable(),
    error: z.string().nullable(),
    idempotency_key: z.string().min(1).max(300).nullable(),
    /** Null only on rows written before owners were recorded (schema v1): such a job has no live owner. */
    owner: JobOwnerSchema.nullable(),
    retries: z.number().int().min(0),
    max_retries: z.number().int().min(0),
    created_at: timestamp(),
    started_at: timestamp().nullable(),
    finished_at: timestamp().nullable(),
    updated_at: timestamp(),
  })
  .check(
    ruleCheck((j) =>
      j.job_id.startsWith(`${JOB_TYPE_PREFIX[j.job_type]}-`)
        ? undefined
        : [{ path: ['job_id'], message: `must start with ${JOB_TYPE_PREFIX[j.job_type]}- for a ${j.job_type} job` }],
    ),
  );
export type Job = z.infer<typeof JobSchema>;

/**
 * The `result` of a job that failed on input the engine refused (a corrupt or foreign backup, bad
 * parameters): running it again as it is would fail the same way, so no Retry is offered.
 */
export const REFUSED_RESULT = { retryable: false } as const;

/** Whether Retry makes sense for a failed or cancelled job. */
export function isRetryable(job: Pick<Job, 'status' | 'result'>): boolean {
  if (job.status !== 'failed' && job.status !== 'cancelled') return false;
  const r = job.result;
  return !(typeof r === 'object' && r !== null && !Array.isArray(r) && r['retryable'] === false);
}
