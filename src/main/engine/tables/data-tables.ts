import { SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { type TableId, tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { TableMetadata } from '../../../shared/system/tables';
import type { ColdCatalog } from '../cold/cold-catalog';
import { EngineError, NotFoundError, ValidationError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';
import type { TablesStore } from '../system/tables/tables-store';
import type { ChangeFeed } from './change-feed';
import type { DataStoreContext, SchemaGuard } from './data-table-store';
import type { RowOwners } from './ownership';
import { type DataStore, DataTableProvider } from './data-table-provider';
import type { Sequence } from './sequence';
import { type SharedTableStore, sharedTableStore } from './shared/shared-table-store';
import { StreamTableStore } from './stream/stream-table-store';
import { TableSchema } from './table-schema';
import { type UserTableStore, userTableStore } from './user/user-table-store';

export interface DataTablesOptions {
  readonly backend: StorageBackend;
  readonly tables: TablesStore;
  readonly sequence: Sequence;
  readonly changes: ChangeFeed;
  readonly now: () => number;
  /** Flushed segments, merged into reads of shared and user tables. */
  readonly cold?: ColdCatalog | undefined;
  /** Who may own new rows of user and stream tables. */
  readonly owners?: RowOwners | undefined;
}

interface Entry {
  readonly version: number;
  readonly store: DataStore;
  readonly provider: DataTableProvider;
  /** The DDL epoch at which the entry was last known current. */
  epoch: number;
}

/**
 * The data tables of one engine: stores and providers opened from system.tables on demand, one per
 * (table, schema_version). DDL bumps `epoch`; until it changes, an open is a map lookup, and after
 * it the metadata is read again. Stores opened before an ALTER refuse further use (CONFLICT).
 */
export class DataTables implements SchemaGuard {
  epoch = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly context: DataStoreContext;

  constructor(private readonly options: DataTablesOptions) {
    this.context = {
      backend: options.backend,
      sequence: options.sequence,
      changes: options.changes,
      now: options.now,
      guard: this,
      cold: options.cold,
      owners: options.owners,
    };
  }

  /** Called by DDL (inside its transaction): every open store re-checks its schema version on next use. */
  schemaChanged(): void {
    this.epoch++;
  }

  assertCurrent(schema: TableSchema): void {
    const entry = this.entry(schema.id);
    if (entry.store.schema !== schema) {
      throw new EngineError(
        'CONFLICT',
        `table ${schema.label} was altered or re-created (schema version ${entry.version}, this store has ${schema.version}); open it again`,
      );
    }
  }

  /** The definition of a data table; NOT_FOUND for unknown and system tables. */
  metadata(id: TableId): TableMetadata {
    const meta = id.namespace === SYSTEM_NAMESPACE ? undefined : this.options.tables.get(id);
    if (!meta || meta.table_type === 'system') throw new NotFoundError(`table ${TableIdKey.display(id)}`);
    return meta;
  }

  private entry(id: TableId): Entry {
    const name = TableIdKey.display(id);
    const cached = this.entries.get(name);
    if (cached && cached.epoch === this.epoch) return cached;
    const meta = this.metadata(id);
    if (cached && cached.version === meta.schema_version) {
      cached.epoch = this.epoch;
      return cached;
    }
    const schema = new TableSchema(meta);
    const store =
      schema.type === 'shared'
        ? sharedTableStore(schema, this.context)
        : schema.type === 'user'
          ? userTableStore(schema, this.context)
          : new StreamTableStore(schema, this.context);
    const entry: Entry = { version: meta.schema_version, store, provider: new DataTableProvider(store), epoch: this.epoch };
    this.entries.set(name, entry);
    return entry;
  }

  /** The store of a data table at its current schema version. */
  open(id: TableId): DataStore {
    return this.entry(id).store;
  }

  shared(id: TableId): SharedTableStore {
    return this.expect(id, 'shared') as SharedTableStore;
  }

  user(id: TableId): UserTableStore {
    return this.expect(id, 'user') as UserTableStore;
  }

  stream(id: TableId): StreamTableStore {
    return this.expect(id, 'stream') as StreamTableStore;
  }

  private expect(id: TableId, kind: DataStore['kind']): DataStore {
    const store = this.open(id);
    if (store.kind !== kind) throw ValidationError.single('table', '', `${TableIdKey.display(id)} is a ${store.kind} table, not a ${kind} table`);
    return store;
  }

  provider(id: TableId): DataTableProvider {
    return this.entry(id).provider;
  }

  /** Every data table, in (namespace, table) order. */
  *list(): Generator<TableMetadata> {
    for (const [, meta] of this.options.tables.scan()) if (meta.table_type !== 'system' && meta.namespace_id !== SYSTEM_NAMESPACE) yield meta;
  }

  /**
   * Forgets every cached store after the database content was replaced (a restore): a table may
   * have been re-created with the same schema_version and other columns, so the version check of
   * entry() is not enough there.
   */
  forgetAll(): void {
    this.entries.clear();
    this.epoch++;
  }

  /** Forgets a dropped table's cached store. */
  forget(id: TableId): void {
    this.entries.delete(TableIdKey.display(id));
  }

  /** Removes expired rows from every stream table; returns how many per table ("ns.t" → n). */
  evictStreams(now: number = this.options.now()): Map<string, number> {
    const out = new Map<string, number>();
    for (const meta of this.list()) {
      if (meta.table_type !== 'stream') continue;
      const store = this.entry(tableId(meta.namespace_id, meta.table_name)).store as StreamTableStore;
      out.set(store.label, store.evict(now));
    }
    return out;
  }
}
