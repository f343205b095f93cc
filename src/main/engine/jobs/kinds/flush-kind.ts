import { FlushParamsSchema } from '../../../../shared/jobs/params';
import { recoverFlush, runFlush } from '../../flush/flush-job';
import type { Job } from '../../../../shared/system/jobs';
import { jobKind } from '../job-kind';

/**
 * The key flushes and compactions of a table share: both write the table's segments (and take its
 * journal), so one waits for the other to end. Kept as "flush:…" as earlier versions stored it.
 */
export const tableFilesKey = (table: string) => `flush:${table}`;

export const tableFilesConflict = (table: string, active: Job) =>
  `${active.job_type === 'compact' ? 'a compaction' : 'a flush'} of ${table} is already ${active.status} (${active.job_id})`;

/** Hot rows of one table to Parquet, in a worker; at most one flush per table at a time. */
export const flushKind = jobKind({
  type: 'flush',
  params: FlushParamsSchema,
  idempotencyKey: (p) => tableFilesKey(p.table),
  conflictMessage: (p, active) => tableFilesConflict(p.table, active),
  // Hot rows move to Parquet and leave the database.
  writes: true,
  thread: 'worker',
  describe: (p) => `flush ${p.table}`,
  run: (engine, p, ctx) => runFlush(engine, { table: p.table }, ctx),
  changedTables: (p) => [p.table],
  recover: (engine) => {
    recoverFlush(engine);
  },
});
