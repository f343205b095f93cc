import type { TableAccess } from '../../../shared/access';
import type { KeyCodec } from '../../../shared/keys/key-codec';
import type { UserId } from '../../../shared/keys/user-id';
import type { Subject } from '../access/subject';
import { EngineError, ValidationError } from '../errors';
import { type DataStoreContext, DataTableStore, keyBuffer, prefixFields, type WriteOptions } from './data-table-store';
import type { OwnerOption, RowOwners } from './ownership';
import type { DataRow } from './row-schema';
import { SpooledRow } from './row-spool';
import type { TableSchema } from './table-schema';

/**
 * Where the rows of a keyed table live and who may reach them: the one thing shared and user
 * tables differ in. A shared table is one key space of primary keys open to roles by its access
 * level; a user table gives each user its own key space under the user's prefix.
 */
export interface RowKeys<K, Kind extends 'shared' | 'user'> {
  readonly kind: Kind;
  readonly codec: KeyCodec<K>;
  /** The table's access level (user tables: public, each role on its own rows). */
  readonly access: TableAccess;
  /** Rows belong to users: key bounds need one user's key space. */
  readonly owned: boolean;
  /** The key range a subject may read (undefined: every row); ACCESS_DENIED otherwise. */
  readScope(subject: Subject, user: UserId | undefined): Uint8Array | undefined;
  /** The key space one row read names: for an admin of a user table, the named user's (required). */
  pointScope(subject: Subject, user: UserId | undefined): Uint8Array;
  /** The key space of existing rows a subject writes. */
  writeScope(subject: Subject, user: UserId | undefined): Uint8Array;
  /** The key space of new rows: a named owner must be a live user. */
  newRowScope(subject: Subject, user: UserId | undefined, owners: RowOwners | undefined): Uint8Array;
  /** The owner of a stored row (user tables). */
  ownerOf(keyBytes: Uint8Array): UserId | undefined;
  /** The storage key of a key's display form ("42", "alice/42"). */
  parseDisplayKey(text: string): Uint8Array;
}

interface KeyedScanOptions extends OwnerOption {
  /** Primary-key values (typed as the key column) within one key space, not encoded keys. */
  readonly from?: unknown;
  readonly after?: unknown;
  readonly before?: unknown;
  readonly limit?: number | undefined;
  readonly reverse?: boolean | undefined;
}

/**
 * A table of rows keyed by their primary key (RowId, the order-preserving encoding of the key
 * value, so integer keys sort numerically) inside a key space that `keys` decides: shared tables
 * (shared/shared-table-store.ts) and user tables (user/user-table-store.ts), one implementation.
 * Every *Row method takes the Subject it acts for and goes through `keys` first: a user only ever
 * reads or writes under its own prefix, a shared table's subjects by its access level.
 */
export class KeyedTableStore<K, Kind extends 'shared' | 'user'> extends DataTableStore<K> {
  readonly kind: Kind;

  constructor(
    schema: TableSchema,
    context: DataStoreContext,
    private readonly keys: RowKeys<K, Kind>,
  ) {
    super(schema, context, keys.codec);
    this.kind = keys.kind;
  }

  tableAccess(): TableAccess {
    return this.keys.access;
  }

  readScope(subject: Subject, user?: UserId): Uint8Array | undefined {
    this.checkCurrent();
    return this.keys.readScope(subject, user);
  }

  parseDisplayKey(text: string): Uint8Array {
    return this.keys.parseDisplayKey(text);
  }

  override ownerOf(keyBytes: Uint8Array): UserId | undefined {
    return this.keys.ownerOf(keyBytes);
  }

  private writeScope(subject: Subject, user: UserId | undefined): Uint8Array {
    this.checkCurrent();
    return this.keys.writeScope(subject, user);
  }

  private newRowScope(subject: Subject, user: UserId | undefined): Uint8Array {
    this.checkCurrent();
    return this.keys.newRowScope(subject, user, this.owners);
  }

