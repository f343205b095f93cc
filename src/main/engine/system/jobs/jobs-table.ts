import { type JobId, JobIdKey } from '../../../../shared/keys/job-id';
import { ACTIVE_JOB_STATUSES, type Job, JobSchema } from '../../../../shared/system/jobs';
import type { IndexDefinition } from '../../index/secondary-index';
import type { SystemTableDefinition } from '../system-table-definition';

/** Jobs by status, oldest first: the queue and the history views. */
export const statusIndex: IndexDefinition<Job> = {
  name: 'status_created',
  unique: false,
  fields: ['status', 'created_at'],
  extract: (j) => [j.status, j.created_at],
};

/**
 * At most one unfinished job per idempotency key (e.g. "flush:app.messages"): a second flush of a
 * table while one is queued or running is refused by the index itself.
 */
export const idempotencyIndex: IndexDefinition<Job> = {
  name: 'idempotency',
  unique: true,
  partial: true,
  fields: ['idempotency_key'],
  extract: (j) => (j.idempotency_key !== null && ACTIVE_JOB_STATUSES.has(j.status) ? [j.idempotency_key] : undefined),
};

/**
 * v2 added `owner`. Rows of v1 did not say which process ran them: they read with no owner, which
 * recovery treats as a dead one (no process of this version writes a job without its owner).
 */
export const jobMigrations = {
  1: (value: unknown) => ({ ...(value as Record<string, unknown>), owner: null }),
};

export const jobsTable: SystemTableDefinition<JobId, Job> = {
  name: 'jobs',
  key: JobIdKey,
  entity: { kind: 'job', version: 2, schema: JobSchema, migrations: jobMigrations },
  keyOf: (j) => j.job_id,
  keyColumns: ['job_id'],
  indexes: [statusIndex, idempotencyIndex],
};
