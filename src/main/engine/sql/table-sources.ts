import type { ColumnInfo, ColumnType } from '../../../shared/browse';
import type { Subject } from '../access/subject';
import type { TableProvider } from '../provider/table-provider';
import type { ScanOptions } from '../storage/storage-backend';
import type { SqlValue, VirtualTableSource } from '../storage/sqlite/query-connection';
import { type DataStore, type DataTableProvider, USER_COLUMN } from '../tables/data-table-provider';
import type { DataRow } from '../tables/row-schema';

/** The hidden parameter columns of a data table: a point read and the bounds of a key range. */
export const KEY_PARAMETERS = ['_pk_eq', '_pk_ge', '_pk_gt', '_pk_le', '_pk_lt'] as const;

/** Why a running query stopped early. */
export class QueryStopped extends Error {
  override name = 'QueryStopped';
  constructor(readonly reason: 'TIMEOUT' | 'CANCELLED') {
    super(reason === 'TIMEOUT' ? 'the statement ran past its timeout' : 'the statement was cancelled');
  }
}

/**
 * What the running statement reads for: the subject every table source checks access and scopes
 * rows with (a user sees only its own rows of user tables, in joins and subqueries alike), and the
 * stop signal the sources check every few rows. Set before each statement runs.
 */
export class QueryState {
  /** `stopped`: a stop signal from outside (the query worker's shared cancel flag). */
  constructor(private readonly stopped: () => boolean = () => false) {}

  subject: Subject = { userId: null, role: 'system' };
  deadline = Number.POSITIVE_INFINITY;
  cancelled = false;
  /** Key ranges and scans done by this statement (EXPLAIN ANALYZE-like notes). */
  readonly scans: ScanNote[] = [];

  begin(subject: Subject, timeoutMs: number): void {
    this.subject = subject;
    this.deadline = Date.now() + timeoutMs;
    this.cancelled = false;
    this.scans.length = 0;
  }

  check(): void {
    if (this.cancelled || this.stopped()) throw new QueryStopped('CANCELLED');
    if (Date.now() > this.deadline) throw new QueryStopped('TIMEOUT');
  }
}

export interface ScanNote {
  readonly table: string;
  readonly access: 'key lookup' | 'key range' | 'full scan';
  readonly rows: number;
}

/** The key of a row read without one (a shared table's full scan: its values never need it). */
const NO_KEY = new Uint8Array(0);

/** How often (rows) a scan checks the stop signal. */
const CHECK_EVERY = 256;

/** A stored value as SQLite holds it: booleans as 0/1, json as its text; the rest as stored. */
export function toSqlValue(type: ColumnType, value: unknown): SqlValue {
  const v = toSqlNumber(type, value);
  return INTEGER_TYPES.has(type) ? asSqlInteger(v) : v;
}

/** Column types whose values are integers in SQL. */
export const INTEGER_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'timestamp', 'boolean']);

/**
 * A number that is an integer as the INTEGER SQLite should see: better-sqlite3 hands every JS number
 * over as a REAL, a bigint as an INTEGER (`id / 2` divides as integers, `'#' || id` reads '#1').
 */
export function asSqlInteger(value: SqlValue): SqlValue {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
}

/** A column's value as SQL compares it, with numbers as JS numbers (see toSqlValue for the INTEGERs SQLite takes). */
export function toSqlNumber(type: ColumnType, value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'boolean':
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
    default:
      return value as SqlValue;
  }
}

function* checked<T>(state: QueryState, rows: Iterable<T>, note: { rows: number }): Generator<T> {
  for (const row of rows) {
    if (++note.rows % CHECK_EVERY === 0) state.check();
    yield row;
  }
}

/**
 * A data table's row as its virtual table's values: the grid's columns (`_user` first for user and
 * stream tables, then the table's own, then `_seq`), as DataTableProvider.toRow has them without the
 * display key, which a query never needs.
 */
export function rowValues(provider: DataTableProvider): (key: Uint8Array, row: DataRow) => SqlValue[] {
  const store = provider.store;
  const columns = provider.columns();
  const owned = store.kind !== 'shared';
  return (k, row) => {
    const out = new Array<SqlValue>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      out[i] = owned && c.name === USER_COLUMN ? (store.ownerOf(k) ?? null) : toSqlValue(c.type, Object.hasOwn(row, c.name) ? row[c.name] : null);
    }
    return out;
  };
}

