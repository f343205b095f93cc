import { IndexRebuildParamsSchema } from '../../../../shared/jobs/params';
import { SYSTEM_NAMESPACE } from '../../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../../shared/keys/table-id';
import type { Engine } from '../../engine';
import { EngineError, NotFoundError } from '../../errors';
import type { SecondaryIndex } from '../../index/secondary-index';
import type { EntityStore } from '../../store/entity-store';
import { systemPartition } from '../../store/system-table-store';
import { type JobContext, throwIfCancelled } from '../job-context';
import { jobKind } from '../job-kind';

export interface IndexRebuildResult {
  readonly entities: number;
  readonly entries: number;
}

/** Entities between progress reports and cancel checks. */
const REPORT_EVERY = 1000;

/** The store and index a rebuild names; NOT_FOUND for an unknown table or index. */
export function resolveIndex(engine: Engine, table: string, index: string): { store: EntityStore<unknown, object>; index: SecondaryIndex<object> } {
  const id = TableIdKey.parse(table);
  if (id.namespace !== SYSTEM_NAMESPACE) {
    // Data tables have no secondary indexes (yet); an unknown one is NOT_FOUND as a table all the same.
    engine.data.open(id);
    throw new EngineError('NOT_FOUND', `index "${index}" does not exist on ${table}`);
  }
  const store = engine.system.stores().find((s) => s.partition === systemPartition(id.table));
  if (!store) throw new NotFoundError(`table ${table}`);
  const found = store.indexes.get(index);
  if (!found) throw new EngineError('NOT_FOUND', `index "${index}" does not exist on ${table}`);
  return { store, index: found };
}

/**
 * Rewrites an index from its entities in one transaction, so a unique violation or a cancel
 * (checked every REPORT_EVERY entities) rolls everything back and the old index stays as it was.
 */
export function runIndexRebuild(engine: Engine, params: { table: string; index: string }, ctx: JobContext): Promise<IndexRebuildResult> {
  const { store, index } = resolveIndex(engine, params.table, params.index);
  const total = store.count();
  const result = store.backend.transaction(() => {
    index.clear();
    let entities = 0;
    let entries = 0;
    for (const [pk, entity] of store.scanRaw()) {
      index.apply(pk, undefined, entity);
      if (index.entryFor(pk, entity)) entries++;
      if (++entities % REPORT_EVERY === 0) {
        ctx.report({ phase: 'rebuilding', done: entities, total, unit: 'rows' });
        throwIfCancelled(ctx);
      }
    }
    return { entities, entries };
  });
  ctx.report({ phase: 'done', done: result.entities, total: result.entities, unit: 'rows' });
  return Promise.resolve(result);
}

export const indexRebuildKind = jobKind({
  type: 'index_rebuild',
  params: IndexRebuildParamsSchema,
  idempotencyKey: (p) => `index_rebuild:${p.table}/${p.index}`,
  conflictMessage: (p, active) => `a rebuild of ${p.table} index ${p.index} is already ${active.status} (${active.job_id})`,
  writes: true,
  thread: 'worker',
  describe: (p) => `rebuild index ${p.index} of ${p.table}`,
  run: runIndexRebuild,
  // A rebuild that did not finish rolled back: nothing changed.
  changedTables: (p, r) => (r ? [p.table] : []),
});
