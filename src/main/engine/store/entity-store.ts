import type { KeyCodec } from '../../../shared/keys/key-codec';
import type { Tuple } from '../../../shared/keys/tuple';
import type { ValueCodec } from '../codec/value-codec';
import { EngineError, ValidationError } from '../errors';
import { type IndexDefinition, SecondaryIndex } from '../index/secondary-index';
import type { ScanOptions, StorageBackend } from '../storage/storage-backend';
import { decodeCursor, encodeCursor } from './cursor';

export interface EntityStoreConfig<K, V> {
  readonly backend: StorageBackend;
  readonly partition: string;
  readonly key: KeyCodec<K>;
  readonly value: ValueCodec<V>;
  readonly indexes?: readonly IndexDefinition<V>[];
}

/** A typed range: bounds are keys of the store, the prefix is raw bytes from a key's prefix helper. */
export interface EntityScanOptions<K> {
  readonly prefix?: Uint8Array | undefined;
  /** Inclusive lower bound. */
  readonly from?: K | undefined;
  /** Exclusive lower bound. */
  readonly after?: K | undefined;
  /** Exclusive upper bound. */
  readonly before?: K | undefined;
  readonly limit?: number | undefined;
  readonly reverse?: boolean | undefined;
}

export interface PageRequest {
  readonly limit: number;
  readonly prefix?: Uint8Array | undefined;
  /** A cursor from a previous page's `next` or `prev`. */
  readonly cursor?: string | undefined;
  /** forward reads after the cursor, backward reads before it; either way items come in `order`. */
  readonly direction?: 'forward' | 'backward' | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor for the page after this one, absent on the last page. */
  readonly next?: string | undefined;
  /** Cursor for the page before this one, absent on the first page. */
  readonly prev?: string | undefined;
}

export const MAX_PAGE_SIZE = 10_000;

/**
 * Typed storage of one entity kind in one partition, with its secondary indexes kept in the same
 * transaction as every write. The single implementation behind system, shared, user and stream
 * table stores (the design note's EntityStore<K, V>).
 */
export class EntityStore<K, V> {
  readonly backend: StorageBackend;
  readonly partition: string;
  readonly keyCodec: KeyCodec<K>;
  readonly valueCodec: ValueCodec<V>;
  readonly indexes: ReadonlyMap<string, SecondaryIndex<V>>;

  constructor(config: EntityStoreConfig<K, V>) {
    this.backend = config.backend;
    this.partition = config.partition;
    this.keyCodec = config.key;
    this.valueCodec = config.value;
    this.indexes = new Map((config.indexes ?? []).map((d) => [d.name, new SecondaryIndex(config.backend, config.partition, d)]));
    this.backend.createPartition(this.partition);
    for (const index of this.indexes.values()) index.ensurePartition();
  }

  /** Decodes a stored value, naming partition and key if it is corrupt. */
  decodeValue(keyBytes: Uint8Array, bytes: Uint8Array): V {
    return this.valueCodec.decode(bytes, this.whereKey, keyBytes);
  }

  /** Made once per store rather than once per decoded row: scans decode every row. */
  private readonly whereKey = (keyBytes: Uint8Array) => ({ partition: this.partition, key: this.displayRawKey(keyBytes) });

  private displayRawKey(bytes: Uint8Array): string {
    try {
      return this.keyCodec.display(this.keyCodec.decode(bytes));
    } catch {
      return `0x${Buffer.from(bytes).toString('hex')}`;
    }
  }

  get(key: K): V | undefined {
    const k = this.keyCodec.encode(key);
    const bytes = this.backend.get(this.partition, k);
    return bytes === undefined ? undefined : this.decodeValue(k, bytes);
  }

  getRaw(keyBytes: Uint8Array): V | undefined {
    const bytes = this.backend.get(this.partition, keyBytes);
    return bytes === undefined ? undefined : this.decodeValue(keyBytes, bytes);
  }

  exists(key: K): boolean {
    return this.backend.get(this.partition, this.keyCodec.encode(key)) !== undefined;
  }

  /** Validates, stores and re-indexes one entity atomically; returns what was stored. */
  put(key: K, value: V): V {
    const k = this.keyCodec.encode(key);
    const stored = this.valueCodec.validate(value);
    if (this.indexes.size === 0) {
      this.backend.put(this.partition, k, this.valueCodec.encode(stored));
      return stored;
    }
    return this.backend.transaction(() => this.write(k, stored));
  }

  /** All or nothing: a failing entity (validation, unique index) leaves the store unchanged. */
  putMany(entries: Iterable<readonly [K, V]>): void {
    this.backend.transaction(() => {
      for (const [key, value] of entries) this.write(this.keyCodec.encode(key), this.valueCodec.validate(value));
    });
  }

  /** Deletes one entity and its index entries; returns whether it existed. */
  delete(key: K): boolean {
    const k = this.keyCodec.encode(key);
    if (this.indexes.size === 0) {
      const existed = this.backend.get(this.partition, k) !== undefined;
      this.backend.delete(this.partition, k);
      return existed;
    }
    return this.backend.transaction(() => this.remove(k));
  }

