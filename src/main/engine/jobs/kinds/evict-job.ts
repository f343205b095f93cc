import { EvictParamsSchema } from '../../../../shared/jobs/params';
import { tableId } from '../../../../shared/keys/table-id';
import type { Engine } from '../../engine';
import { EVICT_BATCH } from '../../tables/stream/stream-table-store';
import { type JobContext, throwIfCancelled } from '../job-context';
import { jobKind } from '../job-kind';

export interface EvictResult {
  /** Rows removed, all tables. */
  readonly evicted: number;
  /** Rows removed per stream table ("ns.table" → n). */
  readonly tables: Record<string, number>;
}

/**
 * Removes expired rows from every stream table, a batch per transaction. Cancelling stops at the
 * next batch; the batches already committed stay evicted (each removed only expired rows, so there
 * is no partial output to undo).
 */
export async function runEvict(engine: Engine, params: { batch_size?: number | undefined }, ctx: JobContext): Promise<EvictResult> {
  const now = engine.now();
  const streams = [...engine.data.list()].filter((m) => m.table_type === 'stream');
  const tables: Record<string, number> = {};
  let evicted = 0;
  for (const meta of streams) {
    throwIfCancelled(ctx);
    const store = engine.data.stream(tableId(meta.namespace_id, meta.table_name));
    const before = evicted;
    ctx.report({ phase: `evicting ${store.label}`, done: evicted, total: null, unit: 'rows' });
    const n = store.evict(now, params.batch_size ?? EVICT_BATCH, (sofar) => {
      ctx.report({ phase: `evicting ${store.label}`, done: before + sofar, total: null, unit: 'rows' });
      throwIfCancelled(ctx);
    });
    tables[store.label] = n;
    evicted += n;
    // Let a cancel message (in-process: the manager's call) in between tables.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ctx.report({ phase: 'done', done: evicted, total: evicted, unit: 'rows' });
  return { evicted, tables };
}

export const evictKind = jobKind({
  type: 'evict',
  params: EvictParamsSchema,
  idempotencyKey: () => 'evict',
  conflictMessage: (_p, active) => `an eviction is already ${active.status} (${active.job_id})`,
  writes: true,
  thread: 'worker',
  describe: () => 'evict expired stream rows',
  run: runEvict,
  // A stopped pass removed only expired rows, which no view shows: nothing to refetch then.
  changedTables: (_p, r: EvictResult | undefined) =>
    r
      ? Object.entries(r.tables)
          .filter(([, n]) => n > 0)
          .map(([t]) => t)
      : [],
});
