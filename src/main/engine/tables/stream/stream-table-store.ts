import { type StreamRowId, streamRowId, StreamRowIdKey, userStreamPrefix } from '../../../../shared/keys/stream-row-id';
import { decodeElement, prefixEnd } from '../../../../shared/keys/tuple';
import type { UserId } from '../../../../shared/keys/user-id';
import type { Subject } from '../../access/subject';
import { ValidationError } from '../../errors';
import type { ScanOptions } from '../../storage/storage-backend';
import type { ChangeEvent } from '../change-feed';
import { type DataStoreContext, DataTableStore, prefixFields } from '../data-table-store';
import type { DataRow } from '../row-schema';
import type { TableSchema } from '../table-schema';
import { newRowOwner, type OwnerOption, scopeUser, splitUserKey, writeOwner } from '../ownership';

export interface StreamScanOptions extends OwnerOption {
  readonly limit?: number | undefined;
  /** Newest first. */
  readonly reverse?: boolean | undefined;
}

/** Rows deleted per eviction transaction. */
export const EVICT_BATCH = 1000;

/**
 * A stream table: ephemeral per-user rows keyed by (user, _seq), so each user's rows sort by
 * arrival. A row expires ttl_seconds (the table's current setting) after its write time `_ts`:
 * from that moment reads no longer return it, and `evict` removes it for good.
 *
 * Access follows user tables (own rows; admins without a user id across users). Rows are
 * append-only: no update, and a delete removes the row at once (no tombstone). The primary-key
 * column is an ordinary value column here: stream rows are events and it is not kept unique.
 */
export class StreamTableStore extends DataTableStore<StreamRowId> {
  readonly kind = 'stream' as const;
  private readonly ttlMs: number;

  constructor(schema: TableSchema, context: DataStoreContext) {
    super(schema, context, StreamRowIdKey);
    if (schema.type !== 'stream' || schema.ttlMs === null)
      throw ValidationError.single(schema.label, '', `${schema.label} is a ${schema.type} table, not a stream table`);
    this.ttlMs = schema.ttlMs;
  }

  /** When a row stops being visible (ms). */
  expiresAt(row: DataRow): number {
    return (row._ts ?? 0) + this.ttlMs;
  }

  override isVisible(row: DataRow, now: number): boolean {
    return !row._deleted && now < this.expiresAt(row);
  }

  readScope(subject: Subject, user?: UserId): Uint8Array | undefined {
    this.checkCurrent();
    const owner = scopeUser(subject, user, 'read', this.label);
    return owner === undefined ? undefined : userStreamPrefix(owner);
  }

  override ownerOf(keyBytes: Uint8Array): UserId {
    return StreamRowIdKey.decode(keyBytes).user;
  }

  parseDisplayKey(text: string): Uint8Array {
    const [user, seq] = splitUserKey('StreamRowId', text);
    return StreamRowIdKey.encode(StreamRowIdKey.parse(`${user}/${seq}`));
  }

  private stampStream(values: unknown, now: number): DataRow {
    const row = this.stamp(this.schema.validate(values)) as Record<string, unknown>;
    row._ts = now;
    return row as DataRow;
  }

  /** Appends a row for the subject's user (admins: options.user); returns its key and the row. */
  appendRow(subject: Subject, values: unknown, options: OwnerOption = {}): [StreamRowId, DataRow] {
    this.checkCurrent();
    const owner = newRowOwner(subject, options.user, this.label, this.owners);
    return this.backend.transaction(() => {
      const row = this.stampStream(values, this.now());
      const id = streamRowId(owner, row._seq);
      const k = StreamRowIdKey.encode(id);
      this.backend.put(this.partition, k, this.hot.valueCodec.encode(row));
      this.emit(() => [this.event(k, 'insert', row._seq)]);
      return [id, row];
    });
  }

