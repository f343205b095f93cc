import type { TableAccess } from '../../../shared/access';
import type { BrowseRequest, ColumnInfo, Row, RowPage } from '../../../shared/browse';
import { startsWith } from '../../../shared/keys/tuple';
import { ownValue } from '../../../shared/own-keys';
import type { Subject } from '../access/subject';
import { ValidationError } from '../errors';
import { SCAN_BUDGET } from '../provider/entity-table-provider';
import { compileRequestFilter, type RowFilter, type RowPredicate } from '../provider/filters';
import type { TableProvider } from '../provider/table-provider';
import type { KeysetBound } from '../store/cursor';
import { boundRange, type KeysetCandidate, type KeysetSource, keysetPage } from '../store/keyset-page';
import { seqVersion } from '../store/version';
import type { JsonRows } from './data-table-store';
import type { DataRow } from './row-schema';
import type { SharedTableStore } from './shared/shared-table-store';
import type { StreamTableStore } from './stream/stream-table-store';
import type { UserTableStore } from './user/user-table-store';

export type DataStore = SharedTableStore | UserTableStore | StreamTableStore;

/** The owner column of user and stream tables (part of their key). */
export const USER_COLUMN = '_user';

/**
 * Browsing for a data table, the same contract as the system tables' provider: its columns, pages
 * filtered while scanning (at most SCAN_BUDGET stored rows per call), a count and a row by key.
 *
 * Columns: the table's own, then `_seq` (read-only; the row's version token is made from it). User
 * and stream tables start with `_user`, the owner, and stream tables end with `_ts`, the write
 * time. Key columns (flagged
 * primaryKey) are those of the storage key: the primary key (shared), `_user` + primary key (user),
 * `_user` + `_seq` (stream); sorting by any of them is key order, the only order for now (data
 * tables have no secondary indexes yet). The admin view of a user table therefore lists rows by
 * (user, key).
 *
 * Row keys are display forms: "42" (shared), "alice/42" (user), "alice/17" (stream). The subject
 * decides the range: a user sees only its own rows, whatever cursor, seek or key it sends.
 *
 * `access` is the table's access level for shared tables. User and stream tables report "public":
 * every signed-in role may use them, each on its own rows (anonymous is refused by the stores).
 */
export class DataTableProvider implements TableProvider {
  readonly kind: DataStore['kind'];
  readonly access: TableAccess;
  private readonly cols: ColumnInfo[];

  constructor(readonly store: DataStore) {
    this.kind = store.kind;
    this.access = store.kind === 'shared' ? store.tableAccess() : 'public';
    const owned = store.kind !== 'shared';
    const stream = store.kind === 'stream';
    this.cols = [
      ...(owned ? [{ name: USER_COLUMN, type: 'text' as const, nullable: false, primaryKey: true }] : []),
      ...store.schema.columns.map((c): ColumnInfo => ({ name: c.name, type: c.type, nullable: c.nullable, primaryKey: !stream && c.primary_key })),
      { name: '_seq', type: 'integer', nullable: false, primaryKey: stream },
      ...(stream ? [{ name: '_ts', type: 'timestamp' as const, nullable: false, primaryKey: false }] : []),
    ];
  }

  get tableId() {
    return this.store.tableId;
  }

  columns(): ColumnInfo[] {
    return this.cols;
  }

  toRow(keyBytes: Uint8Array, row: DataRow): Row {
    return { key: this.store.displayKey(keyBytes), values: this.valuesOf(keyBytes, row), version: seqVersion(row._seq) };
  }

