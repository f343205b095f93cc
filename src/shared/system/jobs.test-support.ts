import type { JobId } from '../keys/job-id';
import type { Job } from './jobs';

/**
 * A job row for tests: a queued flush with no progress, nothing finished, created at 0. Tests
 * override what they look at; `job_id` is taken as given (tests name ids freely).
 */
export function jobFixture(over: Partial<Omit<Job, 'job_id'>> & { job_id: string }): Job {
  return {
    job_type: 'flush',
    status: 'queued',
    parameters: {},
    progress: null,
    message: null,
    result: null,
    error: null,
    idempotency_key: null,
    owner: null,
    retries: 0,
    max_retries: 3,
    created_at: 0,
    started_at: null,
    finished_at: null,
    updated_at: 0,
    ...over,
    job_id: over.job_id as JobId,
  };
}
