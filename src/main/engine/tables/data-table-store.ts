import { z } from 'zod';
import type { KeyCodec } from '../../../shared/keys/key-codec';
import type { TableId } from '../../../shared/keys/table-id';
import { compareBytes, decodeElement } from '../../../shared/keys/tuple';
import { ownValue } from '../../../shared/own-keys';
import type { UserId } from '../../../shared/keys/user-id';
import type { Subject } from '../access/subject';
import { JsonMemberReader } from '../codec/json-members';
import { type EntityKind, ValueCodec } from '../codec/value-codec';
import { EngineError, NotFoundError, ValidationError } from '../errors';
import type { ScanOptions, StorageBackend } from '../storage/storage-backend';
import { EntityStore } from '../store/entity-store';
import type { ColdCatalog, ColdView } from '../cold/cold-catalog';
import { type KeyedRow, mergeNewest, newer } from '../cold/merge';
import type { ChangeEvent, ChangeFeed, ChangeOp } from './change-feed';
import type { RowOwners } from './ownership';
import type { DataRow, RowValues } from './row-schema';
import type { Sequence } from './sequence';
import type { TableSchema } from './table-schema';
import { type ColumnarSource, type ColumnSink, scanVisibleColumns } from './visible-columns';
import { userRowsPrefix } from '../../../shared/keys/user-row-id';

/** Rows of a merged scan in key order (see DataTableStore.scanMergedBatches), with their keys when asked for. */
export interface RowBatch {
  readonly rows: readonly DataRow[];
  readonly keys: readonly Uint8Array[] | undefined;
}

/**
 * Rows as the JSON text of some of their members (see DataTableStore.scanMergedMembers): row-major,
 * `width` cells a row, each a value's JSON text exactly as JSON.stringify writes it.
 */
export interface JsonRows {
  readonly cells: readonly string[];
  readonly rows: number;
  readonly width: number;
}

/** How mergedBatches makes a batch: from hot rows read as text, or from decoded rows and their keys. */
interface BatchReader<B> {
  /** `texts`: scanText's values (the header is `skip` characters); `decode` decodes the r-th when it came as bytes. */
  fromText(texts: readonly (string | Uint8Array)[], skip: number, decode: (r: number, bytes: Uint8Array) => DataRow): B;
  fromRows(rows: DataRow[], keys: Uint8Array[]): B;
}

/** Lets a store notice that its table was altered, dropped or re-created after it was opened. */
export interface SchemaGuard {
  /** Changes whenever this engine runs DDL; while it stays the same, nothing needs checking. */
  readonly epoch: number;
  /** Throws NOT_FOUND when the table is gone, CONFLICT when `schema` is no longer its current definition. */
  assertCurrent(schema: TableSchema): void;
}

/** What every data-table store shares with the others of one engine. */
export interface DataStoreContext {
  readonly backend: StorageBackend;
  readonly sequence: Sequence;
  readonly changes?: ChangeFeed | undefined;
  /** Clock in ms since the epoch (stream TTLs); defaults to Date.now. */
  readonly now?: (() => number) | undefined;
  readonly guard?: SchemaGuard | undefined;
  /** Flushed segments: reads merge them with the hot rows (absent: hot rows only). */
  readonly cold?: ColdCatalog | undefined;
  /** Who may own new rows of user and stream tables (absent: anyone; the engine always passes its users). */
  readonly owners?: RowOwners | undefined;
}

export interface WriteOptions {
  /** Optimistic concurrency: the write fails with CONFLICT unless the row's `_seq` is still this. */
  readonly expectedSeq?: number | undefined;
}

/**
 * The row envelope the codec checks (on the engine-internal EntityStore paths only): system
 * columns typed, user columns as stored. Table-level validation happens before encoding, against
 * the table's current column schema.
 */
const ROW_SCHEMA = z.looseObject({ _seq: z.int().min(1), _deleted: z.boolean() }) as unknown as z.ZodType<DataRow>;

const EMPTY = new Uint8Array(0);

/** Rows per consistency-checked block of a merged scan (see scanMerged). */
const MERGE_BLOCK_FIRST = 16;
const MERGE_BLOCK_MAX = 1024;

