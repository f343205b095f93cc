import { CompactParamsSchema } from '../../../../shared/jobs/params';
import { recoverCompact } from '../../compact/compact-recovery';
import { runCompact } from '../../compact/compact-job';
import { jobKind } from '../job-kind';
import { tableFilesConflict, tableFilesKey } from './flush-kind';

/** Merges one table's segments, per scope, in a worker; never beside a flush of the same table. */
export const compactKind = jobKind({
  type: 'compact',
  params: CompactParamsSchema,
  idempotencyKey: (p) => tableFilesKey(p.table),
  conflictMessage: (p, active) => tableFilesConflict(p.table, active),
  writes: true,
  thread: 'worker',
  // A backup copies the files its snapshot lists; a compaction deletes the ones it replaced.
  excludes: ['backup'],
  describe: (p) => `compact ${p.table}`,
  run: (engine, p, ctx) => runCompact(engine, { table: p.table }, ctx),
  // Rows read the same, but system.manifest and the files changed.
  changedTables: (p) => [p.table],
  recover: (engine) => {
    recoverCompact(engine);
  },
});
