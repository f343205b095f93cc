import { type JobId, JobIdKey } from '../../../../shared/keys/job-id';
import { compareBytes, concatBytes, encodeTuple } from '../../../../shared/keys/tuple';
import { type Job, type JobStatus, JobStatusSchema } from '../../../../shared/system/jobs';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { jobsTable, statusIndex } from './jobs-table';

/** A position in the newest-first job list: jobs strictly older than it come next. */
export interface JobPosition {
  readonly created_at: number;
  readonly job_id: JobId;
}

export class JobsStore extends SystemTableStore<JobId, Job> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, jobsTable));
  }

  /** Jobs in one status, oldest first. */
  *withStatus(status: JobStatus, limit?: number): Generator<Job> {
    for (const [, job] of this.findBy('status_created', [status], limit)) yield job;
  }

  /** How many jobs are in one status (an index range count: no job is read). */
  countWithStatus(status: JobStatus): number {
    return this.backend.count(this.index(statusIndex.name).partition, { prefix: encodeTuple([status]) });
  }

  /** The unfinished job holding an idempotency key, if any. */
  activeWithKey(idempotencyKey: string): Job | undefined {
    return this.getBy('idempotency', [idempotencyKey])?.[1];
  }

  /**
   * Jobs newest first (created_at, then id, descending), of one status or all, strictly older than
   * `before`. Reads at most `limit` entries of each status's index range backwards and merges them.
   */
  newest(options: { status?: JobStatus | undefined; limit: number; before?: JobPosition | undefined }): Job[] {
    const statuses = options.status ? [options.status] : JobStatusSchema.options;
    const index = this.index(statusIndex.name);
    const found: [Uint8Array, Job][] = [];
    for (const status of statuses) {
      const prefix = encodeTuple([status]);
      const bound = options.before && concatBytes(encodeTuple([status, options.before.created_at]), encodeTuple([JobIdKey.encode(options.before.job_id)]));
      for (const [key, value] of this.backend.scan(index.partition, { prefix, reverse: true, limit: options.limit, ...(bound ? { lt: bound } : {}) })) {
        const pk = index.primaryKeyOf({ key, value });
        const job = this.getRaw(pk);
        if (job) found.push([concatBytes(encodeTuple([job.created_at]), pk), job]);
      }
    }
    found.sort(([a], [b]) => compareBytes(b, a));
    return found.slice(0, options.limit).map(([, job]) => job);
  }
}