/** The storage key of a primary-key value within a scope (a user's rows: `prefix`); throws for a value the key column cannot hold. */
function keyOf(store: DataStore, prefix: Uint8Array | undefined, value: SqlValue): Uint8Array {
  const id = store.schema.rowIdOf(typeof value === 'bigint' ? Number(value) : value);
  return prefix ? Buffer.concat([prefix, id]) : id;
}

/**
 * The visible row at one primary-key value within a scope, read as rows.get reads it (hot or
 * flushed, tombstones hiding it); undefined for none, and for a value of another type (it equals no key).
 */
export function readKey(store: DataStore, prefix: Uint8Array | undefined, value: SqlValue): [Uint8Array, DataRow] | undefined {
  let key: Uint8Array;
  try {
    key = keyOf(store, prefix, value);
  } catch {
    return undefined;
  }
  const row = store.getRaw(key);
  return row && store.isVisible(row, store.now()) ? [key, row] : undefined;
}

/**
 * A data table as a virtual table: the grid's columns (`_user` first for user and stream tables,
 * then the table's own, then `_seq`), rows read exactly as the grid reads them (hot and flushed
 * merged, tombstones hiding rows), within the subject's scope. `_pk_eq` becomes one key read, the
 * other parameters a key range.
 */
export function dataTableSource(provider: DataTableProvider, state: QueryState): VirtualTableSource {
  const store = provider.store;
  const names = provider.columns().map((c) => c.name);
  const label = store.label;
  const encode = (prefix: Uint8Array | undefined, v: SqlValue | undefined): Uint8Array | undefined =>
    v === undefined || v === null ? undefined : keyOf(store, prefix, v);
  const emit = rowValues(provider);
  return {
    columns: names,
    parameters: store.kind === 'stream' ? [] : KEY_PARAMETERS,
    *rows(parameters) {
      let [eq, ge, gt, le, lt] = parameters;
      state.check();
      const prefix = store.readScope(state.subject);
      // A user table's keys start with their owner: without one user's scope (the admin reads every
      // user's rows) a key names no single row, so the scan reads the table and SQLite filters.
      if (store.kind === 'user' && prefix === undefined) eq = ge = gt = le = lt = undefined;
      if (eq !== undefined) {
        const note = { table: label, access: 'key lookup' as const, rows: 0 };
        state.scans.push(note);
        const found = eq === null ? undefined : readKey(store, prefix, eq);
        if (found) {
          note.rows = 1;
          yield emit(...found);
        }
        return;
      }
      let range: ScanOptions = { prefix };
      const bounded = [ge, gt, le, lt].some((b) => b !== undefined);
      if (bounded) {
        try {
          range = { prefix, gte: encode(prefix, ge), gt: encode(prefix, gt), lte: encode(prefix, le), lt: encode(prefix, lt) };
        } catch {
          range = { prefix };
        }
      }
      const note = { table: label, access: bounded ? ('key range' as const) : ('full scan' as const), rows: 0 };
      state.scans.push(note);
      if (bounded) {
        for (const [k, row] of checked(state, store.visibleRaw(range), note)) yield emit(k, row);
        return;
      }
      // The whole scope: the merged scan in batches (hot rows read as text), as exports read a table.
      const now = store.now();
      for (const { rows, keys } of store.scanMergedBatches(prefix, store.kind !== 'shared')) {
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          if (!store.isVisible(row, now)) continue;
          if (++note.rows % CHECK_EVERY === 0) state.check();
          yield emit(keys?.[i] ?? NO_KEY, row);
        }
      }
    },
  };
}

/** Rows per read of a system table (its provider's pages). */
const SYSTEM_PAGE = 1000;

/**
 * A system table as a virtual table: its browsing provider's columns and pages, with the access
 * rules of the grid (a refused subject gets ACCESS_DENIED). Secrets are not columns: a password
 * hash can never be selected.
 */
export function systemTableSource(provider: TableProvider, state: QueryState): VirtualTableSource {
  const columns: ColumnInfo[] = provider.columns();
  const label = `system.${provider.tableId.table}`;
  return {
    columns: columns.map((c) => c.name),
    parameters: [],
    *rows() {
      state.check();
      const note = { table: label, access: 'full scan' as const, rows: 0 };
      state.scans.push(note);
      let cursor: string | undefined;
      do {
        const page = provider.browse(state.subject, { limit: SYSTEM_PAGE, cursor });
        for (const row of page.rows) {
          if (++note.rows % CHECK_EVERY === 0) state.check();
          yield columns.map((c) => toSqlValue(c.type, row.values[c.name]));
        }
        cursor = page.next;
      } while (cursor !== undefined);
    },
  };
}