  /** A row's values as browsing shows them (the columns of `columns()`). */
  private valuesOf(keyBytes: Uint8Array | undefined, row: DataRow): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    if (this.store.kind !== 'shared') values[USER_COLUMN] = this.store.ownerOf(keyBytes!);
    for (const c of this.store.schema.columns) values[c.name] = ownValue(row, c.name);
    values._seq = row._seq;
    if (this.store.kind === 'stream') values._ts = row._ts;
    return values;
  }

  /**
   * Every visible row of the subject's range that the filters and the quick search keep, in key
   * order, as browsing shows their values, in batches: one merged scan of hot and flushed rows
   * (DataTableStore.scanMergedBatches) instead of a page per call, for reading a whole table
   * (exports). Access is checked at the call.
   */
  rowBatches(subject: Subject, view: RowFilter = {}): Generator<Record<string, unknown>[]> {
    const prefix = this.store.readScope(subject);
    const matches = compileRequestFilter(this.cols, view);
    const now = this.store.now();
    const store = this.store;
    const valuesOf = (k: Uint8Array | undefined, v: DataRow) => this.valuesOf(k, v);
    return (function* () {
      // Keys only where a row's values need them: the owner of user and stream rows.
      for (const { rows, keys } of store.scanMergedBatches(prefix, store.kind !== 'shared')) {
        const out: Record<string, unknown>[] = [];
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          if (!store.isVisible(row, now)) continue;
          const values = valuesOf(keys?.[i], row);
          if (matches(values)) out.push(values);
        }
        if (out.length > 0) yield out;
      }
    })();
  }

  /**
   * rowBatches' rows as the JSON text of the named columns' values (DataTableStore.scanMergedMembers),
   * for exports that write text; undefined where rowBatches must read them: a view with filters or a
   * quick search (they test values), and user and stream tables (the owner and the write time are
   * not stored in the row). Access is checked at the call.
   */
  jsonBatches(subject: Subject, view: RowFilter, names: readonly string[]): Generator<JsonRows> | undefined {
    if (this.store.kind !== 'shared' || view.filters?.length || view.search) return undefined;
    const stored = new Set(this.cols.map((c) => c.name));
    if (!names.every((n) => stored.has(n))) return undefined;
    return this.store.scanMergedMembers(this.store.readScope(subject), names);
  }

  private checkSort(request: BrowseRequest): void {
    const sort = request.sort;
    if (!sort) return;
    const column = this.cols.find((c) => c.name === sort.column);
    if (!column) throw new ValidationError('browse request', [{ field: 'sort.column', message: `unknown column "${sort.column}"` }]);
    if (!column.primaryKey) {
      throw new ValidationError('browse request', [{ field: 'sort.column', message: `column "${sort.column}" has no index; sort by the key` }]);
    }
  }

  browse(subject: Subject, request: BrowseRequest): RowPage {
    const prefix = this.store.readScope(subject);
    this.checkSort(request);
    const matches = compileRequestFilter(this.cols, request);
    const seek = request.cursor === undefined && request.seek !== undefined ? this.store.parseDisplayKey(request.seek) : undefined;
    const now = this.store.now();
    const rows: KeysetSource<Row> = {
      listing: this.store.partition,
      candidates: (reverse, bound) => this.visibleRows(prefix, reverse, bound, now, matches),
    };
    const page = keysetPage(rows, {
      limit: request.limit,
      cursor: request.cursor,
      direction: request.direction,
      order: request.sort?.order,
      seek,
      budget: SCAN_BUDGET,
    });
    return { rows: page.items, scanned: page.scanned, next: page.next, prev: page.prev };
  }

  /**
   * Rows of the subject's range (hot rows merged with flushed segments, see DataTableStore.scanMerged)
   * from a page's bound: the prefix and the bound combine, so no cursor leaves the subject's range.
   * Tombstones, expired stream rows and rows the filters refuse are examined but not shown.
   */
  private *visibleRows(
    prefix: Uint8Array | undefined,
    reverse: boolean,
    bound: KeysetBound | undefined,
    now: number,
    matches: RowPredicate,
  ): Generator<KeysetCandidate<Row>> {
    for (const [k, value] of this.store.scanMerged({ prefix, reverse, ...boundRange(reverse, bound) })) {
      const row = this.store.isVisible(value, now) ? this.toRow(k, value) : undefined;
      yield { pos: k, item: row && matches(row.values) ? row : undefined };
    }
  }

  count(subject: Subject, cap?: number): number {
    return this.store.countRows(subject, { cap });
  }

  /** A visible row by the display form of its key; undefined for none, or for another user's row. */
  get(subject: Subject, key: string): Row | undefined {
    const prefix = this.store.readScope(subject);
    const k = this.store.parseDisplayKey(key);
    if (prefix !== undefined && !startsWith(k, prefix)) return undefined;
    const row = this.store.getRaw(k);
    return row && this.store.isVisible(row, this.store.now()) ? this.toRow(k, row) : undefined;
  }
}
