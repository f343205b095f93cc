import type { Job } from '../../shared/system/jobs';
import type { Subject } from '../engine/access/subject';
import type { Writer } from './writer';

/**
 * Who started, cancelled or retried which job, in system.audit_log (job bookkeeping is allowed in
 * read-only mode). Pass it as a start's `recorded` hook so the entry commits with the job's row.
 */
export function auditJob(writer: Writer, actor: Subject, action: 'start' | 'cancel' | 'retry', job: Job): void {
  const summary = { job_type: job.job_type, status: job.status, parameters: job.parameters };
  writer.audit(actor, { action: `jobs.${action}`, target: `system.jobs/${job.job_id}`, before: null, after: summary });
}
