import Database from 'better-sqlite3';

/** A SQL value as SQLite takes and gives it (bigints only beyond 2^53, which our rows never hold). */
export type SqlValue = string | number | bigint | Buffer | null;

/**
 * A table the query connection reads through our engine: its columns, the hidden parameter columns
 * the planner may constrain with `=` (better-sqlite3 forwards only those), and the rows for given
 * parameter values (undefined: unconstrained), each an array in column order.
 */
export interface VirtualTableSource {
  readonly columns: readonly string[];
  readonly parameters: readonly string[];
  rows(parameters: readonly (SqlValue | undefined)[]): Iterable<SqlValue[]>;
}

/** A column of a prepared query's result: its name and, when it reads a table column straight, which. */
export interface QueryColumn {
  readonly name: string;
  readonly table: string | null;
  readonly column: string | null;
}

/** A query ready to run: its columns and whether it returns rows. */
export interface PreparedQuery {
  readonly returnsRows: boolean;
  readonly columns: readonly QueryColumn[];
  /** Rows as arrays in column order (named parameters bound from `parameters`); the iterator must be run to its end or returned. */
  iterate(parameters?: Readonly<Record<string, SqlValue>>): IterableIterator<SqlValue[]>;
  /** Runs a statement without rows (none of the console's: it only ever reads). */
  all(parameters?: readonly SqlValue[]): SqlValue[][];
}

/** A SQLite error in the console's terms: SQLite's message, and its class. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly sqliteCode: string,
  ) {
    super(message);
  }
}

function wrapped<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof Database.SqliteError) throw new QueryError(e.message, e.code);
    throw e;
  }
}

/**
 * The SQL console's query connection: an in-memory SQLite database that holds no data, only
 * virtual tables over our stores (each reads through the engine, which runs the access rules and
 * merges hot rows with flushed segments). SQL runs here unchanged apart from the table names, so the
 * whole of SQLite's SELECT (joins, aggregates, windows, CTEs, subqueries) works over our tables.
 * Nothing here writes a data file: the database is private memory, and writes go through the stores.
 */
export class QueryConnection {
  private readonly db = new Database(':memory:');
  private readonly tables = new Set<string>();
  private modules = 0;

  constructor() {
    // A query is read-only: no statement of a console query may change even this scratch database.
    this.db.pragma('query_only = ON');
  }

  /** Whether a virtual table of this name exists. */
  has(name: string): boolean {
    return this.tables.has(name);
  }

  /** Makes `name` (any text; it is quoted) a virtual table over `source` in the main schema. */
  define(name: string, source: () => VirtualTableSource): void {
    if (this.tables.has(name)) return;
    const module = `kalam_vt_${++this.modules}`;
    // A factory (not a definition object): the definition-object form only makes eponymous tables.
    // better-sqlite3 takes a factory too, which its type declarations leave out.
    const factory = (): Parameters<Database.Database['table']>[1] => {
      const s = source();
      return {
        columns: [...s.columns],
        parameters: [...s.parameters],
        rows: function* (...params: unknown[]) {
          yield* s.rows(params as (SqlValue | undefined)[]);
        },
      };
    };
    this.db.table(module, factory as unknown as Parameters<Database.Database['table']>[1]);
    this.db.pragma('query_only = OFF');
    try {
      this.db.exec(`CREATE VIRTUAL TABLE main.${quote(name)} USING ${module}`);
    } finally {
      this.db.pragma('query_only = ON');
    }
    this.tables.add(name);
  }

  /** A statement prepared for running; a syntax error or an unknown name is a QueryError with SQLite's message. */
  prepare(sql: string): PreparedQuery {
    const statement = wrapped(() => this.db.prepare(sql));
    const returnsRows = statement.reader;
    const columns = returnsRows ? statement.columns().map((c) => ({ name: c.name, table: c.table, column: c.column })) : [];
    if (returnsRows) statement.raw(true);
    return {
      returnsRows,
      columns,
      iterate: (parameters = {}) =>
        guarded((Object.keys(parameters).length > 0 ? statement.iterate(parameters) : statement.iterate()) as IterableIterator<SqlValue[]>),
      all: (parameters = []) => wrapped(() => (returnsRows ? (statement.all(...parameters) as SqlValue[][]) : (statement.run(...parameters), []))),
    };
  }

  close(): void {
    this.db.close();
  }
}

/** An iterator whose SQLite errors are QueryErrors. */
function guarded(it: IterableIterator<SqlValue[]>): IterableIterator<SqlValue[]> {
  return {
    next: () => wrapped(() => it.next()),
    return: (value?: unknown) => it.return?.(value) ?? { done: true, value: undefined },
    [Symbol.iterator]() {
      return this;
    },
  };
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
