/**
 * The storage layer every store is built on: named partitions of ordered byte keys.
 * Keys compare as unsigned bytes (memcmp order), which is what the tuple encoding preserves.
 *
 * The API is synchronous on purpose: better-sqlite3 is synchronous, and an async facade would
 * only add latency to every get. Heavy work runs in worker threads with their own connection.
 */

export type Key = Uint8Array;
export type Value = Uint8Array;

/** A key range; bounds combine (a prefix and a cursor bound together narrow the range). */
export interface ScanRange {
  /** Only keys that start with these bytes. */
  prefix?: Uint8Array | undefined;
  /** Inclusive lower bound. */
  gte?: Uint8Array | undefined;
  /** Exclusive lower bound (an "after" cursor in forward scans). */
  gt?: Uint8Array | undefined;
  /** Exclusive upper bound. */
  lt?: Uint8Array | undefined;
  /** Inclusive upper bound. */
  lte?: Uint8Array | undefined;
}

export interface ScanOptions extends ScanRange {
  /** At most this many entries; no limit when absent. */
  limit?: number | undefined;
  /** Descending key order. */
  reverse?: boolean | undefined;
}

export interface CountOptions extends ScanRange {
  /** Stop counting at this many; counts of huge partitions stay cheap. */
  cap?: number | undefined;
}

export type BatchOp =
  | { readonly type: 'put'; readonly partition: string; readonly key: Key; readonly value: Value }
  | { readonly type: 'del'; readonly partition: string; readonly key: Key };

/**
 * A batch of stored rows read as text (see scanText). No key is made per row (a key per row cost
 * about as much as the text itself): the batch's first and last keys, in scan order, and every key
 * only when some value came whole, for a reader that decodes such values with their key.
 */
export interface TextBatch {
  /**
   * In scan order: a value that starts with the header as text (the whole value decoded as UTF-8,
   * header included: callers skip it), any other value as it is stored (bytes).
   */
  readonly values: readonly (string | Value)[];
  readonly firstKey: Key;
  readonly lastKey: Key;
  /** Every row's key, given only when some value came whole (bytes). */
  readonly keys?: readonly Key[] | undefined;
}

export interface TextScanOptions extends ScanOptions {
  /** The bytes every expected value starts with (a value envelope's header); may be empty. */
  header: Uint8Array;
}

/**
 * What a backend can do beyond what every backend does, in the manner of abstract-level's
 * manifest: callers ask here instead of checking which class they hold. An operation a backend
 * lacks throws a StorageError.
 */
export interface BackendCapabilities {
  /** deleteRange removes a key range inside the store, without reading its rows out. */
  readonly rangeDelete: boolean;
  /** snapshotTo (the SQLite backend's) writes a consistent copy of the whole store to a new file: a database file has one, an in-memory store not. */
  readonly snapshot: boolean;
  /** Committed data outlives the process: closed and opened again, the store still holds it. */
  readonly persistence: boolean;
}

export interface PartitionStats {
  readonly partition: string;
  readonly rows: number;
  /** Bytes of keys and values stored (not counting page overhead). */
  readonly bytes: number;
}

export interface StorageBackend {
  readonly supports: BackendCapabilities;

  /** Creates the partition if it does not exist (idempotent). */
  createPartition(name: string): void;
  hasPartition(name: string): boolean;
  listPartitions(): string[];
  /** Drops the partition and everything in it; unknown names are an error. */
  dropPartition(name: string): void;

  get(partition: string, key: Key): Value | undefined;
  put(partition: string, key: Key, value: Value): void;
  /** Stores the value only when the key is absent; returns whether it did (one statement, no read first). */
  putIfAbsent(partition: string, key: Key, value: Value): boolean;
  /**
   * Stores the pairs (keys[i] → values[i]) in order, several per statement, while none of their keys
   * is stored yet; returns how many leading pairs it stored. Fewer than all: a key at or after that
   * index is stored already (or repeated), and nothing from that index on was written; the caller
   * goes on one by one (putIfAbsent) to learn which. For bulk inserts of new rows.
   */
  putManyIfAbsent(partition: string, keys: readonly Key[], values: readonly Value[]): number;
  /** Deleting a missing key is not an error. */
  delete(partition: string, key: Key): void;
  /** Applies every operation or none, across partitions. */
  batch(ops: readonly BatchOp[]): void;
  /**
   * Runs fn atomically: its reads see its own writes, and if it throws, none of its writes stay.
   * Nests (inner calls become savepoints).
   */
  transaction<T>(fn: () => T): T;
  /**
   * Runs fn, which only reads, in one snapshot: its reads see the database as it was at the first
   * of them, whatever other connections commit meanwhile, and no write lock is taken. Inside a
   * transaction, that transaction is the snapshot.
   */
  readSnapshot<T>(fn: () => T): T;
  /**
   * Runs fn once the outermost transaction around this call has committed (at once outside a
   * transaction). Registered inside a nested transaction that rolls back, it never runs. Hooks
   * run in registration order and must not throw (an error is rethrown after the others ran,
   * although the data is committed).
   */
  onCommit(fn: () => void): void;
  /**
   * Runs fn when the innermost transaction around this call rolls back (the whole transaction or
   * just its savepoint), or later when an enclosing one does. Never runs outside a transaction.
   */
  onRollback(fn: () => void): void;

  /**
   * Lazy, ordered scan. The caller may write through the same backend while it iterates: each batch
   * is read when the previous one is used up, after the last key returned, so a write behind that
   * key is not seen and one past it may be.
   */
  scan(partition: string, options?: ScanOptions): Generator<[Key, Value], void, undefined>;
  /**
   * The rows of scan(), in the non-empty arrays they are read in: a hot loop pays one generator
   * step per batch rather than per row. The caller may keep or change a batch; nothing reuses it.
   */
  scanBatches(partition: string, options?: ScanOptions): Generator<[Key, Value][], void, undefined>;
  scanKeys(partition: string, options?: ScanOptions): Generator<Key, void, undefined>;
  /**
   * The values of a key range in non-empty batches (as scanBatches), read as text, for bulk readers
   * of values stored as a header and UTF-8 text (JSON in the value envelope): no Buffer per row,
   * which costs more than the text itself. Each batch is read consistently, as of one moment.
   */
  scanText(partition: string, options: TextScanOptions): Generator<TextBatch, void, undefined>;
  count(partition: string, options?: CountOptions): number;
  /** Deletes every key of the range (the whole partition when it has no bounds); returns how many went. Needs supports.rangeDelete. */
  deleteRange(partition: string, range?: ScanRange): number;
  /**
   * Runs fn, which writes about `rows` rows into these partitions, inside the current transaction
   * and in the backend's cheapest way for that many (SQLite: without its per-row counter triggers,
   * each partition counted once after, when that costs less). What fn sees and leaves is the same.
   */
  bulkWrite<T>(partitions: readonly string[], rows: number, fn: () => T): T;
  stats(partition: string): PartitionStats;

  close(): void;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

/** Partition names become SQL identifiers and file names elsewhere, so keep them plain. */
export const PARTITION_NAME = /^[a-z0-9_][a-z0-9_.:-]{0,199}$/;

export function assertPartitionName(name: string): void {
  if (!PARTITION_NAME.test(name)) {
    throw new StorageError(`invalid partition name "${name}": use a-z, 0-9, "_", ".", ":" or "-" (at most 200)`);
  }
}
