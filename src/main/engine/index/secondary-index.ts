import { compareBytes, concatBytes, decodeTuple, encodeTuple, type Tuple, type TupleElement } from '../../../shared/keys/tuple';
import { UniqueViolationError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';
import { type KeysetSource, mapSource, rangeSource } from '../store/keyset-page';

/**
 * A secondary index over the values of one store. `extract` returns the indexed tuple for a
 * value, or undefined when the value is not indexed (a partial index).
 */
export interface IndexDefinition<V> {
  /** Unique within its store, e.g. "username". */
  readonly name: string;
  readonly unique: boolean;
  /** Names of the tuple's elements, e.g. ["status", "created_at"]: the key shape shown to users. */
  readonly fields: readonly string[];
  /** True when extract may return undefined for some values. */
  readonly partial?: boolean;
  extract(value: V): Tuple | undefined;
}

export interface IndexEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Entry layout. Unique: key = tuple, value = primary key bytes (so a second owner is detected with
 * one get). Non-unique: key = tuple ++ (primary key as a bytes element), value empty, so equal
 * tuples sort by primary key and a tuple prefix scan lists every owner.
 */
export class SecondaryIndex<V> {
  readonly partition: string;

  constructor(
    private readonly backend: StorageBackend,
    storePartition: string,
    readonly definition: IndexDefinition<V>,
  ) {
    this.partition = `${storePartition}.idx.${definition.name}`;
  }

  get name(): string {
    return this.definition.name;
  }

  ensurePartition(): void {
    this.backend.createPartition(this.partition);
  }

  /** The entry a value should have, or undefined when the index skips it. */
  entryFor(primaryKey: Uint8Array, value: V): IndexEntry | undefined {
    const tuple = this.definition.extract(value);
    if (tuple === undefined) return undefined;
    const encoded = encodeTuple(tuple);
    return this.definition.unique ? { key: encoded, value: primaryKey } : { key: concatBytes(encoded, encodeTuple([primaryKey])), value: EMPTY };
  }

  /** The primary key an entry points at. */
  primaryKeyOf(entry: IndexEntry): Uint8Array {
    if (this.definition.unique) return entry.value;
    const els = decodeTuple(entry.key);
    const pk = els[els.length - 1];
    if (!(pk instanceof Uint8Array)) throw new Error(`index ${this.partition}: entry does not end with a primary key`);
    return pk;
  }

  /** The entries in index order (within `prefix`), for the pager (keyset-page.ts). */
  entries(prefix?: Uint8Array): KeysetSource<IndexEntry> {
    return mapSource(rangeSource(this.backend, this.partition, prefix), ([key, value]) => ({ key, value }));
  }

  /** The indexed tuple of an entry (without the primary-key suffix of non-unique entries). */
  tupleOf(entry: IndexEntry): TupleElement[] {
    const els = decodeTuple(entry.key);
    return this.definition.unique ? els : els.slice(0, -1);
  }

  /**
   * Brings the index from `before` to `after` for one entity. Must run inside the caller's
   * transaction; throws UniqueViolationError before writing anything of its own.
   */
  apply(primaryKey: Uint8Array, before: V | undefined, after: V | undefined): void {
    const old = before === undefined ? undefined : this.entryFor(primaryKey, before);
    const next = after === undefined ? undefined : this.entryFor(primaryKey, after);
    if (old && next && compareBytes(old.key, next.key) === 0) return; // unchanged: no write
    if (next && this.definition.unique) {
      const owner = this.backend.get(this.partition, next.key);
      if (owner && compareBytes(owner, primaryKey) !== 0) {
        const tuple = decodeTuple(next.key);
        throw new UniqueViolationError(this.partition, this.definition.fields.join(', '), tuple.map(String).join(', '));
      }
    }
    if (old) this.backend.delete(this.partition, old.key);
    if (next) this.backend.put(this.partition, next.key, next.value);
  }

  /** Primary keys whose indexed tuple starts with `tuple` (a full tuple of a unique index gives at most one). */
  *lookup(tuple: Tuple, limit?: number): Generator<Uint8Array> {
    if (this.isPointLookup(tuple)) {
      const pk = this.first(tuple);
      if (pk) yield pk;
      return;
    }
    for (const [key, value] of this.backend.scan(this.partition, { prefix: encodeTuple(tuple), limit })) yield this.primaryKeyOf({ key, value });
  }

  /** The primary key of the first entry whose tuple starts with `tuple`; no generator, as getBy runs per request. */
  first(tuple: Tuple): Uint8Array | undefined {
    const prefix = encodeTuple(tuple);
    if (this.isPointLookup(tuple)) return this.backend.get(this.partition, prefix);
    const batch = this.backend.scanBatches(this.partition, { prefix, limit: 1 }).next();
    const row = batch.done ? undefined : batch.value[0];
    return row && this.primaryKeyOf({ key: row[0], value: row[1] });
  }

  /** A full tuple of a unique index is an entry's whole key: one point read. */
  private isPointLookup(tuple: Tuple): boolean {
    return this.definition.unique && tuple.length === this.definition.fields.length;
  }

  clear(): void {
    this.backend.dropPartition(this.partition);
    this.backend.createPartition(this.partition);
  }
}