/** Rows are stored with the row format version in their envelope; the table's schema version lives in system.tables. */
export function rowKind(label: string): EntityKind<DataRow> {
  return { kind: label, version: 1, schema: ROW_SCHEMA };
}

/** The error with its ValidationError fields prefixed, e.g. by the index of a row in a batch ("3.title"). */
export function prefixFields(prefix: string, e: unknown): unknown {
  if (!(e instanceof ValidationError)) return e;
  return new ValidationError(
    e.entity,
    e.issues.map((i) => ({ field: i.field ? `${prefix}.${i.field}` : prefix, message: i.message })),
  );
}

/**
 * prefix ++ rest as a Buffer from Node's pool: the backend binds Buffers as they are, where a small
 * Uint8Array would be copied once more first (see SqliteBackend's bindable).
 */
export function keyBuffer(prefix: Uint8Array, rest: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(prefix.length + rest.length);
  out.set(prefix, 0);
  out.set(rest, prefix.length);
  return out;
}

/**
 * The machinery of the data-table stores (keyed-table-store.ts for shared and user tables,
 * stream-table-store.ts): row stamping (`_seq`), tombstones, change events after commit, the
 * schema-version guard, and reads that merge the hot rows with flushed segments.
 *
 * It holds the table's hot partition as an EntityStore and does not extend one: an EntityStore's
 * put, scan or count would skip `_seq`, tombstones, the change feed and the flushed rows. What a
 * data store exposes is only what is right for it: the *Row methods of the concrete stores, which
 * take the Subject they act for, and a few engine-internal reads for flush, compaction and the
 * provider (get and getRaw, scanMerged, scanHot and countHot, decodeValue), named for what they see.
 */
export abstract class DataTableStore<K> {
  abstract readonly kind: 'shared' | 'user' | 'stream';
  /** The hot rows, tombstones included: no subject, no `_seq`, no events. Only this class and its stores use it. */
  protected readonly hot: EntityStore<K, DataRow>;
  protected readonly sequence: Sequence;
  protected readonly changes: ChangeFeed | undefined;
  protected readonly owners: RowOwners | undefined;
  readonly now: () => number;
  private readonly guard: SchemaGuard | undefined;
  private seenEpoch = Number.NaN;
  private readonly cold: ColdCatalog | undefined;
  /** Cold views memoised for the current write transaction, per scope (null: the whole table; a null view: none). */
  private txnCold: Map<UserId | null, ColdView | null> | undefined;

  constructor(
    readonly schema: TableSchema,
    context: DataStoreContext,
    key: KeyCodec<K>,
  ) {
    // Stored rows read with the current columns (see TableSchema.complete).
    this.hot = new EntityStore({
      backend: context.backend,
      partition: schema.partition,
      key,
      value: new ValueCodec(rowKind(schema.label)),
      complete: (row) => schema.complete(row),
    });
    this.sequence = context.sequence;
    this.changes = context.changes;
    this.owners = context.owners;
    this.now = context.now ?? Date.now;
    this.guard = context.guard;
    this.cold = schema.type === 'stream' ? undefined : context.cold;
    if (schema.type !== 'stream') this.backend.createPartition(schema.tombstones);
  }

  /** The backend of the hot partition (flush reads and evicts hot rows there). */
  get backend(): StorageBackend {
    return this.hot.backend;
  }

  /** The hot partition. */
  get partition(): string {
    return this.hot.partition;
  }

  get keyCodec(): KeyCodec<K> {
    return this.hot.keyCodec;
  }

  /** A stored hot row, read with the current columns (DECODE naming partition and key if it is corrupt). */
  decodeValue(keyBytes: Uint8Array, bytes: Uint8Array): DataRow {
    return this.hot.decodeValue(keyBytes, bytes);
  }

  get tableId(): TableId {
    return this.schema.id;
  }

  get label(): string {
    return this.schema.label;
  }

  /**
   * The newest stored version of a row, hot or flushed, tombstones included: engine-internal (no
   * subject, no visibility); the *Row methods are what callers acting for someone use.
   */
  get(key: K): DataRow | undefined {
    return this.getRaw(this.keyCodec.encode(key));
  }

  /** Rows stored in the hot partition, tombstones included: what the next flush would move (the visible rows are countRows). */
  countHot(options: { cap?: number | undefined } = {}): number {
    return this.hot.count(options);
  }