  /** The visible row with this primary-key value (admins of a user table: in the user they name). */
  getRow(subject: Subject, pk: unknown, options: OwnerOption = {}): DataRow | undefined {
    this.checkCurrent();
    const scope = this.keys.pointScope(subject, options.user);
    const row = this.getRaw(keyBuffer(scope, this.schema.rowIdOf(pk)));
    return row && this.isVisible(row, this.now()) ? row : undefined;
  }

  /** A new row; ALREADY_EXISTS when a live row has its key (a deleted one is replaced). */
  insertRow(subject: Subject, values: unknown, options: OwnerOption = {}): DataRow {
    const scope = this.newRowScope(subject, options.user);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = keyBuffer(scope, this.schema.rowIdOfRow(row));
      this.insertAt(k, this.encodeRow(row));
      this.emit(() => [this.event(k, 'insert', row._seq)]);
      return row;
    });
  }

  /**
   * New rows (of one user), all or none (a bad row's fields are named "<index>.<column>"). Returns
   * how many. An array of many rows is one bulk write (see StorageBackend.bulkWrite).
   */
  insertRows(subject: Subject, rows: Iterable<unknown>, options: OwnerOption = {}): number {
    const scope = this.newRowScope(subject, options.user);
    return this.insertNew(scope, rows, Array.isArray(rows) ? rows.length : undefined, (values, i) => {
      try {
        const row = this.stamp(this.schema.validate(values));
        return [this.schema.rowIdOfRow(row), this.encodeRow(row), row._seq];
      } catch (e) {
        throw prefixFields(String(i), e);
      }
    });
  }

  /**
   * New rows (of one user) that a RowSpool of this table version validated when they were spooled,
   * all or none, as insertRows: they are not checked, parsed or serialized again. Rows spooled
   * against another version of the table (altered since) are a CONFLICT. Returns how many.
   */
  insertSpooled(subject: Subject, rows: readonly SpooledRow[], options: OwnerOption = {}): number {
    const scope = this.newRowScope(subject, options.user);
    return this.insertNew(scope, rows, rows.length, (row) => {
      if (!(row instanceof SpooledRow) || row.schema !== this.schema) {
        throw new EngineError('CONFLICT', `${this.label}: rows were checked against another version of the table; import them again`);
      }
      const seq = this.sequence.nextValue();
      return [row.rowId, this.encodeSpooled(row.json, seq), seq];
    });
  }

  /**
   * Stores new rows in one transaction, a chunk at a time (insertAllAt), as one bulk write when
   * their number is known; `stored` gives each row's RowId, stored bytes and `_seq`.
   */
  private insertNew<T>(scope: Uint8Array, rows: Iterable<T>, count: number | undefined, stored: (row: T, i: number) => [Uint8Array, Buffer, number]): number {
    return this.backend.transaction(() => {
      const write = () => {
        const out = new NewRows(this.feedKeys());
        let i = 0;
        for (const r of rows) {
          const [id, bytes, seq] = stored(r, i);
          if (out.add(keyBuffer(scope, id), bytes, seq)) this.insertAllAt(...out.take());
          i++;
        }
        this.insertAllAt(...out.take());
        this.emitInserts(out);
        return i;
      };
      return count === undefined ? write() : this.backend.bulkWrite([this.schema.partition, this.schema.tombstones], count, write);
    });
  }

  /** Whether this write's keys are kept for change events: only while someone listens (see emit). */
  private feedKeys(): boolean {
    return this.changes !== undefined && this.changes.subscribers > 0;
  }

  private emitInserts(rows: NewRows): void {
    const { keys, seqs } = rows;
    if (keys) this.emit(() => keys.map((k, j) => this.event(k, 'insert', seqs[j]!)));
  }

  /** Inserts or replaces the row with the values' primary key. */
  upsertRow(subject: Subject, values: unknown, options: OwnerOption = {}): DataRow {
    const scope = this.newRowScope(subject, options.user);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = keyBuffer(scope, this.schema.rowIdOfRow(row));
      const before = this.getRaw(k);
      this.replaceAt(k, row, before);
      const op = before && !before._deleted ? 'update' : 'insert';
      this.emit(() => [this.event(k, op, row._seq)]);
      return row;
    });
  }

  /** Changes some columns of a live row (NOT_FOUND otherwise); the primary key cannot change. */
  updateRow(subject: Subject, pk: unknown, patch: unknown, options: OwnerOption & WriteOptions = {}): DataRow {
    const scope = this.writeScope(subject, options.user);
    return this.backend.transaction(() => {
      const k = keyBuffer(scope, this.schema.rowIdOf(pk));
      const current = this.liveRow(k, options);
      const row = this.stamp(this.patched(current, patch));
      this.replaceAt(k, row, current);
      this.emit(() => [this.event(k, 'update', row._seq)]);
      return row;
    });
  }

  /** Writes a tombstone over a live row; false when there is none. */
  deleteRow(subject: Subject, pk: unknown, options: OwnerOption & WriteOptions = {}): boolean {
    const scope = this.writeScope(subject, options.user);
    return this.backend.transaction(() => {
      const k = keyBuffer(scope, this.schema.rowIdOf(pk));
      const current = this.getRaw(k);
      if (!current || current._deleted) return false;
      this.checkVersion(k, current, options);
      const tomb = this.tombstoneAt(k, current);
      this.emit(() => [this.event(k, 'delete', tomb._seq)]);
      return true;
    });
  }

  /**
   * Visible rows in key order: a user's own (admins of a user table: the named user's, or every
   * user's in (user, key) order). Access and bounds are checked at the call, not at the first row.
   */
  scanRows(subject: Subject, options: KeyedScanOptions = {}): Generator<[K, DataRow]> {
    const prefix = this.readScope(subject, options.user);
    const bounded = options.from !== undefined || options.after !== undefined || options.before !== undefined;
    if (bounded && prefix === undefined && this.keys.owned) {
      throw new ValidationError(this.label, [{ field: 'user', message: 'key bounds apply within one user: name the user' }]);
    }
    const space = prefix ?? EMPTY;
    const bound = (v: unknown) => (v === undefined ? undefined : keyBuffer(space, this.schema.rowIdOf(v)));
    return this.withKeys(
      this.visibleRaw({
        prefix,
        gte: bound(options.from),
        gt: bound(options.after),
        lt: bound(options.before),
        limit: options.limit,
        reverse: options.reverse,
      }),
    );
  }

  /** Visible rows (of the subject's user, or the one an admin names), counted up to `cap`. */
  countRows(subject: Subject, options: OwnerOption & { cap?: number | undefined } = {}): number {
    return this.countVisible(this.readScope(subject, options.user), options.cap);
  }
}

const EMPTY = new Uint8Array(0);

/** New rows stored per putManyIfAbsent call (see DataTableStore.insertAllAt). */
const WRITE_CHUNK = 256;

/** New rows on their way to insertAllAt, a chunk at a time, and their keys and versions for change events. */
class NewRows {
  private chunkKeys: Buffer[] = [];
  private chunkValues: Buffer[] = [];
  readonly keys: Buffer[] | undefined;
  readonly seqs: number[] = [];

  constructor(feed: boolean) {
    this.keys = feed ? [] : undefined;
  }

  /** Adds a row; true when a chunk is full (take it). */
  add(key: Buffer, value: Buffer, seq: number): boolean {
    this.chunkKeys.push(key);
    this.chunkValues.push(value);
    if (this.keys) {
      this.keys.push(key);
      this.seqs.push(seq);
    }
    return this.chunkKeys.length >= WRITE_CHUNK;
  }

  take(): [Buffer[], Buffer[]] {
    const chunk: [Buffer[], Buffer[]] = [this.chunkKeys, this.chunkValues];
    this.chunkKeys = [];
    this.chunkValues = [];
    return chunk;
  }
}
