import type { ColumnInfo } from '../../../shared/browse';
import type { TableMetadata } from '../../../shared/system/tables';
import { NamespaceIdSchema, SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { tableId } from '../../../shared/keys/table-id';
import { identifierName, type Token } from '../../../shared/sql/sql-lexer';
import type { SqlCell, SqlColumn } from '../../../shared/sql/sql-results';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { NotFoundError } from '../errors';
import { type PreparedQuery, QueryConnection, QueryError, type SqlValue } from '../storage/sqlite/query-connection';
import { type DataTableProvider, USER_COLUMN } from '../tables/data-table-provider';
import { planPointLookup, planQuery, type PlannedTable, type PointLookup, type QueryPlan } from './query-planner';
import { SqlStatementError } from './sql-statement-error';
import { dataTableSource, QueryState, QueryStopped, readKey, rowValues, systemTableSource } from './table-sources';
import { groupedScanFits, groupedTableSource } from './grouped-aggregate';

/** A query's result while it is read: columns, then pages until the last. */
export interface OpenQuery {
  readonly columns: SqlColumn[];
  /** The result columns that hold its one table's key (`_user` and the primary key), when it reads one table and shows them; else empty. */
  readonly keyColumns: number[];
  readonly state: QueryState;
  /** Whether the groups were computed inside the scan (a grouped scan: see query-planner.ts). */
  readonly grouped: boolean;
  /** Whether the row was found by one read of its key, without SQLite (a point lookup: see SqlQueries.openPoint). */
  readonly point: boolean;
  /** Up to `limit` rows; `done` once the result has no more (it is then closed). */
  next(limit: number, timeoutMs: number): { rows: SqlCell[][]; done: boolean };
  close(): void;
}

/** A query connection with its tables, the state their sources read, and its prepared statements. */
interface Pooled {
  readonly key: string;
  readonly connection: QueryConnection;
  readonly state: QueryState;
  readonly types: Map<string, ColumnInfo[]>;
  readonly statements: Map<string, PreparedQuery>;
}

/** EXPLAIN's columns. */
const EXPLAIN_COLUMNS: SqlColumn[] = [
  { name: 'table', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'access', type: 'text' },
  { name: 'pushed_down', type: 'text' },
  { name: 'hot_rows', type: 'integer' },
  { name: 'cold_segments', type: 'integer' },
];

/** A point lookup that applies: the table, the subject's scope, and the columns of the result. */
interface PointRead {
  readonly lookup: PointLookup;
  readonly provider: DataTableProvider;
  readonly prefix: Uint8Array | undefined;
  /** Index in provider.columns() of each result column. */
  readonly picks: number[];
  readonly columns: SqlColumn[];
}

/** Idle query connections kept at most. */
const IDLE_MAX = 16;

/** Names a secret column of a system table may have (never a column: refused with ACCESS_DENIED). */
const SECRET_COLUMNS = new Set(['password_hash', 'credentials']);

/** A SQL value as a result cell (JSON-safe): blobs as x'…' text, integers beyond 2^53 and infinities as text. */
export function toCell(v: SqlValue): SqlCell {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return `x'${Buffer.from(v).toString('hex')}'`;
}

/**
 * Runs the console's queries: each on a query connection of its own (better-sqlite3 allows one
 * open statement per connection, and a result may stay open across pages), its tables virtual
 * tables over our stores (table-sources.ts), read as the subject the statement runs for.
 */
export class SqlQueries {
  private readonly idle = new Map<string, Pooled[]>();
  private epoch = Number.NaN;

  /**
   * `stopped`: the query worker's cancel flag, checked with each statement's own stop signals.
   * `groupedScans`: answer aggregates of one table group by group inside the scan; `pointLookups`:
   * answer a primary-key point lookup by one read of the key (off: always the plain plan, for tests
   * that compare the two).
   */
  constructor(
    private readonly engine: Engine,
    private readonly stopped?: () => boolean,
    private readonly groupedScans = true,
    private readonly pointLookups = true,
  ) {}

  private catalog() {
    const engine = this.engine;
    // The planner asks about a name at each of its mentions: one read per name and statement.
    const namespaces = new Map<string, boolean>();
    return {
      isNamespace: (name: string) => {
        if (name === SYSTEM_NAMESPACE) return true;
        let known = namespaces.get(name);
        if (known === undefined) {
          const id = NamespaceIdSchema.safeParse(name);
          known = id.success && engine.system.namespaces.exists(id.data);
          namespaces.set(name, known);
        }
        return known;
      },
      table: (namespace: string, table: string): PlannedTable | undefined => {
        if (namespace === SYSTEM_NAMESPACE) {
          return engine.system.providers.has(table) ? { label: `system.${table}`, kind: 'system', primaryKey: undefined } : undefined;
        }
        // The engine's open store, current until DDL, as rows.get finds it (no read of system.tables per statement).
        let meta: TableMetadata;
        try {
          meta = engine.data.open(tableId(namespace as never, table as never)).schema.meta;
        } catch (e) {
          if (e instanceof NotFoundError) return undefined;
          throw e;
        }
        const pk = meta.table_type === 'stream' ? undefined : meta.columns.find((c) => c.primary_key)?.name;
        return { label: `${namespace}.${table}`, kind: meta.table_type, primaryKey: pk, version: meta.schema_version };
      },
    };
  }

  /** The plan of a query: its SQL for the query connection, tables and key constraints (UNKNOWN_TABLE at its position). */
  plan(tokens: readonly Token[], source: string): QueryPlan {
    return planQuery(tokens, this.catalog(), source);
  }

  /** EXPLAIN: the tables scanned, the key constraints pushed down, and each table's hot rows and cold segments. */
  explain(tokens: readonly Token[], source: string, subject: Subject): { columns: SqlColumn[]; rows: SqlCell[][] } {
    const plan = this.plan(tokens, source);
    const grouped = this.groupedApplies(plan) ? plan.grouped : undefined;
    const point = this.pointRead(plan.point, subject);
    const rows: SqlCell[][] = [];
    for (const table of plan.tables) {
      const pushed = plan.pushdowns.filter((p) => p.table === table.label).map((p) => p.constraint);
      let access = pushed.some((p) => p.startsWith('key eq')) ? 'key lookup' : pushed.length > 0 ? 'key range' : 'full scan';
      // Answered by the store's key read itself, without SQLite (nor the query worker, in the app).
      if (point?.lookup.table === table) pushed[0] = `${pushed[0]!}, one read of the key in place`;
      if (grouped?.table === table) {
        access = 'grouped scan';
        const by = grouped.groupBy.length > 0 ? `GROUP BY ${grouped.groupBy.join(', ')}: ` : '';
        pushed.push(`${by}${grouped.aggregates.map((a) => `${a.fn}(${a.column ?? '*'})`).join(', ')} in the scan`);
      }
      let hot: SqlCell = null;
      let cold: SqlCell = null;
      if (table.kind !== 'system') {
        const [namespace, name] = table.label.split('.') as [string, string];
        const store = this.engine.data.open(tableId(namespace as never, name as never));
        hot = store.countHot();
        cold = store.kind === 'stream' ? 0 : this.engine.cold.segments(store.schema).length;
      }
      rows.push([table.label, table.kind, access, pushed.length > 0 ? pushed.join(' AND ') : null, hot, cold]);
    }
    return { columns: EXPLAIN_COLUMNS, rows };
  }

  /**
   * A connection with the plan's tables defined: an idle one of the same tables (and schema
   * versions) when there is one, with its prepared statements, else a new one. Connections are
   * dropped when this engine's schema changes.
   */
  private connect(plan: QueryPlan): Pooled {
    if (this.epoch !== this.engine.data.epoch) {
      this.closeIdle();
      this.epoch = this.engine.data.epoch;
    }
    const key = plan.tables.map((t) => `${t.label}@${t.version ?? 0}`).join(',');
    const idle = this.idle.get(key)?.pop();
    if (idle) return idle;
    const connection = new QueryConnection();
    const state = new QueryState(this.stopped);
    const types = new Map<string, ColumnInfo[]>();
    try {
      for (const table of plan.tables) {
        if (table.kind === 'system') {
          const provider = this.engine.system.providers.get(table.label.slice(SYSTEM_NAMESPACE.length + 1))!;
          types.set(table.label, provider.columns());
          connection.define(table.label, () => systemTableSource(provider, state));
        } else {
          const [namespace, name] = table.label.split('.') as [string, string];
          const provider = this.engine.data.provider(tableId(namespace as never, name as never));
          types.set(table.label, provider.columns());
          connection.define(table.label, () => dataTableSource(provider, state));
        }
      }
    } catch (e) {
      connection.close();
      throw e;
    }
    return { key, connection, state, types, statements: new Map() };
  }

  /** Back to the idle connections (at most a few per table set, and IDLE_MAX in all). */
  private release(pooled: Pooled): void {
    const list = this.idle.get(pooled.key) ?? [];
    if (list.length >= 2 || this.epoch !== this.engine.data.epoch) {
      pooled.connection.close();
      return;
    }
    list.push(pooled);
    // Re-inserted: the map's order is least recently used first.
    this.idle.delete(pooled.key);
    this.idle.set(pooled.key, list);
    let count = [...this.idle.values()].reduce((n, l) => n + l.length, 0);
    for (const [k, l] of this.idle) {
      if (count <= IDLE_MAX) break;
      for (const p of l) p.connection.close();
      count -= l.length;
      this.idle.delete(k);
    }
  }

  private closeIdle(): void {
    for (const list of this.idle.values()) for (const p of list) p.connection.close();
    this.idle.clear();
  }

  /** Closes the idle connections (open results close their own). */
  close(): void {
    this.closeIdle();
  }

  /** Whether a query would be answered by a grouped scan (for EXPLAIN: prepares, reads nothing). */
  private groupedApplies(plan: QueryPlan): boolean {
    if (!plan.grouped || !this.groupedScans) return false;
    const pooled = this.connect(plan);
    try {
      const plain = pooled.statements.get(plan.sql) ?? pooled.connection.prepare(plan.sql);
      return this.groupedScan(plan, pooled, plain) !== undefined;
    } catch {
      // The query itself does not prepare: running it reports why.
      return false;
    } finally {
      this.release(pooled);
    }
  }

  /**
   * The plan's grouped statement on this connection, when the plan has one that fits its table and
   * prepares to the plain statement's columns; undefined otherwise (the plain statement answers).
   */
  private groupedScan(plan: QueryPlan, pooled: Pooled, plain: PreparedQuery): PreparedQuery | undefined {
    const grouped = plan.grouped;
    if (!this.groupedScans || !grouped) return undefined;
    const cached = pooled.statements.get(grouped.sql);
    if (cached) return cached;
    const [namespace, name] = grouped.table.label.split('.') as [string, string];
    const provider = this.engine.data.provider(tableId(namespace as never, name as never));
    if (!groupedScanFits(provider, grouped)) return undefined;
    pooled.connection.define(grouped.name, () => groupedTableSource(provider, grouped, pooled.state));
    let prepared: PreparedQuery;
    try {
      prepared = pooled.connection.prepare(grouped.sql);
    } catch (e) {
      // A column the groups do not have (a bare column, SELECT *): the plain statement answers.
      if (e instanceof QueryError) return undefined;
      throw e;
    }
    if (!prepared.returnsRows || prepared.columns.length !== plain.columns.length) return undefined;
    if (pooled.statements.size < 32) pooled.statements.set(grouped.sql, prepared);
    return prepared;
  }

  /**
   * What a point lookup reads, when the plan is one that a key read answers exactly as the plain
   * plan would (undefined: the plain plan answers):
   *  - the literal has the key column's own type (an integer key and an integer literal, a text key
   *    and a text literal), so that the key read finds the rows SQLite's `=` keeps;
   *  - the subject may read the table, and a user table is read as one user (the admin reads every
   *    user's rows: a key names one row per user, so the plain plan scans);
   *  - every column named is a column of the table (else the plain plan reports it).
   */
  private pointRead(lookup: PointLookup | undefined, subject: Subject): PointRead | undefined {
    if (!lookup || !this.pointLookups) return undefined;
    const [namespace, name] = lookup.table.label.split('.') as [string, string];
    const provider = this.engine.data.provider(tableId(namespace as never, name as never));
    const store = provider.store;
    if (store.kind === 'stream') return undefined;
    const type = store.schema.primaryKey.type;
    if (!((type === 'integer' && typeof lookup.key === 'bigint') || (type === 'text' && typeof lookup.key === 'string'))) return undefined;
    let prefix: Uint8Array | undefined;
    try {
      prefix = store.readScope(subject);
    } catch {
      // Refused: the plain plan reports it, as for any other query.
      return undefined;
    }
    if (store.kind === 'user' && prefix === undefined) return undefined;
    const all = provider.columns();
    const picks: number[] = [];
    const columns: SqlColumn[] = [];
    for (const item of lookup.items) {
      if (item.kind === 'all') {
        all.forEach((c, i) => {
          picks.push(i);
          columns.push({ name: c.name, type: c.type });
        });
        continue;
      }
      // SQLite names a column by its declared name, or by its AS.
      const i = all.findIndex((c) => c.name.toLowerCase() === item.column.toLowerCase());
      if (i < 0) return undefined;
      picks.push(i);
      columns.push({ name: item.alias ?? all[i]!.name, type: all[i]!.type });
    }
    return { lookup, provider, prefix, picks, columns };
  }

  /** A point read as an open query: its one row (or none) read at the first page, as the plain plan reads it. */
  private point(read: PointRead, subject: Subject): OpenQuery {
    const { provider, prefix, picks, columns, lookup } = read;
    const store = provider.store;
    const all = provider.columns();
    const state = new QueryState(this.stopped);
    state.begin(subject, Number.POSITIVE_INFINITY);
    const keyNames = store.kind === 'user' ? [USER_COLUMN, lookup.table.primaryKey!] : [lookup.table.primaryKey!];
    const keyColumns = keyNames.map((n) => picks.findIndex((i) => all[i]!.name === n));
    const emit = rowValues(provider);
    const pk = store.schema.primaryKey.name;
    let done = false;
    return {
      columns,
      keyColumns: keyColumns.includes(-1) ? [] : keyColumns,
      grouped: false,
      point: true,
      state,
      next: () => {
        if (done) return { rows: [], done: true };
        done = true;
        state.check();
        const note = { table: store.label, access: 'key lookup' as const, rows: 0 };
        state.scans.push(note);
        const found = readKey(store, prefix, lookup.key);
        // The row SQLite's `=` keeps: its key value is the literal itself (BINARY text, integer value).
        const value = found?.[1][pk];
        if (!found || (typeof lookup.key === 'bigint' ? value !== Number(lookup.key) : value !== lookup.key)) return { rows: [], done: true };
        note.rows = 1;
        const values = emit(...found);
        return { rows: [picks.map((i) => toCell(values[i]!))], done: true };
      },
      close: () => {
        done = true;
      },
    };
  }

  /**
   * A primary-key point lookup (see query-planner.ts, PointLookup) opened for `subject` when one read
   * of the key answers it exactly as the plain plan would; undefined for any other query, and for a
   * query that does not plan (the plain plan reports why).
   */
  openPoint(tokens: readonly Token[], subject: Subject): OpenQuery | undefined {
    let read: PointRead | undefined;
    try {
      read = this.pointRead(planPointLookup(tokens, this.catalog()), subject);
    } catch {
      return undefined;
    }
    return read && this.point(read, subject);
  }

  /** Prepares a query (tokens of one statement of the script `source`) for `subject`; errors are SqlStatementErrors at their position. */
  open(tokens: readonly Token[], source: string, subject: Subject): OpenQuery {
    const plan = this.plan(tokens, source);
    const read = this.pointRead(plan.point, subject);
    if (read) return this.point(read, subject);
    const pooled = this.connect(plan);
    const { state, types } = pooled;
    state.begin(subject, Number.POSITIVE_INFINITY);
    let prepared: PreparedQuery;
    try {
      prepared = pooled.statements.get(plan.sql) ?? pooled.connection.prepare(plan.sql);
      if (!prepared.returnsRows)
        throw new SqlStatementError('NOT_SUPPORTED', 'this statement returns no rows', tokens[0]!.start, tokens[tokens.length - 1]!.end);
      if (pooled.statements.size < 32) pooled.statements.set(plan.sql, prepared);
    } catch (e) {
      this.release(pooled);
      throw bindError(e, tokens);
    }
    // The rows may come from the grouped form of the statement; its columns are the plain one's.
    const rowsFrom = this.groupedScan(plan, pooled, prepared) ?? prepared;
    const columns = prepared.columns.map((c) => ({
      name: c.name,
      type: (c.table && c.column && types.get(c.table)?.find((i) => i.name === c.column)?.type) || null,
    }));
    const only = plan.tables.length === 1 ? plan.tables[0]! : undefined;
    const keyNames = only?.primaryKey === undefined ? [] : only.kind === 'user' ? [USER_COLUMN, only.primaryKey] : [only.primaryKey];
    const keyColumns = keyNames.map((name) => prepared.columns.findIndex((c) => c.table === only!.label && c.column === name));
    let iterator: IterableIterator<SqlValue[]> | undefined;
    let closed = false;
    const close = (healthy = true) => {
      if (closed) return;
      closed = true;
      iterator?.return?.();
      if (healthy) this.release(pooled);
      else pooled.connection.close();
    };
    return {
      columns,
      keyColumns: keyColumns.includes(-1) ? [] : keyColumns,
      grouped: rowsFrom !== prepared,
      point: false,
      state,
      next: (limit, timeoutMs) => {
        if (closed) return { rows: [], done: true };
        state.deadline = Date.now() + timeoutMs;
        state.cancelled = false;
        const rows: SqlCell[][] = [];
        try {
          iterator ??= rowsFrom.iterate(rowsFrom === prepared ? plan.parameters : {});
          while (rows.length < limit) {
            const r = iterator.next();
            if (r.done) {
              close();
              return { rows, done: true };
            }
            rows.push(r.value.map(toCell));
          }
        } catch (e) {
          // A store that went stale under it (DDL elsewhere) must not be reused.
          close(false);
          throw runError(e, tokens);
        }
        return { rows, done: false };
      },
      close: () => close(),
    };
  }
}

/** The whole statement's span. */
function whole(tokens: readonly Token[]): [number, number] {
  return [tokens[0]?.start ?? 0, tokens[tokens.length - 1]?.end ?? 0];
}

/** The first token naming `name` (an identifier, any letter case), or the whole statement. */
function spanOf(tokens: readonly Token[], name: string): [number, number] {
  const wanted = name.toLowerCase();
  const t = tokens.find((x) => (x.type === 'word' || x.type === 'ident') && identifierName(x).toLowerCase() === wanted);
  return t ? [t.start, t.end] : whole(tokens);
}

/** A preparation failure in the console's terms, with the position of what SQLite names. */
function bindError(e: unknown, tokens: readonly Token[]): unknown {
  if (!(e instanceof QueryError)) return e;
  const message = e.message;
  let m = /^no such column: (.+)$/.exec(message);
  if (m) {
    const column = m[1]!.split('.').pop()!;
    const [start, end] = spanOf(tokens, column);
    if (SECRET_COLUMNS.has(column.toLowerCase()))
      return new SqlStatementError('ACCESS_DENIED', `${column}: password hashes and credentials are never selectable`, start, end);
    return new SqlStatementError('UNKNOWN_COLUMN', `no such column: ${m[1]}`, start, end);
  }
  m = /^no such table: (.+)$/.exec(message);
  if (m) {
    const [start, end] = spanOf(tokens, m[1]!.split('.').pop()!);
    return new SqlStatementError('UNKNOWN_TABLE', `no such table: ${m[1]} (name tables as namespace.table)`, start, end);
  }
  m = /^near "(.*)": syntax error$/s.exec(message);
  if (m) {
    const t = tokens.find((x) => x.text === m[1]) ?? tokens.find((x) => x.text.toLowerCase() === m[1]!.toLowerCase());
    const [start, end] = t ? [t.start, t.end] : whole(tokens);
    return new SqlStatementError('SYNTAX', `syntax error near "${m[1]}"`, start, end);
  }
  const [start, end] = whole(tokens);
  if (message === 'incomplete input') return new SqlStatementError('SYNTAX', 'the statement ends too early', end, end);
  if (/no such function|wrong number of arguments/.test(message)) {
    const name = /: (\w+)$/.exec(message)?.[1] ?? /to function (\w+)\(\)/.exec(message)?.[1];
    const [s, t] = name ? spanOf(tokens, name) : [start, end];
    return new SqlStatementError('SYNTAX', message, s, t);
  }
  return new SqlStatementError('EXECUTION', message, start, end);
}

/** A failure while rows are read: stops and SQLite's own errors get the statement's span; engine errors pass. */
function runError(e: unknown, tokens: readonly Token[]): unknown {
  const [start, end] = whole(tokens);
  if (e instanceof QueryStopped) return new SqlStatementError(e.reason, e.message, start, end);
  if (e instanceof QueryError) {
    const code = /datatype mismatch|mismatch/.test(e.message) ? 'TYPE_MISMATCH' : 'EXECUTION';
    return new SqlStatementError(code, e.message, start, end);
  }
  return e;
}
