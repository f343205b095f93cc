import type { BrowseRequest, ColumnInfo, Row, RowPage } from '../../../shared/browse';
import { encodeTuple, type TupleElement } from '../../../shared/keys/tuple';
import { assertCanRead, type Subject } from '../access/subject';
import { ValidationError } from '../errors';
import type { SecondaryIndex } from '../index/secondary-index';
import type { StoredEntity } from '../store/entity-store';
import { type KeysetSource, keysetPage, mapSource } from '../store/keyset-page';
import type { SystemTableStore } from '../store/system-table-store';
import { storedVersion } from '../store/version';
import { compileRequestFilter, hasOrGroups } from './filters';
import type { TableProvider } from './table-provider';

/** Rows examined per browse call at most, so a filter matching nothing cannot stall the process. */
export const SCAN_BUDGET = 20_000;

export interface EntityTableProviderConfig {
  readonly columns: ColumnInfo[];
  /** Fields never returned (password hashes). */
  readonly secrets?: readonly string[];
}

/**
 * Browsing for a system table: pages in primary-key order or in the order of an index whose first
 * field is the sort column, filters applied while scanning, secrets removed from every row.
 */
export class EntityTableProvider<K, V extends object> implements TableProvider {
  readonly kind = 'system' as const;
  private readonly secrets: ReadonlySet<string>;

  constructor(
    private readonly store: SystemTableStore<K, V>,
    private readonly config: EntityTableProviderConfig,
  ) {
    this.secrets = new Set(config.secrets ?? []);
  }

  get tableId() {
    return this.store.tableId;
  }

  get access() {
    return this.store.tableAccess();
  }

  columns(): ColumnInfo[] {
    return this.config.columns;
  }

  /** The row of a stored entity: secrets left out, its version made from the stored bytes. */
  toRow(entity: StoredEntity<V>): Row {
    const values: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(entity.value)) if (!this.secrets.has(name)) values[name] = v;
    return { key: this.store.keyCodec.display(this.store.keyCodec.decode(entity.key)), values, version: storedVersion(entity.bytes) };
  }

  private readonly label = () => `system.${this.store.tableId.table}`;

  private sortIndex(request: BrowseRequest): SecondaryIndex<V> | undefined {
    const sort = request.sort;
    if (!sort) return undefined;
    const column = this.config.columns.find((c) => c.name === sort.column);
    if (!column) throw new ValidationError('browse request', [{ field: 'sort.column', message: `unknown column "${sort.column}"` }]);
    if (column.primaryKey) return undefined;
    if (!column.index) {
      throw new ValidationError('browse request', [
        { field: 'sort.column', message: `column "${sort.column}" has no index; sort by the key or an indexed column` },
      ]);
    }
    return this.store.index(column.index);
  }

  /** An equality filter on an indexed column narrows the scan to that index's prefix. */
  private seekIndex(request: BrowseRequest): { index: SecondaryIndex<V>; prefix: Uint8Array } | undefined {
    if (request.sort || hasOrGroups(request.filters ?? [])) return undefined;
    for (const f of request.filters ?? []) {
      if (f.op !== 'eq' || f.value === undefined || f.value === null) continue;
      const column = this.config.columns.find((c) => c.name === f.column);
      if (!column?.index) continue;
      const value: TupleElement = column.type === 'integer' || column.type === 'timestamp' ? Number(f.value) : f.value;
      if (typeof value === 'number' && !Number.isSafeInteger(value)) continue;
      return { index: this.store.index(column.index), prefix: encodeTuple([value]) };
    }
    return undefined;
  }

  /** Entities in key order, or in the order of an index's entries (positions are the entry keys). */
  private source(index: SecondaryIndex<V> | undefined, prefix: Uint8Array | undefined): KeysetSource<StoredEntity<V>> {
    if (!index) return this.store.keyOrder(prefix);
    // An entry whose entity is gone shows nothing (it still counts as examined).
    return mapSource(index.entries(prefix), (entry) => this.store.getStored(index.primaryKeyOf(entry)));
  }

  browse(subject: Subject, request: BrowseRequest): RowPage {
    assertCanRead(subject, this.label(), this.access);
    const matches = compileRequestFilter(this.config.columns, request);
    const seek = this.seekIndex(request);
    const index = seek?.index ?? this.sortIndex(request);
    // Seeking positions the page at a key (inclusive), in key order only: index order has no key positions.
    const seekKey =
      request.cursor === undefined && request.seek !== undefined && !index ? this.store.keyCodec.encode(this.store.keyCodec.parse(request.seek)) : undefined;
    const rows = mapSource(this.source(index, seek?.prefix), (entity) => (matches(entity.value as Record<string, unknown>) ? this.toRow(entity) : undefined));
    const page = keysetPage(rows, {
      limit: request.limit,
      cursor: request.cursor,
      direction: request.direction,
      order: request.sort?.order,
      seek: seekKey,
      budget: SCAN_BUDGET,
    });
    return { rows: page.items, scanned: page.scanned, next: page.next, prev: page.prev };
  }

  count(subject: Subject, cap?: number): number {
    assertCanRead(subject, this.label(), this.access);
    return this.store.count({ cap });
  }

  get(subject: Subject, key: string): Row | undefined {
    assertCanRead(subject, this.label(), this.access);
    const entity = this.store.getStored(this.store.keyCodec.encode(this.store.keyCodec.parse(key)));
    return entity === undefined ? undefined : this.toRow(entity);
  }
}