  /** The hot partition's rows in key order, tombstones included (flushed rows are not here: see scanMerged). */
  scanHot(range: ScanOptions = {}): Generator<[Uint8Array, DataRow]> {
    return this.hot.scanRaw(range);
  }

  /** Whether a stored row shows: not a tombstone (stream tables: and not expired at `now`). */
  isVisible(row: DataRow, _now: number): boolean {
    return !row._deleted;
  }

  /** The key range a subject may read (undefined: the whole table); throws ACCESS_DENIED. */
  abstract readScope(subject: Subject, user?: UserId): Uint8Array | undefined;

  /** Encoded key of the display form of a key (what browse rows carry as `key`). */
  abstract parseDisplayKey(text: string): Uint8Array;

  displayKey(keyBytes: Uint8Array): string {
    return this.keyCodec.display(this.keyCodec.decode(keyBytes));
  }

  /** The owner of a row in user and stream tables. */
  ownerOf(_keyBytes: Uint8Array): UserId | undefined {
    return undefined;
  }

  /** Fails with CONFLICT (altered, re-created) or NOT_FOUND (dropped) when this store's schema is no longer the table's. */
  protected checkCurrent(): void {
    const guard = this.guard;
    if (!guard || guard.epoch === this.seenEpoch) return;
    guard.assertCurrent(this.schema);
    this.seenEpoch = guard.epoch;
  }

  // ----- writes (inside the caller's transaction) ----------------------------------------------

  /** Adds the system columns to validated values (which become the stored row). */
  protected stamp(values: RowValues): DataRow {
    values._seq = this.sequence.nextValue();
    values._deleted = false;
    return values as DataRow;
  }

  /** A stamped row's stored bytes. */
  protected encodeRow(row: DataRow): Buffer {
    return this.hot.valueCodec.encode(row);
  }

  /**
   * The stored bytes of a row given as the JSON text of its validated values (see row-spool.ts),
   * stamped with `seq`: the same bytes as encodeRow(stamp(values)).
   */
  protected encodeSpooled(json: Uint8Array, seq: number): Buffer {
    return this.hot.valueCodec.encodeObjectText(json, `"_seq":${seq},"_deleted":false`);
  }

  /**
   * Stores new rows (keys[i] → rows' stored bytes values[i]) of one key space, as insertAt does
   * each: where nothing of that space was flushed, several per statement (putManyIfAbsent), and
   * from the first chunk that meets a stored key on, one by one, so that a tombstone is replaced
   * and a live row is ALREADY_EXISTS.
   */
  protected insertAllAt(keys: readonly Buffer[], values: readonly Buffer[]): void {
    if (keys.length === 0) return;
    const done = this.coldView(this.scopeOf(keys[0])) ? 0 : this.backend.putManyIfAbsent(this.partition, keys, values);
    for (let i = done; i < keys.length; i++) this.insertAt(keys[i]!, values[i]!);
  }

  /** Stores a new row (its stored bytes): a live row at the key is ALREADY_EXISTS, a tombstone is replaced. */
  protected insertAt(k: Uint8Array, bytes: Buffer): void {
    const cold = this.coldView(this.scopeOf(k));
    if (this.backend.putIfAbsent(this.partition, k, bytes)) {
      // Not hot: it may still live in a flushed segment (the transaction rolls the put back).
      const flushed = cold?.get(k);
      if (flushed && !flushed._deleted) throw new EngineError('ALREADY_EXISTS', `${this.label}: a row with key ${this.displayKey(k)} already exists`);
      return;
    }
    const old = newer(this.decodeValue(k, this.backend.get(this.partition, k)!), cold?.get(k))!;
    if (!old._deleted) throw new EngineError('ALREADY_EXISTS', `${this.label}: a row with key ${this.displayKey(k)} already exists`);
    this.backend.put(this.partition, k, bytes);
    this.backend.delete(this.schema.tombstones, k);
  }

  /** Stores a row over whatever is at the key (`before`: what was there). */
  protected replaceAt(k: Uint8Array, row: DataRow, before: DataRow | undefined): void {
    this.backend.put(this.partition, k, this.hot.valueCodec.encode(row));
    if (before?._deleted) this.backend.delete(this.schema.tombstones, k);
  }