  /** Appends rows of one user, all or none. Returns how many. */
  appendRows(subject: Subject, rows: Iterable<unknown>, options: OwnerOption = {}): number {
    this.checkCurrent();
    const owner = newRowOwner(subject, options.user, this.label, this.owners);
    return this.backend.transaction(() => {
      const now = this.now();
      const keys: Uint8Array[] = [];
      const seqs: number[] = [];
      let i = 0;
      for (const values of rows) {
        let row: DataRow;
        try {
          row = this.stampStream(values, now);
        } catch (e) {
          throw prefixFields(String(i), e);
        }
        const k = StreamRowIdKey.encode(streamRowId(owner, row._seq));
        this.backend.put(this.partition, k, this.hot.valueCodec.encode(row));
        keys.push(k);
        seqs.push(row._seq);
        i++;
      }
      this.emit(() => keys.map((k, j) => this.event(k, 'insert', seqs[j]!)));
      return i;
    });
  }

  /** A row that has not expired; reading another user's row is ACCESS_DENIED (admins excepted). */
  getRow(subject: Subject, id: StreamRowId): DataRow | undefined {
    this.readScope(subject, id.user);
    const row = this.getRaw(StreamRowIdKey.encode(id));
    return row && this.isVisible(row, this.now()) ? row : undefined;
  }

  /** Removes a row of the subject's user at once; false when there is none (or it expired). */
  deleteRow(subject: Subject, id: StreamRowId): boolean {
    this.checkCurrent();
    writeOwner(subject, id.user, this.label);
    return this.backend.transaction(() => {
      const k = StreamRowIdKey.encode(id);
      const bytes = this.backend.get(this.partition, k);
      if (bytes === undefined) return false;
      const row = this.decodeValue(k, bytes);
      this.backend.delete(this.partition, k);
      if (!this.isVisible(row, this.now())) return false;
      this.emit(() => [this.event(k, 'delete', row._seq)]);
      return true;
    });
  }

  /** Rows that have not expired, oldest first per user (admins: every user, by user). */
  scanRows(subject: Subject, options: StreamScanOptions = {}): Generator<[StreamRowId, DataRow]> {
    const prefix = this.readScope(subject, options.user);
    return this.withKeys(this.visibleRaw({ prefix, limit: options.limit, reverse: options.reverse }));
  }

  /** Rows that have not expired, counted up to `cap` (a scan: stream rows come and go by the clock). */
  countRows(subject: Subject, options: OwnerOption & { cap?: number | undefined } = {}): number {
    const prefix = this.readScope(subject, options.user);
    const cap = options.cap ?? Number.POSITIVE_INFINITY;
    let n = 0;
    if (cap <= 0) return 0;
    for (const _ of this.visibleRaw({ prefix })) if (++n >= cap) break;
    return n;
  }

  /**
   * Removes expired rows, `batchSize` per transaction, and returns how many. A user's rows are in
   * write order, so its expired rows come first: the pass deletes them and then jumps to the next
   * user's range, reading only expired rows plus one row per user. (A row written while the clock
   * stepped backwards may outlive this pass; reads hide it all the same.)
   *
   * `onBatch` runs after each committed batch with the running total; if it throws (a cancelled
   * job), the pass stops there and the batches already committed stay evicted.
   */
  evict(now: number = this.now(), batchSize: number = EVICT_BATCH, onBatch?: (evicted: number) => void): number {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValidationError(this.label, [{ field: 'batchSize', message: 'must be a positive integer' }]);
    this.checkCurrent();
    let total = 0;
    let range: ScanOptions = {};
    for (;;) {
      const expired: [Uint8Array, number][] = [];
      let next: ScanOptions | undefined;
      for (const [k, v] of this.backend.scan(this.partition, range)) {
        const row = this.decodeValue(k, v);
        if (now >= this.expiresAt(row)) {
          expired.push([k, row._seq]);
          if (expired.length >= batchSize) {
            next = { gt: k };
            break;
          }
          continue;
        }
        // Not expired: neither are this user's later rows. Go on from the next user.
        const [user] = decodeElement(k, 0);
        const end = prefixEnd(userStreamPrefix(user as UserId));
        next = end === undefined ? undefined : { gte: end };
        break;
      }
      if (expired.length > 0) {
        this.backend.transaction(() => {
          for (const [k] of expired) this.backend.delete(this.partition, k);
          this.emit(() => expired.map(([k, seq]): ChangeEvent => this.event(k, 'delete', seq)));
        });
        total += expired.length;
        onBatch?.(total);
      }
      if (next === undefined) return total;
      range = next;
    }
  }
}
