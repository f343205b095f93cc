import SortedBTree from 'sorted-btree';
import { compareBytes } from '../../../../shared/keys/tuple';
import { type Bound, inRange, isEmptyRange, type NormalizedRange, normalizeRange } from '../key-range';
import {
  assertPartitionName,
  type BackendCapabilities,
  type BatchOp,
  type CountOptions,
  type Key,
  type PartitionStats,
  type ScanOptions,
  type ScanRange,
  type StorageBackend,
  StorageError,
  type TextBatch,
  type TextScanOptions,
  type Value,
} from '../storage-backend';
import { TransactionHooks } from '../transaction-hooks';

/**
 * sorted-btree is CommonJS with `exports.default = BTree`: Node's ESM loader hands over the whole
 * exports object as the default import, vitest and bundlers its `default`. Either way, the class.
 */
const BTree = (SortedBTree as unknown as { default?: typeof SortedBTree }).default ?? SortedBTree;
type Tree = SortedBTree<Buffer, Buffer>;
type Partitions = Map<string, Tree>;

/** Rows per batch of a scan: each batch re-seeks after the last key of the one before, as SQLite's do. */
const CHUNK = 128;

const copy = (bytes: Uint8Array): Buffer => Buffer.from(bytes);

/** Whether `key` lies on the far side of the range's end, in the scan's direction. */
function beyond(key: Uint8Array, range: NormalizedRange, reverse: boolean): boolean {
  const end = reverse ? range.lower : range.upper;
  if (!end) return false;
  const c = compareBytes(key, end.key);
  return reverse ? c < 0 || (c === 0 && !end.inclusive) : c > 0 || (c === 0 && !end.inclusive);
}

/**
 * StorageBackend in memory: each partition is a B+ tree (sorted-btree) of byte keys in memcmp
 * order. For fast unit tests of stores and indexes, and as the proof that nothing above the
 * storage layer depends on SQLite: it passes the same conformance suite. Transactions keep a
 * copy-on-write clone of every partition per level (O(1) each) and put it back on rollback.
 * Nothing is persisted; values and keys are copied in and out, as a database would.
 */
export class MemoryBackend implements StorageBackend {
  readonly supports: BackendCapabilities = { rangeDelete: true, snapshot: false, persistence: false };
  private partitions: Partitions = new Map();
  /** The partitions as each transaction level found them, outermost first. */
  private readonly saved: Partitions[] = [];
  private readonly hooks = new TransactionHooks();
  private closed = false;

  private tree(name: string): Tree {
    if (this.closed) throw new StorageError('the backend is closed');
    const tree = this.partitions.get(name);
    if (!tree) throw new StorageError(`partition "${name}" does not exist`);
    return tree;
  }

  createPartition(name: string): void {
    assertPartitionName(name);
    if (this.closed) throw new StorageError('the backend is closed');
    if (!this.partitions.has(name)) this.partitions.set(name, new BTree<Buffer, Buffer>(undefined, compareBytes));
  }

  hasPartition(name: string): boolean {
    return this.partitions.has(name);
  }

  listPartitions(): string[] {
    return [...this.partitions.keys()].sort();
  }

  dropPartition(name: string): void {
    this.tree(name);
    this.partitions.delete(name);
  }

  get(partition: string, key: Key): Value | undefined {
    const value = this.tree(partition).get(copy(key));
    return value && copy(value);
  }

  put(partition: string, key: Key, value: Value): void {
    this.tree(partition).set(copy(key), copy(value));
  }

  putIfAbsent(partition: string, key: Key, value: Value): boolean {
    return this.tree(partition).setIfNotPresent(copy(key), copy(value));
  }

  putManyIfAbsent(partition: string, keys: readonly Key[], values: readonly Value[]): number {
    const tree = this.tree(partition);
    for (let i = 0; i < keys.length; i++) if (!tree.setIfNotPresent(copy(keys[i]!), copy(values[i]!))) return i;
    return keys.length;
  }

  delete(partition: string, key: Key): void {
    this.tree(partition).delete(copy(key));
  }

  batch(ops: readonly BatchOp[]): void {
    // Resolve every partition first: an unknown one fails the batch before anything is written.
    for (const op of ops) this.tree(op.partition);
    this.transaction(() => {
      for (const op of ops) {
        if (op.type === 'put') this.put(op.partition, op.key, op.value);
        else this.delete(op.partition, op.key);
      }
    });
  }

  /** One connection, and fn runs to its end before anything else writes: it sees one moment. */
  readSnapshot<T>(fn: () => T): T {
    if (this.closed) throw new StorageError('the backend is closed');
    return fn();
  }

