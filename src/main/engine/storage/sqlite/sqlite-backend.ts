import Database from 'better-sqlite3';
import { type Bound, isEmptyRange, type NormalizedRange, normalizeRange } from '../key-range';
import {
  type BackendCapabilities,
  type BatchOp,
  type CountOptions,
  type Key,
  type PartitionStats,
  type ScanOptions,
  type ScanRange,
  StorageError,
  type TextBatch,
  type TextScanOptions,
  type Value,
} from '../storage-backend';
import { TransactionHooks } from '../transaction-hooks';
import { preparePrivateDatabase } from './database-files';
import { counterReader, deleteUncounted, forgetCounters, hasCounters, installCounters, uncountedPartitions, withoutCounters } from './partition-counters';
import { listPartitionTables, partitionTable, quoteIdentifier } from './sqlite-names';
import type { AttachedDatabase, ConnectionSettings, DatabaseBackend } from './sqlite-operations';
import { snapshotDatabase } from './sqlite-snapshot';

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

/** The statements a partition prepares by query shape (see statement). */
type StatementKind = 'scan' | 'keys' | 'text' | 'textIfHeader' | 'keyAt' | 'count' | 'measure' | 'delete';

/** The schema name an attached database gets (see withAttached). */
const ATTACHED = 'kalam_attached';

