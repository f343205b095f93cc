import type { TableAccess } from '../../../shared/access';
import type { BrowseRequest, ColumnInfo, Row, RowPage } from '../../../shared/browse';
import { startsWith } from '../../../shared/keys/tuple';
import { ownValue } from '../../../shared/own-keys';
import type { Subject } from '../access/subject';
import { ValidationError } from '../errors';
import { SCAN_BUDGET } from '../provider/entity-table-provider';
import { compileFilters } from '../provider/filters';
import type { TableProvider } from '../provider/table-provider';
import { decodeCursor, encodeCursor } from '../store/cursor';
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
 * Columns: the table's own, then `_seq` (the row's version, read-only). User and stream tables start
 * with `_user`, the owner, and stream tables end with `_ts`, the write time. Key columns (flagged
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
    const values: Record<string, unknown> = {};
    if (this.store.kind !== 'shared') values[USER_COLUMN] = this.store.ownerOf(keyBytes);
    for (const c of this.store.schema.columns) values[c.name] = ownValue(row, c.name);
    values._seq = row._seq;
    if (this.store.kind === 'stream') values._ts = row._ts;
    return { key: this.store.displayKey(keyBytes), values };
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
    const matches = compileFilters(this.cols, request.filters ?? []);
    const backward = request.direction === 'backward';
    const reverse = (request.sort?.order === 'desc') !== backward;
    const at = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    const seekKey = at === undefined && request.seek !== undefined ? this.store.parseDisplayKey(request.seek) : undefined;
    const bound = at !== undefined ? { key: at, inclusive: false } : seekKey !== undefined ? { key: seekKey, inclusive: true } : undefined;
    // The prefix and the bound combine (the backend intersects them): no cursor leaves the subject's range.
    const edge = bound === undefined ? {} : reverse ? { [bound.inclusive ? 'lte' : 'lt']: bound.key } : { [bound.inclusive ? 'gte' : 'gt']: bound.key };

    const rows: Row[] = [];
    const positions: Uint8Array[] = [];
    let scanned = 0;
    let more = false;
    let stoppedAt: Uint8Array | undefined;
    const now = this.store.now();
    // Hot rows merged with flushed segments (see DataTableStore.scanMerged).
    for (const [k, value] of this.store.scanMerged({ prefix, reverse, ...edge })) {
      if (rows.length === request.limit) {
        more = true;
        break;
      }
      scanned++;
      if (this.store.isVisible(value, now)) {
        const row = this.toRow(k, value);
        if (matches(row.values)) {
          rows.push(row);
          positions.push(k);
        }
      }
      if (scanned >= SCAN_BUDGET) {
        more = true;
        stoppedAt = k;
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
    const hasBefore = at !== undefined || (seekKey !== undefined && nearEdge !== undefined && this.hasKeyBefore(nearEdge, reverse, prefix));
    const returnCursor = hasBefore && from !== undefined ? encodeCursor(nearEdge ?? from) : undefined;
    return {
      rows,
      scanned,
      ...(backward ? { prev: continueCursor, next: returnCursor } : { next: continueCursor, prev: returnCursor }),
    };
  }

  private hasKeyBefore(key: Uint8Array, reverse: boolean, prefix: Uint8Array | undefined): boolean {
    return !this.store.scanMerged({ prefix, ...(reverse ? { gt: key } : { lt: key }), reverse: !reverse }).next().done;
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