  deleteMany(keys: Iterable<K>): number {
    return this.backend.transaction(() => {
      let n = 0;
      for (const key of keys) if (this.remove(this.keyCodec.encode(key))) n++;
      return n;
    });
  }

  /** Writes inside the caller's transaction. Index checks come first, so a violation writes nothing. */
  protected write(k: Uint8Array, value: V): V {
    if (this.indexes.size > 0) {
      const old = this.backend.get(this.partition, k);
      const before = old === undefined ? undefined : this.decodeValue(k, old);
      for (const index of this.indexes.values()) index.apply(k, before, value);
    }
    this.backend.put(this.partition, k, this.valueCodec.encode(value));
    return value;
  }

  protected remove(k: Uint8Array): boolean {
    const old = this.backend.get(this.partition, k);
    if (old === undefined) return false;
    if (this.indexes.size > 0) {
      const before = this.decodeValue(k, old);
      for (const index of this.indexes.values()) index.apply(k, before, undefined);
    }
    this.backend.delete(this.partition, k);
    return true;
  }

  private range(options: EntityScanOptions<K>): ScanOptions {
    return {
      prefix: options.prefix,
      gte: options.from === undefined ? undefined : this.keyCodec.encode(options.from),
      gt: options.after === undefined ? undefined : this.keyCodec.encode(options.after),
      lt: options.before === undefined ? undefined : this.keyCodec.encode(options.before),
      limit: options.limit,
      reverse: options.reverse,
    };
  }

  /** Typed, lazy scan in key order. Reads batches: one generator layer per row, not two. */
  *scan(options: EntityScanOptions<K> = {}): Generator<[K, V]> {
    for (const rows of this.backend.scanBatches(this.partition, this.range(options))) {
      for (const row of rows) yield [this.keyCodec.decode(row[0]), this.decodeValue(row[0], row[1])];
    }
  }

  *scanKeys(options: EntityScanOptions<K> = {}): Generator<K> {
    for (const k of this.backend.scanKeys(this.partition, this.range(options))) yield this.keyCodec.decode(k);
  }

  /** Raw scan: encoded keys with decoded values, for callers that work on bytes (indexes, flush). */
  *scanRaw(options: ScanOptions = {}): Generator<[Uint8Array, V]> {
    for (const rows of this.backend.scanBatches(this.partition, options)) {
      for (const row of rows) yield [row[0], this.decodeValue(row[0], row[1])];
    }
  }

  count(options: { prefix?: Uint8Array | undefined; cap?: number | undefined } = {}): number {
    return this.backend.count(this.partition, options);
  }

  /** Keyset pagination: cost depends on the page size, never on how deep the page is. */
  page(request: PageRequest): Page<[K, V]> {
    const page = this.pageRaw(request);
    return { ...page, items: page.items.map(([k, v]) => [this.keyCodec.decode(k), v]) };
  }

  pageRaw(request: PageRequest): Page<[Uint8Array, V]> {
    const limit = request.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw ValidationError.single('page request', 'limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const backward = request.direction === 'backward';
    const desc = request.order === 'desc';
    const reverse = desc !== backward;
    const at = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    const rows = [
      ...this.backend.scan(this.partition, {
        prefix: request.prefix,
        ...(at === undefined ? {} : reverse ? { lt: at } : { gt: at }),
        limit: limit + 1,
        reverse,
      }),
    ];
    const more = rows.length > limit;
    if (more) rows.pop();
    if (backward) rows.reverse();
    const items = rows.map(([k, v]): [Uint8Array, V] => [k, this.decodeValue(k, v)]);
    const first = rows[0]?.[0];
    const last = rows[rows.length - 1]?.[0];
    // Moving forward, there is a page before whenever we started from a cursor; backward, a page after.
    const hasNext = backward ? at !== undefined : more;
    const hasPrev = backward ? more : at !== undefined;
    return {
      items,
      next: hasNext && last ? encodeCursor(last) : undefined,
      prev: hasPrev && first ? encodeCursor(first) : undefined,
    };
  }

  index(name: string): SecondaryIndex<V> {
    const index = this.indexes.get(name);
    if (!index) throw new EngineError('NOT_FOUND', `index "${name}" does not exist on ${this.partition}`);
    return index;
  }

  /**
   * The first entity, in index order, whose indexed tuple starts with `tuple` (any index; on a
   * unique one given all its fields, the one entity with those values).
   */
  getBy(indexName: string, tuple: Tuple): [K, V] | undefined {
    const pk = this.index(indexName).first(tuple);
    if (pk === undefined) return undefined;
    const value = this.getRaw(pk);
    return value === undefined ? undefined : [this.keyCodec.decode(pk), value];
  }

  /** Entities whose indexed tuple starts with `tuple`, in index order. */
  *findBy(indexName: string, tuple: Tuple, limit?: number): Generator<[K, V]> {
    for (const pk of this.index(indexName).lookup(tuple, limit)) {
      const value = this.getRaw(pk);
      if (value !== undefined) yield [this.keyCodec.decode(pk), value];
    }
  }
}