interface Partition {
  readonly table: string;
  readonly get: Database.Statement<[Key], Buffer>;
  readonly put: Database.Statement<[Key, Value]>;
  readonly putIfAbsent: Database.Statement<[Key, Value]>;
  readonly del: Database.Statement<[Key]>;
  /** INSERT of PUT_MANY_CHUNK pairs (see putManyIfAbsent), prepared on first use. */
  putChunk?: Database.Statement<[Value[]]>;
  /** Scan, count and delete statements by query shape, prepared on first use. */
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
 * Text scans (scanText) serve bulk readers, which hand each row straight on: larger chunks cost
 * less there (1M rows of ~130 bytes: about 0.4 s of CPU in 1,024-row chunks, twice that in 128-row
 * ones; measured on this project's 2-core machine).
 */
const MAX_TEXT_CHUNK = 1024;
/**
 * ...and hold about this many characters at most: a chunk of wide rows (long texts) has fewer rows,
 * so a reader's memory is bounded by bytes, not rows (an export's worker has a capped heap; see
 * JobKind.workerHeapMb). 1,024 rows of the bench's ~130 bytes are far below it.
 */
const MAX_TEXT_CHUNK_CHARS = 4 * 1024 * 1024;

/**
 * From this many rows on, a range delete or a bulk write (bulkWrite) turns the counters' triggers off
 * for its duration (a schema change: every connection prepares its statements again) rather than
 * fire them per row.
 */
const BULK_MIN_ROWS = 4096;
/**
 * A bulk write counts its partitions afresh after (see withoutCounters): worth it when it writes at
 * least 1/16 of the rows already there. A trigger costs several times a row's share of a count, and
 * more inside a savepoint (a statement journal per trigger run: 200k inserts, 1.2 s of CPU with the
 * insert trigger, 2.7 s when each batch of 1,000 is its own savepoint, 0.9 s without; measured here).
 */
const BULK_RECOUNT_SHARE = 16;
/**
 * Pairs per statement of putManyIfAbsent: one multi-row INSERT costs about two thirds of as many
 * single-row ones (1M rows of ~170 bytes in one transaction: 2.3 s of CPU in statements of 50 rows,
 * 3.6 s one row at a time; 20 rows: 2.9 s; 100 rows: 2.5 s; measured on this project's 2-core machine).
 */
const PUT_MANY_CHUNK = 64;

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
  // Column names only: the bounds are bound as parameters (see boundParams).
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
export class SqliteBackend implements DatabaseBackend {
  /** The connection: used only inside src/main/engine/storage/sqlite (lint enforces it) and by bench/ baselines. */
  readonly db: Database.Database;
  readonly supports: BackendCapabilities;
  private readonly partitions = new Map<string, Partition>();
  /**
   * One IMMEDIATE transaction wrapper, made on first use and reused: db.transaction(fn) builds four
   * wrapper functions per call (about 3 µs, a tenth of a small write transaction; see bench/).
   */
  private runner: Database.Transaction<(fn: () => unknown) => unknown> | undefined;
  /** The same for read transactions (DEFERRED: no write lock), e.g. around the statements of one scanText batch. */
  private reader: Database.Transaction<(fn: () => unknown) => unknown> | undefined;
  private readonly hooks = new TransactionHooks();
  /** Reads a partition's maintained counter (see partition-counters.ts); undefined until the counters table exists. */
  private counters: Database.Statement<[string], { rows: number; bytes: number }> | undefined;

  constructor(
    readonly path: string,
    options: SqliteBackendOptions = {},
  ) {
    const file = path !== ':memory:' && path !== '';
    this.supports = { rangeDelete: true, snapshot: file, persistence: file };
    try {
      if (!options.readonly && file) preparePrivateDatabase(path);
      this.db = new Database(path, { readonly: options.readonly ?? false });
    } catch (e) {
      throw new StorageError(`cannot open database at ${path}: ${(e as Error).message}`);
    }
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly && file) this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma(`cache_size = ${-1024 * (options.cacheMb ?? 64)}`);
    this.db.pragma(`mmap_size = ${1024 * 1024 * (options.mmapMb ?? 256)}`);
    this.db.pragma('temp_store = MEMORY');
    try {
      this.resyncPartitions();
      // A database from before counters (or restored from such a backup) is counted once, here.
      if (!options.readonly) this.countUncounted();
    } catch (e) {
      // A database with a table that is no partition of ours (see listPartitionTables) is refused whole.
      this.db.close();
      throw e;
    }
  }

  get open(): boolean {
    return this.db.open;
  }

  private prepare(name: string): Partition {
    const table = partitionTable(name);
    const p: Partition = {
      table,
      get: this.db.prepare<[Key], Buffer>(`SELECT v FROM ${table} WHERE k = ?`).pluck(),
      // An upsert, never INSERT OR REPLACE: a REPLACE would not fire the counters' delete trigger.
      put: this.db.prepare<[Key, Value]>(`INSERT INTO ${table} (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`),
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
    const create = () => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`);
      if (uncountedPartitions(this.db, [name]).length > 0) installCounters(this.db, name);
    };
    if (this.db.inTransaction) create();
    else this.db.transaction(create).immediate();
    this.prepare(name);
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
    const drop = () => {
      this.db.exec(`DROP TABLE ${p.table}`);
      forgetCounters(this.db, name);
    };
    if (this.db.inTransaction) drop();
    else this.db.transaction(drop).immediate();
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

  putManyIfAbsent(partition: string, keys: readonly Key[], values: readonly Value[]): number {
    const p = this.partition(partition);
    if (keys.length !== values.length) throw new StorageError('putManyIfAbsent: as many values as keys');
    let i = 0;
    if (keys.length >= PUT_MANY_CHUNK) {
      // A plain INSERT: a key already stored fails the statement, and SQLite takes back its rows.
      p.putChunk ??= this.db.prepare<[Value[]]>(`INSERT INTO ${p.table} (k, v) VALUES ${Array.from({ length: PUT_MANY_CHUNK }, () => '(?, ?)').join(', ')}`);
      const params: Value[] = new Array<Value>(2 * PUT_MANY_CHUNK);
      for (; i + PUT_MANY_CHUNK <= keys.length; i += PUT_MANY_CHUNK) {
        for (let j = 0; j < PUT_MANY_CHUNK; j++) {
          params[2 * j] = bindable(keys[i + j]!);
          params[2 * j + 1] = bindable(values[i + j]!);
        }
        try {
          p.putChunk.run(params);
        } catch (e) {
          if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return i;
          throw e;
        }
      }
    }
    for (; i < keys.length; i++) if (p.putIfAbsent.run(bindable(keys[i]!), bindable(values[i]!)).changes === 0) return i;
    return keys.length;
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
    this.hooks.enter();
    let result: T;
    try {
      // IMMEDIATE takes the write lock up front, so two connections never deadlock upgrading a read.
      this.runner ??= this.db.transaction((f: () => unknown) => f());
      result = this.runner.immediate(fn) as T;
    } catch (e) {
      // A rolled-back transaction may have created or dropped partitions: trust the database again.
      if (!this.db.inTransaction && this.db.open) this.resyncPartitions();
      this.hooks.rolledBack();
      throw e;
    }
    this.hooks.committed();
    return result;
  }

  readSnapshot<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.reader ??= this.db.transaction((f: () => unknown) => f());
    return this.reader.deferred(fn) as T;
  }

  onCommit(fn: () => void): void {
    this.hooks.onCommit(fn);
  }

  onRollback(fn: () => void): void {
    this.hooks.onRollback(fn);
  }

  reloadSchema(): void {
    this.resyncPartitions();
  }

  private countUncounted(): void {
    const missing = uncountedPartitions(this.db, [...this.partitions.keys()]);
    if (missing.length === 0) return;
    this.db
      .transaction(() => {
        // Another connection may have counted them meanwhile: ask again under the write lock.
        for (const name of uncountedPartitions(this.db, missing)) installCounters(this.db, name);
      })
      .immediate();
  }

  private resyncPartitions(): void {
    this.partitions.clear();
    for (const name of this.listPartitions()) this.prepare(name);
  }

  private statement(p: Partition, kind: StatementKind, range: NormalizedRange, reverse: boolean): Database.Statement {
    const shape = `${kind}:${shapeOf(range)}:${reverse ? 'r' : 'f'}`;
    let stmt = p.shapes.get(shape);
    if (!stmt) {
      stmt = this.db.prepare(this.sql(p.table, kind, whereClause(range), reverse ? 'DESC' : 'ASC'));
      if (kind === 'scan') stmt = stmt.raw(true);
      else if (kind !== 'delete' && kind !== 'measure') stmt = stmt.pluck();
      p.shapes.set(shape, stmt);
    }
    return stmt;
  }

  private sql(table: string, kind: StatementKind, where: string, order: 'ASC' | 'DESC'): string {
    switch (kind) {
      case 'count':
        return `SELECT count(*) FROM (SELECT 1 FROM ${table}${where} LIMIT ?)`;
      case 'measure':
        return `SELECT count(*) AS rows, coalesce(sum(length(k) + length(v)), 0) AS bytes FROM ${table}${where}`;
      case 'delete':
        // Without a WHERE clause SQLite frees the table's pages whole (its truncate optimisation).
        return `DELETE FROM ${table}${where}`;
      case 'text':
        return `SELECT CAST(v AS TEXT) FROM ${table}${where} ORDER BY k ${order} LIMIT ?`;
      case 'textIfHeader':
        // A header that is not ASCII cannot be recognised in the decoded text: SQLite compares the bytes.
        return `SELECT CASE WHEN substr(v, 1, @headerLength) = @header THEN CAST(v AS TEXT) ELSE v END FROM ${table}${where} ORDER BY k ${order} LIMIT ?`;
      case 'keyAt':
        return `SELECT k FROM ${table}${where} ORDER BY k ${order} LIMIT 1 OFFSET ?`;
      case 'keys':
        return `SELECT k FROM ${table}${where} ORDER BY k ${order} LIMIT ?`;
      case 'scan':
        return `SELECT k, v FROM ${table}${where} ORDER BY k ${order} LIMIT ?`;
    }
  }

  /**
   * Reads the range in chunks rather than with one open cursor: between chunks the connection is
   * free, so a caller may write while it iterates (each chunk seeks past the last key it saw).
   * Small chunks read with all() also beat a row-by-row iterate() (see MAX_CHUNK). `read` reads one
   * chunk of at most `n` rows of a range and says how many it got and the last one's key.
   */
  private *chunks<B>(
    partition: string,
    options: ScanOptions,
    maxChunk: number,
    read: (p: Partition, range: NormalizedRange, reverse: boolean, n: number) => { batch: B; rows: number; lastKey: Uint8Array; size?: number } | undefined,
    maxSize = Number.POSITIVE_INFINITY,
    firstChunk = FIRST_CHUNK,
  ): Generator<B, void, undefined> {
    const p = this.partition(partition);
    let range = normalizeRange(options);
    const reverse = options.reverse ?? false;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    if (remaining < 0 || Number.isNaN(remaining)) throw new StorageError(`scan limit must be >= 0, got ${remaining}`);
    let chunk = firstChunk;
    while (remaining > 0 && !isEmptyRange(range)) {
      const n = Math.min(chunk, remaining);
      const got = read(p, range, reverse, n);
      if (!got) return;
      // Taken before yielding: the caller may change the batch.
      const last: Bound = { key: got.lastKey, inclusive: false };
      const full = got.rows === n;
      remaining -= got.rows;
      yield got.batch;
      if (!full) return;
      range = reverse ? { lower: range.lower, upper: last } : { lower: last, upper: range.upper };
      // `size` (where read gives it) keeps the next chunk near maxSize: as many rows as fit, at least one.
      const fit = got.size === undefined || got.size <= 0 ? maxChunk : Math.max(1, Math.floor((got.rows * maxSize) / got.size));
      chunk = Math.min(chunk * 4, maxChunk, fit);
    }
  }

  /** One chunk of rows (or keys: `kind`) as a plain all() of its statement reads it. */
  private rows<T>(kind: 'scan' | 'keys', keyOf: (row: T) => Uint8Array) {
    return (p: Partition, range: NormalizedRange, reverse: boolean, n: number) => {
      const rows = this.statement(p, kind, range, reverse).all(...boundParams(range), n) as T[];
      return rows.length === 0 ? undefined : { batch: rows, rows: rows.length, lastKey: keyOf(rows[rows.length - 1]!) };
    };
  }

  *scan(partition: string, options: ScanOptions = {}): Generator<[Key, Value], void, undefined> {
    for (const rows of this.scanBatches(partition, options)) for (const row of rows) yield row;
  }

  scanBatches(partition: string, options: ScanOptions = {}): Generator<[Key, Value][], void, undefined> {
    return this.chunks(
      partition,
      options,
      MAX_CHUNK,
      this.rows<Row>('scan', (row) => row[0]),
    );
  }

  *scanKeys(partition: string, options: ScanOptions = {}): Generator<Key, void, undefined> {
    for (const keys of this.chunks(
      partition,
      options,
      MAX_CHUNK,
      this.rows<Buffer>('keys', (key) => key),
    ))
      for (const key of keys) yield key;
  }

  scanText(partition: string, options: TextScanOptions): Generator<TextBatch, void, undefined> {
    const header = Buffer.from(options.header.buffer, options.header.byteOffset, options.header.byteLength);
    const ascii = header.every((b) => b < 0x80) ? header.toString('latin1') : undefined;
    return this.chunks(
      partition,
      options,
      MAX_TEXT_CHUNK,
      (p, range, reverse, n) => {
        const batch = this.textChunk(p, range, reverse, n, header, ascii);
        if (!batch) return undefined;
        let size = 0;
        for (const v of batch.values) size += v.length;
        return { batch, rows: batch.values.length, lastKey: batch.lastKey, size };
      },
      MAX_TEXT_CHUNK_CHARS,
      // One row first: its width is unknown until read (then chunks grow fourfold, as far as they fit).
      1,
    );
  }

  /**
   * One batch of scanText, in one read transaction (its statements see one moment): the values,
   * then the keys at its ends (a key per row would cost as much as the text), and every key, with
   * the values that are not text, only when there are such values. An ASCII header (`ascii`: the
   * usual case, a value envelope's) is recognised in the decoded text, which spares SQLite a
   * comparison and a copy per row.
   */
  private textChunk(p: Partition, range: NormalizedRange, reverse: boolean, n: number, header: Buffer, ascii: string | undefined): TextBatch | undefined {
    this.reader ??= this.db.transaction((f: () => unknown) => f());
    return this.reader.deferred(() => {
      const bounds = boundParams(range);
      const values = (
        ascii === undefined
          ? this.statement(p, 'textIfHeader', range, reverse).all(...bounds, n, { header, headerLength: header.length })
          : this.statement(p, 'text', range, reverse).all(...bounds, n)
      ) as (string | Buffer)[];
      if (values.length === 0) return undefined;
      const keyAt = this.statement(p, 'keyAt', range, reverse);
      const firstKey = keyAt.get(...bounds, 0) as Buffer;
      const lastKey = values.length === 1 ? firstKey : (keyAt.get(...bounds, values.length - 1) as Buffer);
      const other = (v: string | Buffer) => typeof v !== 'string' || (ascii !== undefined && !v.startsWith(ascii));
      if (!values.some(other)) return { values, firstKey, lastKey };
      // Some value is no text of ours: read the batch's rows whole, for its keys and those values' bytes.
      const rows = this.statement(p, 'scan', range, reverse).all(...bounds, values.length) as Row[];
      return { values: values.map((v, i) => (other(v) ? rows[i]![1] : v)), firstKey, lastKey, keys: rows.map((row) => row[0]) };
    }) as TextBatch | undefined;
  }

  count(partition: string, options: CountOptions = {}): number {
    const p = this.partition(partition);
    const range = normalizeRange(options);
    if (isEmptyRange(range)) return 0;
    // A whole partition: its maintained counter, one lookup however large it is.
    const counted = range.lower || range.upper ? undefined : this.counter(partition);
    if (counted) return options.cap === undefined || options.cap < 0 ? counted.rows : Math.min(counted.rows, options.cap);
    return this.statement(p, 'count', range, false).get(...boundParams(range), options.cap ?? -1) as number;
  }

  deleteRange(partition: string, range: ScanRange = {}): number {
    const p = this.partition(partition);
    const normalized = normalizeRange(range);
    if (isEmptyRange(normalized)) return 0;
    const remove = () => this.statement(p, 'delete', normalized, false).run(...boundParams(normalized)).changes;
    if (this.counter(partition) === undefined) return remove();
    // A large range goes with the counters' delete trigger off and one counter update (see deleteUncounted).
    const bulk = () => {
      const whole = !normalized.lower && !normalized.upper;
      const removed = whole
        ? this.counter(partition)!
        : (this.statement(p, 'measure', normalized, false).get(...boundParams(normalized)) as { rows: number; bytes: number });
      return removed.rows < BULK_MIN_ROWS ? remove() : deleteUncounted(this.db, partition, removed, remove);
    };
    return this.db.inTransaction ? bulk() : this.transaction(bulk);
  }

  bulkWrite<T>(partitions: readonly string[], rows: number, fn: () => T): T {
    if (!this.db.inTransaction) throw new StorageError('bulkWrite runs inside a transaction');
    const recount = partitions.filter((name) => {
      this.partition(name);
      const counted = this.counter(name);
      return counted !== undefined && rows >= BULK_MIN_ROWS && rows * BULK_RECOUNT_SHARE >= counted.rows;
    });
    return recount.reduce<() => T>((inner, name) => () => withoutCounters(this.db, name, inner), fn)();
  }

  /** The partition's maintained counter (see partition-counters.ts), or undefined on a read-only connection to a database from before counters. */
  private counter(partition: string): { rows: number; bytes: number } | undefined {
    this.counters ??= hasCounters(this.db) ? counterReader(this.db) : undefined;
    return this.counters?.get(partition);
  }

  /** Exact, from the partition's maintained counter: one lookup, whatever its size. */
  stats(partition: string): PartitionStats {
    const p = this.partition(partition);
    const counted = this.counter(partition);
    if (counted) return { partition, rows: counted.rows, bytes: counted.bytes };
    // A read-only connection to a database from before counters: count it.
    const row = this.db
      .prepare<[], { rows: number; bytes: number | null }>(`SELECT count(*) AS rows, sum(length(k) + length(v)) AS bytes FROM ${p.table}`)
      .get();
    return { partition, rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
  }

  changeCounters(): { data: number; schema: number; local: number } {
    return {
      data: Number(this.db.pragma('data_version', { simple: true })),
      schema: Number(this.db.pragma('schema_version', { simple: true })),
      local: Number(this.db.prepare('SELECT total_changes()').pluck().get()),
    };
  }

  sqliteVersion(): string {
    return String(this.db.prepare('SELECT sqlite_version()').pluck().get());
  }

  settings(): Required<ConnectionSettings> {
    // cache_size is in KiB when negative (as this backend sets it), in pages otherwise.
    const cache = Number(this.db.pragma('cache_size', { simple: true }));
    const pageSize = Number(this.db.pragma('page_size', { simple: true }));
    return {
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      mmapMb: Number(this.db.pragma('mmap_size', { simple: true })) / (1024 * 1024),
      cacheMb: cache < 0 ? -cache / 1024 : (cache * pageSize) / (1024 * 1024),
    };
  }

  withSettings<T>(settings: ConnectionSettings, fn: () => T): T {
    const current = this.settings();
    // Only what this call changes is put back.
    const previous: ConnectionSettings = {
      ...(settings.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: current.busyTimeoutMs }),
      ...(settings.mmapMb === undefined ? {} : { mmapMb: current.mmapMb }),
      ...(settings.cacheMb === undefined ? {} : { cacheMb: current.cacheMb }),
    };
    const apply = (s: ConnectionSettings) => {
      if (s.busyTimeoutMs !== undefined) this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(s.busyTimeoutMs))}`);
      if (s.mmapMb !== undefined) this.db.pragma(`mmap_size = ${Math.max(0, Math.trunc(s.mmapMb * 1024 * 1024))}`);
      if (s.cacheMb !== undefined) this.db.pragma(`cache_size = ${-Math.max(1, Math.trunc(s.cacheMb * 1024))}`);
    };
    const restore = () => {
      if (this.db.open) apply(previous);
    };
    apply(settings);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      restore();
      throw e;
    }
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  }

  /**
   * Writes a consistent copy of the whole database to a new owner-only file at `path` (see
   * snapshotDatabase): a standalone database that writes meanwhile can neither restart nor reach.
   * `onProgress` hears the bytes copied and the total, and may throw to stop the copy (the partial
   * file is then the caller's to remove).
   */
  async snapshotTo(path: string, onProgress: (copiedBytes: number, totalBytes: number) => void = () => {}): Promise<void> {
    if (!this.supports.snapshot) throw new StorageError('an in-memory database has no file to snapshot');
    const { busyTimeoutMs, mmapMb } = this.settings();
    await snapshotDatabase({ path: this.path, busyTimeoutMs, mmapMb }, path, onProgress);
  }

  pageCounts(): { pageSize: number; pages: number; freePages: number } {
    return {
      pageSize: Number(this.db.pragma('page_size', { simple: true })),
      pages: Number(this.db.pragma('page_count', { simple: true })),
      freePages: Number(this.db.pragma('freelist_count', { simple: true })),
    };
  }

  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  withAttached<T>(path: string, fn: (attached: AttachedDatabase) => T): T {
    this.db.prepare(`ATTACH DATABASE ? AS ${quoteIdentifier(ATTACHED)}`).run(path);
    try {
      return fn({
        listPartitions: () => listPartitionTables(this.db, ATTACHED),
        copyPartition: (name) => {
          this.createPartition(name);
          const target = partitionTable(name, 'main');
          // Without its triggers (counted once after): this exact form (no column list, SELECT *, same
          // table shape, no triggers) lets SQLite copy the b-tree records as they are (its transfer
          // optimisation) instead of decoding and re-inserting rows.
          const copy = () =>
            withoutCounters(this.db, name, () => {
              this.db.exec(`DELETE FROM ${target}`);
              this.db.exec(`INSERT INTO ${target} SELECT * FROM ${partitionTable(name, ATTACHED)}`);
            });
          if (this.db.inTransaction) copy();
          else this.db.transaction(copy).immediate();
        },
      });
    } finally {
      this.db.prepare(`DETACH DATABASE ${quoteIdentifier(ATTACHED)}`).run();
    }
  }

  close(): void {
    this.partitions.clear();
    if (this.db.open) this.db.close();
  }
}
