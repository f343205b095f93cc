import type { JobId } from '../../../../shared/keys/job-id';
import type { Job, JobStatus } from '../../../../shared/system/jobs';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { jobsTable } from './jobs-table';

export class JobsStore extends SystemTableStore<JobId, Job> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, jobsTable));
  }

  /** Jobs in one status, oldest first. */
  *withStatus(status: JobStatus, limit?: number): Generator<Job> {
    for (const [, job] of this.findBy('status_created', [status], limit)) yield job;
  }

  /** The unfinished job holding an idempotency key, if any. */
  activeWithKey(idempotencyKey: string): Job | undefined {
    return this.getBy('idempotency', [idempotencyKey])?.[1];
  }
}
