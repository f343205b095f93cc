import type { BrowseRequest, ColumnInfo, Row, RowPage } from '../../../shared/browse';
import { encodeTuple, type TupleElement } from '../../../shared/keys/tuple';
import { assertCanRead, type Subject } from '../access/subject';
import { ValidationError } from '../errors';
import type { SecondaryIndex } from '../index/secondary-index';
import { decodeCursor, encodeCursor } from '../store/cursor';
import type { SystemTableStore } from '../store/system-table-store';
import { compileFilters } from './filters';
import type { TableProvider } from './table-provider';

/** Rows examined per browse call at most, so a filter matching nothing cannot stall the process. */
export const SCAN_BUDGET = 20_000;

interface Candidate<V> {
  /** Position in the scanned order: the entity key, or the index entry key. */
  readonly pos: Uint8Array;
  readonly pk: Uint8Array;
  /** Undefined for an index entry whose entity is gone (it still counts against the budget). */
  readonly value: V | undefined;
}

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

  toRow(pk: Uint8Array, value: V): Row {
    const values: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) if (!this.secrets.has(name)) values[name] = v;
    return { key: this.store.keyCodec.display(this.store.keyCodec.decode(pk)), values };
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
    if (request.sort) return undefined;
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

  private *candidates(
    index: SecondaryIndex<V> | undefined,
    prefix: Uint8Array | undefined,
    bound: { key: Uint8Array; inclusive: boolean } | undefined,
    reverse: boolean,
  ): Generator<Candidate<V>> {
    const edge = bound === undefined ? {} : reverse ? { [bound.inclusive ? 'lte' : 'lt']: bound.key } : { [bound.inclusive ? 'gte' : 'gt']: bound.key };
    const range = { prefix, reverse, ...edge };
    if (!index) {
      for (const [pk, value] of this.store.scanRaw(range)) yield { pos: pk, pk, value };
      return;
    }
    for (const [key, entryValue] of this.store.backend.scan(index.partition, range)) {
      const pk = index.primaryKeyOf({ key, value: entryValue });
      yield { pos: key, pk, value: this.store.getRaw(pk) };
    }
  }

  browse(subject: Subject, request: BrowseRequest): RowPage {
    assertCanRead(subject, this.label(), this.access);
    const matches = compileFilters(this.config.columns, request.filters ?? []);
    const seek = this.seekIndex(request);
    const index = seek?.index ?? this.sortIndex(request);
    const backward = request.direction === 'backward';
    const reverse = (request.sort?.order === 'desc') !== backward;
    const at = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    // Seeking positions the page at a key (inclusive), in key order only: index order has no key positions.
    const seekKey = at === undefined && request.seek !== undefined && !index ? this.store.keyCodec.encode(this.store.keyCodec.parse(request.seek)) : undefined;
    const bound = at !== undefined ? { key: at, inclusive: false } : seekKey !== undefined ? { key: seekKey, inclusive: true } : undefined;

    const rows: Row[] = [];
    const positions: Uint8Array[] = [];
    let scanned = 0;
    let more = false;
    let stoppedAt: Uint8Array | undefined;
    for (const c of this.candidates(index, seek?.prefix, bound, reverse)) {
      if (rows.length === request.limit) {
        more = true;
        break;
      }
      scanned++;
      if (c.value !== undefined && matches(c.value as Record<string, unknown>)) {
        rows.push(this.toRow(c.pk, c.value));
        positions.push(c.pos);
      }
      if (scanned >= SCAN_BUDGET) {
        // Budget spent: hand back what matched and a cursor to go on from here.
        more = true;
        stoppedAt = c.pos;
        break;
      }
    }
    if (backward) {
      rows.reverse();
      positions.reverse();
    }
    const farEdge = stoppedAt ?? (backward ? positions[0] : positions[positions.length - 1]);
    const nearEdge = backward ? positions[positions.length - 1] : positions[0];
    const continueCursor = more && farEdge ? encodeCursor(farEdge) : undefined;
    const from = at ?? seekKey;
    // A seeked page has rows before it when any key precedes the first row shown.
    const hasBefore = at !== undefined || (seekKey !== undefined && nearEdge !== undefined && this.hasKeyBefore(nearEdge, reverse));
    const returnCursor = hasBefore && from !== undefined ? encodeCursor(nearEdge ?? from) : undefined;
    return {
      rows,
      scanned,
      ...(backward ? { prev: continueCursor, next: returnCursor } : { next: continueCursor, prev: returnCursor }),
    };
  }

  private hasKeyBefore(key: Uint8Array, reverse: boolean): boolean {
    return !this.store.backend.scanKeys(this.store.partition, { ...(reverse ? { gt: key } : { lt: key }), limit: 1 }).next().done;
  }

  count(subject: Subject, cap?: number): number {
    assertCanRead(subject, this.label(), this.access);
    return this.store.count({ cap });
  }

  get(subject: Subject, key: string): Row | undefined {
    assertCanRead(subject, this.label(), this.access);
    const k = this.store.keyCodec.encode(this.store.keyCodec.parse(key));
    const value = this.store.getRaw(k);
    return value === undefined ? undefined : this.toRow(k, value);
  }
}