  transaction<T>(fn: () => T): T {
    if (this.closed) throw new StorageError('the backend is closed');
    this.hooks.enter();
    this.saved.push(new Map([...this.partitions].map(([name, tree]) => [name, tree.clone()])));
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.partitions = this.saved.pop()!;
      this.hooks.rolledBack();
      throw e;
    }
    this.saved.pop();
    this.hooks.committed();
    return result;
  }

  onCommit(fn: () => void): void {
    this.hooks.onCommit(fn);
  }

  onRollback(fn: () => void): void {
    this.hooks.onRollback(fn);
  }

  /**
   * The entries of a range in scan order, read CHUNK at a time: between chunks the caller may
   * write (tree iterators do not survive changes), and the next chunk seeks past the last key read.
   */
  private *chunks(partition: string, options: ScanOptions): Generator<[Buffer, Buffer][], void, undefined> {
    this.tree(partition);
    let range = normalizeRange(options);
    const reverse = options.reverse ?? false;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    if (remaining < 0 || Number.isNaN(remaining)) throw new StorageError(`scan limit must be >= 0, got ${remaining}`);
    while (remaining > 0 && !isEmptyRange(range)) {
      const tree = this.tree(partition);
      const start = reverse ? range.upper : range.lower;
      const entries = reverse
        ? tree.entriesReversed(start && copy(start.key), undefined, start !== undefined && !start.inclusive)
        : tree.entries(start && copy(start.key));
      const rows: [Buffer, Buffer][] = [];
      for (const [key, value] of entries) {
        if (!reverse && start && !start.inclusive && compareBytes(key, start.key) === 0) continue;
        if (beyond(key, range, reverse)) break;
        rows.push([copy(key), copy(value)]);
        if (rows.length >= Math.min(CHUNK, remaining)) break;
      }
      if (rows.length === 0) return;
      const last: Bound = { key: rows[rows.length - 1]![0], inclusive: false };
      const full = rows.length === Math.min(CHUNK, remaining);
      remaining -= rows.length;
      yield rows;
      if (!full) return;
      range = reverse ? { lower: range.lower, upper: last } : { lower: last, upper: range.upper };
    }
  }

  *scan(partition: string, options: ScanOptions = {}): Generator<[Key, Value], void, undefined> {
    for (const rows of this.chunks(partition, options)) for (const row of rows) yield row;
  }

  scanBatches(partition: string, options: ScanOptions = {}): Generator<[Key, Value][], void, undefined> {
    return this.chunks(partition, options);
  }

  *scanKeys(partition: string, options: ScanOptions = {}): Generator<Key, void, undefined> {
    for (const rows of this.chunks(partition, options)) for (const [key] of rows) yield key;
  }

  *scanText(partition: string, options: TextScanOptions): Generator<TextBatch, void, undefined> {
    const header = copy(options.header);
    for (const rows of this.chunks(partition, options)) {
      const values = rows.map(([, value]) =>
        value.length >= header.length && value.subarray(0, header.length).equals(header) ? value.toString('utf8') : value,
      );
      const keys = values.some((v) => typeof v !== 'string') ? rows.map(([key]) => key) : undefined;
      yield { values, firstKey: rows[0]![0], lastKey: rows[rows.length - 1]![0], keys };
    }
  }

  count(partition: string, options: CountOptions = {}): number {
    const range = normalizeRange(options);
    const tree = this.tree(partition);
    if (isEmptyRange(range)) return 0;
    const cap = options.cap === undefined || options.cap < 0 ? Number.POSITIVE_INFINITY : options.cap;
    let n = 0;
    for (const [key] of tree.entries(range.lower && copy(range.lower.key))) {
      if (n >= cap || beyond(key, range, false)) break;
      if (inRange(key, range)) n++;
    }
    return n;
  }

  deleteRange(partition: string, range: ScanRange = {}): number {
    const tree = this.tree(partition);
    const keys = [...this.scanKeys(partition, range)] as Buffer[];
    return tree.deleteKeys(keys);
  }

  /** Nothing to save here: the stats are counted when asked. */
  bulkWrite<T>(partitions: readonly string[], _rows: number, fn: () => T): T {
    if (this.saved.length === 0) throw new StorageError('bulkWrite runs inside a transaction');
    for (const name of partitions) this.tree(name);
    return fn();
  }

  stats(partition: string): PartitionStats {
    let rows = 0;
    let bytes = 0;
    this.tree(partition).forEachPair((key, value) => {
      rows++;
      bytes += key.length + value.length;
    });
    return { partition, rows, bytes };
  }

  close(): void {
    this.partitions.clear();
    this.closed = true;
  }
}
