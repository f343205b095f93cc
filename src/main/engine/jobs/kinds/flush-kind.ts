import { FlushParamsSchema } from '../../../../shared/contract/jobs-contract';
import { recoverFlush, runFlush } from '../../flush/flush-job';
import { jobKind } from '../job-kind';

/** Hot rows of one table to Parquet, in a worker; at most one flush per table at a time. */
export const flushKind = jobKind({
  type: 'flush',
  params: FlushParamsSchema,
  idempotencyKey: (p) => `flush:${p.table}`,
  conflictMessage: (p, active) => `a flush of ${p.table} is already ${active.status} (${active.job_id})`,
  thread: 'worker',
  describe: (p) => `flush ${p.table}`,
  run: (engine, p, ctx) => runFlush(engine, { table: p.table }, ctx),
  changedTables: (p) => [p.table],
  recover: (engine) => {
    recoverFlush(engine);
  },
});
