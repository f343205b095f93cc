import { canWrite } from '../../shared/access';
import type { TableSummary } from '../../shared/contract/tables-contract';
import { SYSTEM_NAMESPACE } from '../../shared/keys/namespace-id';
import { type TableId, tableId, TableIdKey } from '../../shared/keys/table-id';
import type { TableMetadata } from '../../shared/system/tables';
import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import type { DataStore, DataTableProvider } from '../engine/tables/data-table-provider';
import { scopeUser } from '../engine/tables/ownership';
import { asInput } from './errors';

/** One data table as the services see it, at its current schema version. */
export interface DataTableEntry {
  /** "app.notes" */
  readonly ref: string;
  readonly id: TableId;
  readonly provider: DataTableProvider;
  readonly store: DataStore;
  readonly meta: TableMetadata;
}

/** Whether the engine refused `fn` for lack of access (the engine's own rules, not a copy of them). */
function allowed(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof EngineError && e.code === 'ACCESS_DENIED') return false;
    throw e;
  }
}

/** The data tables (shared, user, stream) by reference, and what a subject may do with them. */
export class DataCatalog {
  constructor(private readonly engine: Engine) {}

  /** The table id of a "<namespace>.<table>" reference; a bad one is a VALIDATION error on `field`. */
  parseRef(ref: string, field = 'table'): TableId {
    return asInput(field, () => TableIdKey.parse(ref));
  }

  isSystem(id: TableId): boolean {
    return id.namespace === SYSTEM_NAMESPACE;
  }

  /** A data table; NOT_FOUND for unknown (and system) tables. */
  resolve(ref: string | TableId): DataTableEntry {
    const id = typeof ref === 'string' ? this.parseRef(ref) : ref;
    const provider = this.engine.data.provider(id);
    const store = provider.store;
    return { ref: store.label, id, provider, store, meta: store.schema.meta };
  }

  /** Every data table, in (namespace, table) order. */
  *list(): Generator<DataTableEntry> {
    for (const meta of this.engine.data.list()) yield this.resolve(tableId(meta.namespace_id, meta.table_name));
  }

  /** Whether the subject may read some rows (user and stream tables: its own). */
  canRead(entry: DataTableEntry, subject: Subject): boolean {
    return allowed(() => entry.store.readScope(subject));
  }

  canWrite(entry: DataTableEntry, subject: Subject): boolean {
    if (entry.store.kind === 'shared') return canWrite(subject.role, entry.provider.access);
    return allowed(() => scopeUser(subject, undefined, 'write', entry.ref));
  }

  summary(entry: DataTableEntry, subject: Subject): TableSummary {
    return {
      table: entry.ref,
      namespace: entry.id.namespace,
      name: entry.id.table,
      kind: entry.store.kind,
      access: entry.provider.access,
      editable: true,
      canRead: this.canRead(entry, subject),
      canWrite: this.canWrite(entry, subject),
    };
  }
}
