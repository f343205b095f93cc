import { IndexVerifyParamsSchema } from '../../../../shared/jobs/params';
import { SYSTEM_NAMESPACE } from '../../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../../shared/keys/table-id';
import type { Engine } from '../../engine';
import { NotFoundError } from '../../errors';
import { verifyIndex } from '../../index/index-maintenance';
import type { EntityStore } from '../../store/entity-store';
import { systemPartition } from '../../store/system-table-store';
import { type JobContext, throwIfCancelled } from '../job-context';
import { jobKind } from '../job-kind';

/** One index's verdict: how many entities and entries it compared, and what disagreed. */
export interface IndexVerdict {
  readonly table: string;
  readonly index: string;
  readonly entities: number;
  readonly entries: number;
  readonly missing: number;
  readonly orphaned: number;
  readonly wrong: number;
  /** More problems exist than were counted (verifyIndex lists at most 1,000). */
  readonly truncated: boolean;
}

export interface IndexVerifyResult {
  readonly indexes: IndexVerdict[];
}

/** An index disagrees with its entities: the job fails, so the run stands out (rebuild fixes it). */
export class IndexInconsistentError extends Error {
  override name = 'IndexInconsistentError';
  constructor(readonly bad: readonly IndexVerdict[]) {
    super(
      `${bad.length} inconsistent index${bad.length === 1 ? '' : 'es'}: ${bad
        .map((v) => `${v.table} ${v.index} (${v.missing} missing, ${v.orphaned} orphaned, ${v.wrong} wrong${v.truncated ? ', and more' : ''})`)
        .join('; ')}; rebuild ${bad.length === 1 ? 'it' : 'them'} on the Indexes page`,
    );
  }
}

/** The stores whose indexes a verification reads (also what a schedule's form checks): one system table, or every one. NOT_FOUND for another table. */
export function storesOf(engine: Engine, table: string | undefined): EntityStore<unknown, object>[] {
  const stores = engine.system.stores();
  if (table === undefined) return stores;
  const id = TableIdKey.parse(table);
  const store = id.namespace === SYSTEM_NAMESPACE ? stores.find((s) => s.partition === systemPartition(id.table)) : undefined;
  // Data tables have no secondary indexes (yet).
  if (!store) throw new NotFoundError(`system table ${table}`);
  return [store];
}

/**
 * Recomputes every secondary index of the tables named and compares it with its entities (see
 * verifyIndex: streaming, memory flat). It only reads, so it runs in read-only mode; an index that
 * disagrees fails the job, naming it.
 */
export async function runIndexVerify(engine: Engine, params: { table?: string | undefined }, ctx: JobContext): Promise<IndexVerifyResult> {
  const work = storesOf(engine, params.table).flatMap((store) => [...store.indexes.values()].map((index) => ({ store, index })));
  const indexes: IndexVerdict[] = [];
  for (const { store, index } of work) {
    throwIfCancelled(ctx);
    ctx.report({ phase: `verifying ${store.partition} ${index.definition.name}`, done: indexes.length, total: work.length });
    const report = verifyIndex(store, index);
    indexes.push({
      table: store.partition,
      index: report.index,
      entities: report.entities,
      entries: report.entries,
      missing: report.missing.length,
      orphaned: report.orphaned.length,
      wrong: report.wrong.length,
      truncated: report.truncated,
    });
    // Let a cancel message in between indexes.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ctx.report({ phase: 'done', done: indexes.length, total: indexes.length });
  const bad = indexes.filter((v) => v.missing + v.orphaned + v.wrong > 0 || v.truncated);
  if (bad.length > 0) throw new IndexInconsistentError(bad);
  return { indexes };
}

export const indexVerifyKind = jobKind({
  type: 'index_verify',
  params: IndexVerifyParamsSchema,
  idempotencyKey: (p) => `index_verify:${p.table ?? '*'}`,
  conflictMessage: (p, active) => `a verification of ${p.table ?? 'every index'} is already ${active.status} (${active.job_id})`,
  writes: false,
  thread: 'worker',
  describe: (p) => (p.table === undefined ? 'verify every index' : `verify the indexes of ${p.table}`),
  run: runIndexVerify,
});
