import Database from 'better-sqlite3';
import { createPrivateFile, preparePrivateDatabase } from './database-files';
import { type Bound, isEmptyRange, type NormalizedRange, normalizeRange } from './key-range';
import { listPartitionTables, partitionTable } from './sqlite-names';
import {
  type BatchOp,
  type CountOptions,
  type Key,
  type PartitionStats,
  type ScanOptions,
  type StorageBackend,
  StorageError,
  type Value,
} from './storage-backend';

export interface SqliteBackendOptions {
  /** NORMAL (default) keeps every committed transaction across a process crash in WAL mode; FULL also across power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Page cache in MiB (default 64). */
  cacheMb?: number;
  /** Memory-mapped I/O in MiB (default 256; 0 turns it off). */
  mmapMb?: number;
  /** How long a writer waits for another connection's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

type Row = [Buffer, Buffer];

/** Hooks of one transaction level (the outermost transaction or one savepoint inside it). */
interface HookLevel {
  readonly commit: (() => void)[];
  readonly rollback: (() => void)[];
}

/** Runs every hook, then rethrows the first error (if any): one failing hook does not starve the rest. */
function runHooks(hooks: readonly (() => void)[]): void {
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

interface Partition {
  readonly table: string;
  readonly get: Database.Statement<[Key], Buffer>;
  readonly put: Database.Statement<[Key, Value]>;
  readonly putIfAbsent: Database.Statement<[Key, Value]>;
  readonly del: Database.Statement<[Key]>;
  /** Scan and count statements by query shape, prepared on first use. */
  readonly shapes: Map<string, Database.Statement>;
}

/**
 * Scans read in chunks: small first (a caller may want one row), larger once it keeps reading,
 * but never large. A chunk stays in memory (and out of the CPU caches) while its caller works
 * through it: a standalone 100k-row scan with decode took about 1.2x a row-by-row iterate() with
 * 1,024-row chunks and about 0.9x with 128-row ones. The extra statement calls cost far less.
 */
const FIRST_CHUNK = 64;
const MAX_CHUNK = 128;

/**
 * Pages a snapshot copies per backup step (16 MiB at the default page size): the event loop runs,
 * and a cancel is seen, between steps, and each step ends with a sync of the copy (1,024-page steps
 * measured at half the speed; see snapshotTo).
 */
const SNAPSHOT_PAGES_PER_STEP = 4096;

/**
 * V8 keeps typed arrays of up to 64 bytes inside the JS heap, and handing one to native code first
 * moves it out (an allocation and a copy: about 0.5 µs per fresh key, measured with bench/). Keys
 * from encodeTuple are such arrays, so they are copied into a pooled Buffer instead (about 0.1 µs).
 * Buffers and larger arrays are passed as they are; SQLite copies the bytes either way.
 */
function bindable(bytes: Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array && bytes.length <= 64 && !Buffer.isBuffer(bytes) ? Buffer.from(bytes) : bytes;
}

function boundSql(column: string, bound: Bound | undefined, side: 'lower' | 'upper'): string {
  if (!bound) return '';
  const op = side === 'lower' ? (bound.inclusive ? '>=' : '>') : bound.inclusive ? '<=' : '<';
  return `${column} ${op} ?`;
}

function shapeOf(range: NormalizedRange): string {
  const l = range.lower ? (range.lower.inclusive ? 'ge' : 'gt') : '-';
  const u = range.upper ? (range.upper.inclusive ? 'le' : 'lt') : '-';
  return `${l}${u}`;
}

function whereClause(range: NormalizedRange): string {
  const parts = [boundSql('k', range.lower, 'lower'), boundSql('k', range.upper, 'upper')].filter(Boolean);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

function boundParams(range: NormalizedRange): Uint8Array[] {
  const params: Uint8Array[] = [];
  if (range.lower) params.push(range.lower.key);
  if (range.upper) params.push(range.upper.key);
  return params;
}

/**
 * StorageBackend on one SQLite database: each partition is a WITHOUT ROWID table of (k BLOB
 * PRIMARY KEY, v BLOB), so keys are stored once, in memcmp order, in a clustered B-tree.
 */
export class SqliteBackend implements StorageBackend {
  readonly db: Database.Database;
  private readonly partitions = new Map<string, Partition>();
  /**
   * One IMMEDIATE transaction wrapper, made on first use and reused: db.transaction(fn) builds four
   * wrapper functions per call (about 3 µs, a tenth of a small write transaction; see bench/).
   */
  private runner: Database.Transaction<(fn: () => unknown) => unknown> | undefined;
  /** One entry per transaction() call in progress, outermost first. */
  private readonly hookLevels: HookLevel[] = [];

  constructor(
    readonly path: string,
    options: SqliteBackendOptions = {},
  ) {
    try {
      if (!options.readonly && path !== ':memory:' && path !== '') preparePrivateDatabase(path);
      this.db = new Database(path, { readonly: options.readonly ?? false });
    } catch (e) {
      throw new StorageError(`cannot open database at ${path}: ${(e as Error).message}`);
    }
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly && path !== ':memory:' && path !== '') this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma(`cache_size = ${-1024 * (options.cacheMb ?? 64)}`);
    this.db.pragma(`mmap_size = ${1024 * 1024 * (options.mmapMb ?? 256)}`);
    this.db.pragma('temp_store = MEMORY');
    try {
      this.resyncPartitions();
    } catch (e) {
      // A database with a table that is no partition of ours (see listPartitionTables) is refused whole.
      this.db.close();
      throw e;
    }
  }

  private open(name: string): Partition {
    const table = partitionTable(name);
    const p: Partition = {
      table,
      get: this.db.prepare<[Key], Buffer>(`SELECT v FROM ${table} WHERE k = ?`).pluck(),
      put: this.db.prepare<[Key, Value]>(`INSERT OR REPLACE INTO ${table} (k, v) VALUES (?, ?)`),
      putIfAbsent: this.db.prepare<[Key, Value]>(`INSERT OR IGNORE INTO ${table} (k, v) VALUES (?, ?)`),
      del: this.db.prepare<[Key]>(`DELETE FROM ${table} WHERE k = ?`),
      shapes: new Map(),
    };
    this.partitions.set(name, p);
    return p;
  }

  private partition(name: string): Partition {
    const p = this.partitions.get(name);
    if (!p) throw new StorageError(`partition "${name}" does not exist`);
    return p;
  }

  createPartition(name: string): void {
    const table = partitionTable(name);
    if (this.partitions.has(name)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`);
    this.open(name);
  }

  hasPartition(name: string): boolean {
    return this.partitions.has(name);
  }

  /** Sorted; a table whose name breaks the partition rule is refused (StorageError), never listed. */
  listPartitions(): string[] {
    return listPartitionTables(this.db);
  }

  dropPartition(name: string): void {
    const p = this.partition(name);
    this.db.exec(`DROP TABLE ${p.table}`);
    this.partitions.delete(name);
  }

  get(partition: string, key: Key): Value | undefined {
    return this.partition(partition).get.get(bindable(key));
  }

  put(partition: string, key: Key, value: Value): void {
    this.partition(partition).put.run(bindable(key), bindable(value));
  }

  putIfAbsent(partition: string, key: Key, value: Value): boolean {
    return this.partition(partition).putIfAbsent.run(bindable(key), bindable(value)).changes > 0;
  }

  delete(partition: string, key: Key): void {
    this.partition(partition).del.run(bindable(key));
  }

  batch(ops: readonly BatchOp[]): void {
    // Resolve every partition first: an unknown one fails the batch before anything is written.
    const resolved = ops.map((op) => [op, this.partition(op.partition)] as const);
    this.transaction(() => {
      for (const [op, p] of resolved) {
        if (op.type === 'put') p.put.run(bindable(op.key), bindable(op.value));
        else p.del.run(bindable(op.key));
      }
    });
  }

  transaction<T>(fn: () => T): T {
    const level: HookLevel = { commit: [], rollback: [] };
    this.hookLevels.push(level);
    let result: T;
    try {
      // IMMEDIATE takes the write lock up front, so two connections never deadlock upgrading a read.
      this.runner ??= this.db.transaction((f: () => unknown) => f());
      result = this.runner.immediate(fn) as T;
    } catch (e) {
      this.hookLevels.pop();
      // A rolled-back transaction may have created or dropped partitions: trust the database again.
      if (!this.db.inTransaction && this.db.open) this.resyncPartitions();
      try {
        runHooks(level.rollback);
      } catch {
        // The transaction's own error is the one to report.
      }
      throw e;
    }
    this.hookLevels.pop();
    const parent = this.hookLevels[this.hookLevels.length - 1];
    if (parent) {
      // A savepoint released into its parent: its hooks now share the parent's fate.
      for (const hook of level.commit) parent.commit.push(hook);
      for (const hook of level.rollback) parent.rollback.push(hook);
    } else if (level.commit.length > 0) {
      runHooks(level.commit);
    }
    return result;
  }

  onCommit(fn: () => void): void {
    const level = this.hookLevels[this.hookLevels.length - 1];
    if (level) level.commit.push(fn);
    else fn();
  }

  onRollback(fn: () => void): void {
    this.hookLevels[this.hookLevels.length - 1]?.rollback.push(fn);
  }

  /** Forgets the prepared partitions and reads the list again, after another code path (a restore) created or dropped tables. */
  reloadSchema(): void {
    this.resyncPartitions();
  }

  private resyncPartitions(): void {
    this.partitions.clear();
    for (const name of this.listPartitions()) this.open(name);
  }

  private statement(p: Partition, kind: 'scan' | 'keys' | 'count', range: NormalizedRange, reverse: boolean): Database.Statement {
    const shape = `${kind}:${shapeOf(range)}:${reverse ? 'r' : 'f'}`;
    let stmt = p.shapes.get(shape);
    if (!stmt) {
      const where = whereClause(range);
      const order = reverse ? 'DESC' : 'ASC';
      const sql =
        kind === 'count'
          ? `SELECT count(*) FROM (SELECT 1 FROM ${p.table}${where} LIMIT ?)`
          : `SELECT ${kind === 'keys' ? 'k' : 'k, v'} FROM ${p.table}${where} ORDER BY k ${order} LIMIT ?`;
      stmt = this.db.prepare(sql);
      stmt = kind === 'count' || kind === 'keys' ? stmt.pluck() : stmt.raw(true);
      p.shapes.set(shape, stmt);
    }
    return stmt;
  }

  /**
   * Reads the range in chunks rather than with one open cursor: between chunks the connection is
   * free, so a caller may write while it iterates (each chunk seeks past the last key it saw).
   * Small chunks read with all() also beat a row-by-row iterate() (see MAX_CHUNK).
   */
  private *chunks<T>(partition: string, kind: 'scan' | 'keys', options: ScanOptions, keyOf: (row: T) => Uint8Array): Generator<T[], void, undefined> {
    const p = this.partition(partition);
    let range = normalizeRange(options);
    const reverse = options.reverse ?? false;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    if (remaining < 0 || Number.isNaN(remaining)) throw new StorageError(`scan limit must be >= 0, got ${remaining}`);
    let chunk = FIRST_CHUNK;
    while (remaining > 0 && !isEmptyRange(range)) {
      const n = Math.min(chunk, remaining);
      const rows = this.statement(p, kind, range, reverse).all(...boundParams(range), n) as T[];
      if (rows.length === 0) return;
      // Read before yielding: the caller may change the batch.
      const last: Bound = { key: keyOf(rows[rows.length - 1]!), inclusive: false };
      const full = rows.length === n;
      remaining -= rows.length;
      yield rows;
      if (!full) return;
      range = reverse ? { lower: range.lower, upper: last } : { lower: last, upper: range.upper };
      chunk = Math.min(chunk * 4, MAX_CHUNK);
    }
  }

  *scan(partition: string, options: ScanOptions = {}): Generator<[Key, Value], void, undefined> {
    for (const rows of this.scanBatches(partition, options)) for (const row of rows) yield row;
  }

  scanBatches(partition: string, options: ScanOptions = {}): Generator<[Key, Value][], void, undefined> {
    return this.chunks<Row>(partition, 'scan', options, (row) => row[0]);
  }

  *scanKeys(partition: string, options: ScanOptions = {}): Generator<Key, void, undefined> {
    for (const keys of this.chunks<Buffer>(partition, 'keys', options, (key) => key)) for (const key of keys) yield key;
  }

  count(partition: string, options: CountOptions = {}): number {
    const p = this.partition(partition);
    const range = normalizeRange(options);
    if (isEmptyRange(range)) return 0;
    return this.statement(p, 'count', range, false).get(...boundParams(range), options.cap ?? -1) as number;
  }

  stats(partition: string): PartitionStats {
    const p = this.partition(partition);
    const row = this.db
      .prepare<[], { rows: number; bytes: number | null }>(`SELECT count(*) AS rows, sum(length(k) + length(v)) AS bytes FROM ${p.table}`)
      .get();
    return { partition, rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
  }

  /**
   * Writes a consistent copy of the whole database to a new owner-only file at `path` (which must
   * not exist yet): a standalone database (rollback journal, no WAL). SQLite's online backup starts
   * over whenever another connection writes between two of its steps, unless its source stays in
   * one read transaction: so the copy reads through a connection of its own that holds one from the
   * first page to the last. Writes meanwhile (the app's, the job manager's progress, a CLI's) can
   * then neither restart it nor reach it: it holds the database as of its start. The event loop runs
   * between steps; `onProgress` hears the bytes copied and the total, and may throw to stop the copy
   * (the partial file is then the caller's to remove).
   */
  async snapshotTo(path: string, onProgress: (copiedBytes: number, totalBytes: number) => void = () => {}): Promise<void> {
    if (this.path === ':memory:' || this.path === '') throw new StorageError('an in-memory database has no file to snapshot');
    createPrivateFile(path);
    const reader = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      reader.pragma(`busy_timeout = ${Number(this.db.pragma('busy_timeout', { simple: true }))}`);
      reader.pragma(`mmap_size = ${Number(this.db.pragma('mmap_size', { simple: true }))}`);
      const pageSize = Number(reader.pragma('page_size', { simple: true }));
      reader.exec('BEGIN');
      // BEGIN takes no lock by itself: this first read opens the transaction that pins the snapshot.
      const total = Number(reader.pragma('page_count', { simple: true })) * pageSize;
      onProgress(0, total);
      await reader.backup(path, {
        progress: ({ totalPages, remainingPages }) => {
          onProgress((totalPages - remainingPages) * pageSize, total);
          return SNAPSHOT_PAGES_PER_STEP;
        },
      });
      reader.exec('COMMIT');
      onProgress(total, total);
    } finally {
      reader.close();
    }
    // The copy's header still names WAL, as its source's did; a backup must open on its own.
    const copy = new Database(path);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  }

  close(): void {
    this.partitions.clear();
    if (this.db.open) this.db.close();
  }
}