  /** Replaces a live row with a tombstone that keeps only its primary key; returns the tombstone. */
  protected tombstoneAt(k: Uint8Array, before: DataRow): DataRow {
    const pk = this.schema.primaryKey.name;
    const tomb: DataRow = { [pk]: ownValue(before, pk), _seq: this.sequence.nextValue(), _deleted: true };
    this.backend.put(this.partition, k, this.hot.valueCodec.encode(tomb));
    this.backend.put(this.schema.tombstones, k, EMPTY);
    return tomb;
  }

  /** A live row at the key, or NOT_FOUND; checks the expected version. */
  protected liveRow(k: Uint8Array, options: WriteOptions | undefined): DataRow {
    const row = this.getRaw(k);
    if (!row || !this.isVisible(row, this.now())) throw new NotFoundError(`${this.label}: row ${this.displayKey(k)}`);
    this.checkVersion(k, row, options);
    return row;
  }

  protected checkVersion(k: Uint8Array, row: DataRow, options: WriteOptions | undefined): void {
    const expected = options?.expectedSeq;
    if (expected !== undefined && row._seq !== expected) {
      throw new EngineError('CONFLICT', `${this.label}: row ${this.displayKey(k)} changed (version ${row._seq}, expected ${expected})`);
    }
  }

  /** Validated values of an update: the current row with the patch applied; the key may not change. */
  protected patched(current: DataRow, patch: unknown): RowValues {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new ValidationError(this.label, [{ field: '', message: 'a patch must be an object of column values' }]);
    }
    const pk = this.schema.primaryKey.name;
    const p = patch as Record<string, unknown>;
    if (Object.hasOwn(p, pk) && compareBytes(this.schema.rowIdOf(p[pk]), this.schema.rowIdOf(ownValue(current, pk))) !== 0) {
      throw new ValidationError(this.label, [{ field: pk, message: 'the primary key cannot change' }]);
    }
    return this.schema.validate({ ...this.schema.values(current), ...p });
  }

  /**
   * Publishes events once the surrounding transaction commits; built only if someone listens.
   * Nothing is kept for a write made while nobody listens (a job worker's engine, a bulk import):
   * its hook would hold every written key until the commit.
   */
  protected emit(build: () => ChangeEvent[]): void {
    const feed = this.changes;
    if (!feed || feed.subscribers === 0) return;
    this.backend.onCommit(() => {
      if (feed.subscribers > 0) feed.publishAll(build());
    });
  }

  protected event(k: Uint8Array, op: ChangeOp, seq: number): ChangeEvent {
    const user = this.ownerOf(k);
    return user === undefined ? { table: this.label, key: this.displayKey(k), op, seq } : { table: this.label, key: this.displayKey(k), op, seq, user };
  }

  // ----- reads ---------------------------------------------------------------------------------
  //
  // A row lives in the hot partition, in flushed Parquet segments, or both (a row edited since its
  // flush, or left hot by an interrupted flush): reads merge them, the highest `_seq` per key wins,
  // and a tombstone hides the row wherever it lives.
  //
  // A flush may run on another connection (a job worker) during a read. It records its segments
  // first and only then removes the hot rows they hold, so a point read reads the hot row first and
  // lists the segments after: a row moved in between is in a segment that the listing includes (a
  // row in both places merges into one). Range reads take several statements: see scanMerged.

  /**
   * The user whose key space a key or key prefix lies in, for user tables (its cold side is that
   * user's segments only); undefined for other tables and for a prefix that names no single user.
   */
  protected scopeOf(keyOrPrefix: Uint8Array | undefined): UserId | undefined {
    if (this.kind !== 'user' || keyOrPrefix === undefined || keyOrPrefix.length === 0) return undefined;
    try {
      const [user] = decodeElement(keyOrPrefix, 0);
      return typeof user === 'string' ? (user as UserId) : undefined;
    } catch {
      // A prefix that ends inside the user id: not one user's space.
      return undefined;
    }
  }

  /**
   * The flushed side of this table, or of one user's scope of it, or undefined when nothing was
   * flushed there (memoised inside a write transaction).
   */
  protected coldView(scope?: UserId): ColdView | undefined {
    if (!this.cold) return undefined;
    const key = scope ?? null;
    if (this.txnCold?.has(key)) return this.txnCold.get(key) ?? undefined;
    const view = this.cold.view(this.schema, scope) ?? null;
    // Inside a write transaction no other connection can commit, so the list holds until it ends
    // (outside one, the hook runs at once and nothing is memoised).
    const memo = (this.txnCold ??= new Map());
    memo.set(key, view);
    const clear = () => {
      this.txnCold = undefined;
    };
    this.backend.onCommit(clear);
    this.backend.onRollback(clear);
    return view ?? undefined;
  }

  /** The newest version of the row at a storage key, hot or flushed, tombstones included. */
  getRaw(keyBytes: Uint8Array): DataRow | undefined {
    const hot = this.hot.getRaw(keyBytes);
    const scope = this.scopeOf(keyBytes);
    for (;;) {
      const cold = this.coldView(scope);
      try {
        return cold ? newer(hot, cold.get(keyBytes)) : hot;
      } catch (e) {
        // A compaction on another connection removed a file of the list just read: list again.
        if (!this.segmentsReplaced(e, cold, scope)) throw e;
      }
    }
  }

  /**
   * Whether a read failed on a segment file of `view` that a commit since has removed (a
   * compaction): the catalog hands out the same list for as long as the segments stay the same.
   */
  private segmentsReplaced(error: unknown, view: ColdView | undefined, scope: UserId | undefined): boolean {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT' || !view || !this.cold || this.txnCold !== undefined) return false;
    return this.cold.segments(this.schema, scope) !== view.segments;
  }

  /**
   * Every row of a raw range, hot and flushed merged (one version per key, tombstones included),
   * in key order; `limit` is ignored (callers count what they keep).
   *
   * Read in blocks, each checked against the table's segment list: hot scans run as several
   * statements, so a flush committing on another connection mid-block could move rows out of the
   * hot side that the segments read at the block's start do not hold. Such a block is read again
   * from where the last good one ended; blocks grow from 16 rows (a page reads little) to 1,024.
   */
  *scanMerged(range: ScanOptions): Generator<KeyedRow> {
    const reverse = range.reverse === true;
    if (!this.cold) {
      yield* this.hot.scanRaw({ ...range, limit: undefined });
      return;
    }
    let after: Uint8Array | undefined;
    let size = MERGE_BLOCK_FIRST;
    // One user's rows: only that user's segments matter (their stamp reads a few manifest keys).
    const scope = this.scopeOf(range.prefix);
    for (;;) {
      const bounded: ScanOptions =
        after === undefined
          ? { ...range, limit: undefined }
          : { ...range, limit: undefined, ...(reverse ? { lt: after, lte: undefined } : { gt: after, gte: undefined }) };
      const stamp = this.cold.stamp(this.schema, scope);
      const view = this.coldView(scope);
      // A block holds at most `size` distinct keys, so it never needs more than `size` hot rows; the
      // limit keeps the backend from fetching whole chunks a small block then throws away.
      const hot = this.hot.scanRaw({ ...bounded, limit: size });
      const rows = view ? mergeNewest([hot, view.scan(bounded)], reverse) : hot;
      const block: KeyedRow[] = [];
      try {
        for (const row of rows) {
          block.push(row);
          if (block.length >= size) break;
        }
      } catch (e) {
        if (this.segmentsReplaced(e, view, scope)) continue;
        throw e;
      }
      if (this.cold.stamp(this.schema, scope) !== stamp) continue;
      yield* block;
      if (block.length < size) return;
      after = block[block.length - 1]![0];
      size = Math.min(size * 4, MERGE_BLOCK_MAX);
    }
  }

  /**
   * The rows of scanMerged (hot and flushed merged, tombstones included, in key order) in batches,
   * for readers of many rows (exports). Where the scope has no flushed segment, the hot rows come as
   * text, a batch at a time (StorageBackend.scanText, as the flush reads them): one JSON.parse per
   * row and no Buffer or key per row, which together cost more than the parse. Keys are read only
   * when asked for (`withKeys`: the owner of a user-table row is in its key); then, and wherever
   * segments exist, the batches are scanMerged's rows. A flush that commits during the scan (on
   * another connection, or between two batches) changes the segments' stamp: the batch read across
   * it is dropped and the rest is read merged, after the last batch sent.
   */
  scanMergedBatches(prefix: Uint8Array | undefined, withKeys: boolean): Generator<RowBatch> {
    return this.mergedBatches(prefix, withKeys, {
      fromText: (texts, skip, decode) => {
        const rows = new Array<DataRow>(texts.length);
        for (let r = 0; r < texts.length; r++) {
          const text = texts[r]!;
          rows[r] = typeof text === 'string' ? this.schema.complete(JSON.parse(text.slice(skip)) as DataRow) : decode(r, text);
        }
        return { rows, keys: undefined };
      },
      fromRows: (rows, keys) => ({ rows, keys: withKeys ? keys : undefined }),
    });
  }

  /**
   * The visible rows of scanMergedBatches (of a keyed table: shared or user), each as the JSON text
   * of the named members' values (a column the row lacks reads its default, as TableSchema.complete
   * fills it): for exports that write text, which then neither parse the rows nor turn their
   * numbers back into text. Hot rows read as text are split by JsonMemberReader; any other row
   * (flushed, of another envelope, or a text it refuses) is decoded and its values stringified,
   * which gives the same text.
   */
  scanMergedMembers(prefix: Uint8Array | undefined, names: readonly string[]): Generator<JsonRows> {
    if (this.kind === 'stream') throw new Error(`${this.label}: member scans read keyed tables (stream rows expire by time)`);
    const width = names.length;
    // The tombstone flag is read as one more member, after the asked ones.
    const reader = new JsonMemberReader([...names, '_deleted']);
    const fill = this.schema.fillTexts(names);
    const fromRows = (rows: readonly DataRow[]): JsonRows => {
      const cells: string[] = [];
      let count = 0;
      for (const row of rows) {
        if (row._deleted) continue;
        for (const name of names) cells.push(JSON.stringify(ownValue(row, name)) ?? 'null');
        count++;
      }
      return { cells, rows: count, width };
    };
    return this.mergedBatches(prefix, false, {
      fromText: (texts, skip, decode) => {
        // Each row is read straight into its place; its tombstone flag lands on the next row's first
        // cell, which the next row overwrites (the last one is cut off below).
        const cells = new Array<string | undefined>(texts.length * width + 1);
        let count = 0;
        for (let r = 0; r < texts.length; r++) {
          const text = texts[r]!;
          const base = count * width;
          if (typeof text === 'string' && reader.read(text, skip, cells, base)) {
            if (cells[base + width] === 'true') continue;
            for (let c = 0; c < width; c++) cells[base + c] ??= fill[c]!;
            count++;
            continue;
          }
          // Not ours to split: decoded as scanMergedBatches decodes it (a corrupt row fails there).
          const row = typeof text === 'string' ? this.schema.complete(JSON.parse(text.slice(skip)) as DataRow) : decode(r, text);
          if (row._deleted) continue;
          for (let c = 0; c < width; c++) cells[base + c] = JSON.stringify(ownValue(row, names[c]!)) ?? 'null';
          count++;
        }
        cells.length = count * width;
        return { cells: cells as string[], rows: count, width };
      },
      fromRows,
    });
  }

  /** The one merged batch scan behind scanMergedBatches and scanMergedMembers: `read` makes each batch. */
  private *mergedBatches<B>(prefix: Uint8Array | undefined, withKeys: boolean, read: BatchReader<B>): Generator<B> {
    const scope = this.scopeOf(prefix);
    let after: Uint8Array | undefined;
    // The stamp first: a flush committing right after the segments were listed changes it.
    const stamp = this.cold?.stamp(this.schema, scope);
    if (!withKeys && this.coldView(scope) === undefined) {
      const header = this.hot.valueCodec.envelopeHeader;
      const skip = header.toString('utf8').length;
      let complete = true;
      for (const batch of this.backend.scanText(this.partition, { prefix, header })) {
        if (this.cold && this.cold.stamp(this.schema, scope) !== stamp) {
          complete = false;
          break;
        }
        // Another envelope (an older row format) goes through the store's decoder.
        yield read.fromText(batch.values, skip, (r, bytes) => this.decodeValue(batch.keys![r]!, bytes));
        after = batch.lastKey;
      }
      if (complete) return;
    }
    let rows: DataRow[] = [];
    let keys: Uint8Array[] = [];
    for (const [k, row] of this.scanMerged(after === undefined ? { prefix } : { prefix, gt: after })) {
      rows.push(row);
      keys.push(k);
      if (rows.length >= MERGE_BLOCK_MAX) {
        yield read.fromRows(rows, keys);
        rows = [];
        keys = [];
      }
    }
    if (rows.length > 0) yield read.fromRows(rows, keys);
  }

  /**
   * The visible rows of the table, or of one user's key space (`prefix`: that user's whole prefix),
   * as columns in no particular order: for aggregates over many rows (see visible-columns.ts). It
   * reads in one snapshot, and starts again (`sink.reset`) when a compaction on another connection
   * removed a file being read. Not for stream tables (their rows expire by time).
   */
  scanColumns(prefix: Uint8Array | undefined, names: readonly string[], sink: ColumnSink): void {
    const scope = this.scopeOf(prefix);
    if (this.kind === 'stream' || (prefix !== undefined && (scope === undefined || compareBytes(prefix, userRowsPrefix(scope)) !== 0))) {
      throw new Error(`${this.label}: a columnar scan reads a keyed table, whole or one user's rows`);
    }
    const source: ColumnarSource = {
      schema: this.schema,
      backend: this.backend,
      partition: this.partition,
      cold: this.cold,
      header: this.hot.valueCodec.envelopeHeader,
      decode: (k, v) => this.decodeValue(k, v),
      ownerOf: (k) => this.ownerOf(k),
    };
    for (;;) {
      let view: ColdView | undefined;
      try {
        this.backend.readSnapshot(() => {
          view = this.coldView(scope);
          scanVisibleColumns(source, view, prefix, names, sink);
        });
        return;
      } catch (e) {
        if (!this.segmentsReplaced(e, view, scope)) throw e;
        sink.reset();
      }
    }
  }

  /** Visible rows of a raw range, in key order (limit counts visible rows). */
  *visibleRaw(range: ScanOptions): Generator<[Uint8Array, DataRow]> {
    let remaining = range.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const now = this.now();
    for (const [k, row] of this.scanMerged(range)) {
      if (!this.isVisible(row, now)) continue;
      yield [k, row];
      if (--remaining <= 0) return;
    }
  }

  /** Decodes the keys of a raw row stream. */
  protected *withKeys(rows: Iterable<[Uint8Array, DataRow]>): Generator<[K, DataRow]> {
    for (const [k, row] of rows) yield [this.keyCodec.decode(k), row];
  }

  /**
   * Visible rows under a prefix, stopping at `cap`: the rows minus the tombstones, two key counts
   * (tombstones are listed in their own partition under the same keys).
   */
  protected countVisible(prefix: Uint8Array | undefined, cap: number | undefined): number {
    const limit = cap ?? Number.POSITIVE_INFINITY;
    // Hot side first, segments after (see the note on reads above); a merged count is a scanMerged.
    const hotEmpty = this.backend.count(this.partition, { prefix, cap: 1 }) === 0;
    const scope = this.scopeOf(prefix);
    const cold = this.coldView(scope);
    if (cold && (prefix === undefined || cold.segments.some((s) => s.scope === undefined || compareBytes(s.scope, prefix) === 0))) {
      // Nothing hot and one file per scope: the footers know.
      const simple = hotEmpty ? cold.countLive(prefix) : undefined;
      if (simple !== undefined) return Math.min(simple, limit);
      // Otherwise count the merged rows (a key in both sides counts once, tombstones hide).
      let n = 0;
      for (const [, row] of this.scanMerged({ prefix })) if (!row._deleted && ++n >= limit) break;
      return n;
    }
    const tombstones = this.backend.count(this.schema.tombstones, { prefix });
    const rows = this.backend.count(this.partition, { prefix, cap: cap === undefined ? undefined : cap + tombstones });
    // A first flush that committed while counting moved rows out of the hot side: count again.
    if (!cold && this.coldView(scope)) return this.countVisible(prefix, cap);
    return Math.max(0, Math.min(rows - tombstones, limit));
  }
}
