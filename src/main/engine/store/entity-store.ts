import type { KeyCodec } from '../../../shared/keys/key-codec';
import type { Tuple } from '../../../shared/keys/tuple';
import type { ValueCodec } from '../codec/value-codec';
import { EngineError } from '../errors';
import { type IndexDefinition, SecondaryIndex } from '../index/secondary-index';
import type { ScanOptions, StorageBackend } from '../storage/storage-backend';
import { type KeysetSource, mapSource, rangeSource } from './keyset-page';

export interface EntityStoreConfig<K, V> {
  readonly backend: StorageBackend;
  readonly partition: string;
  readonly key: KeyCodec<K>;
  readonly value: ValueCodec<V>;
  readonly indexes?: readonly IndexDefinition<V>[];
  /**
   * What a decoded value reads as, when that depends on more than its envelope: a data row is
   * completed with the columns its table gained since it was written (TableSchema.complete).
   */
  readonly complete?: ((value: V) => V) | undefined;
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

/** An entity as stored: its encoded key, its value and the bytes its version token is made from. */
export interface StoredEntity<V> {
  readonly key: Uint8Array;
  readonly value: V;
  readonly bytes: Uint8Array;
}

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
  /** A method, not a function field: an EntityStore<K, User> still passes for an EntityStore<unknown, object>. */
  private readonly reading: { complete(value: V): V } | undefined;

  constructor(config: EntityStoreConfig<K, V>) {
    this.backend = config.backend;
    this.partition = config.partition;
    this.keyCodec = config.key;
    this.valueCodec = config.value;
    this.reading = config.complete && { complete: config.complete };
    this.indexes = new Map((config.indexes ?? []).map((d) => [d.name, new SecondaryIndex(config.backend, config.partition, d)]));
    this.backend.createPartition(this.partition);
    for (const index of this.indexes.values()) index.ensurePartition();
  }

  /** Decodes a stored value, naming partition and key if it is corrupt. */
  decodeValue(keyBytes: Uint8Array, bytes: Uint8Array): V {
    const value = this.valueCodec.decode(bytes, this.whereKey, keyBytes);
    return this.reading ? this.reading.complete(value) : value;
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

  /** An entity by encoded key, with its stored bytes. */
  getStored(keyBytes: Uint8Array): StoredEntity<V> | undefined {
    const bytes = this.backend.get(this.partition, keyBytes);
    return bytes === undefined ? undefined : { key: keyBytes, value: this.decodeValue(keyBytes, bytes), bytes };
  }

  /** The entities in key order (within `prefix`), for the pager (keyset-page.ts). */
  keyOrder(prefix?: Uint8Array): KeysetSource<StoredEntity<V>> {
    return mapSource(rangeSource(this.backend, this.partition, prefix), ([key, bytes]) => ({ key, value: this.decodeValue(key, bytes), bytes }));
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
