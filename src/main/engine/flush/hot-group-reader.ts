import { ValueCodec } from '../codec/value-codec';
import { type ColumnBuffers, toParquetValue } from '../cold/parquet-columns';
import { rowKind } from '../tables/data-table-store';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
import type { ColumnType } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';

/** One row group read from the hot store into column buffers. */
export interface HotGroup {
  readonly rows: number;
  readonly firstKey: Buffer;
  readonly lastKey: Buffer;
}

/**
 * The stored row envelope is [format][varint row-format version][JSON] (see value-codec.ts); the
 * header is taken from the codec itself, so its length is whatever the current version needs.
 */
export function envelopeHeader(label: string): Buffer {
  const sample = new ValueCodec(rowKind(label)).encode({} as never);
  return Buffer.from(sample.subarray(0, sample.length - '{}'.length));
}

/**
 * How many characters a header is at the start of a value's UTF-8 text (scanText's): one per byte
 * while it is ASCII (versions up to 127), and as a decoder renders other bytes beyond that.
 */
export function headerChars(header: Buffer): number {
  return header.toString('utf8').length;
}

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** A stored row's JSON, as far as the flush reads it. */
type StoredRow = Record<string, unknown> & { readonly _seq: number; readonly _deleted: boolean };

/**
 * Reads a table's hot rows, one row group at a time, straight into Parquet column buffers. The rows
 * come as text (StorageBackend.scanText: each value's UTF-8 text, the envelope's header first) and
 * are parsed with JSON.parse: no Buffer and no key is made per row, which together cost more than
 * the parse, and no SQL function picks columns out of the JSON (json_extract cost more still). Rows
 * come back as stored (our own encoding, validated when written): nothing is validated again. A
 * row in another envelope than the current one (an older row format) goes through the store's
 * decoder.
 *
 * Each group is a scan of its own (keyset: after the last key of the previous group), so no read
 * stays open between groups.
 */
export class HotGroupReader {
  private readonly header: Buffer;
  /** How many characters the header is in a value's text (see headerChars). */
  private readonly headerChars: number;
  /** Per column: its default when a stored row lacks it (added by ALTER later), for columns whose default is not null. */
  private readonly defaults: unknown[];
  private readonly values: unknown[];
  /** The columns' names and types, looked up once. */
  private readonly names: readonly string[];
  private readonly types: readonly ColumnType[];

  constructor(
    private readonly store: SharedTableStore | UserTableStore,
    private readonly buffers: ColumnBuffers,
  ) {
    const schema = store.schema;
    this.header = envelopeHeader(schema.label);
    this.headerChars = headerChars(this.header);
    this.defaults = schema.columns.map((c) => (c.default === undefined || c.default === null ? undefined : toParquetValue(c.type, c.default)));
    this.values = new Array<unknown>(schema.columns.length);
    this.names = schema.columns.map((c) => c.name);
    this.types = schema.columns.map((c) => c.type);
  }

  /**
   * Fills the buffers with up to `limit` rows of [lo, hi) (hi null: no upper bound), after `after`
   * when given, from `lo` otherwise; null when none are left.
   */
  read(range: { lo: Buffer; hi: Buffer | null; after: Buffer | undefined }, limit: number, user: string | undefined): HotGroup | null {
    const { store, buffers, values, defaults, names, types } = this;
    const skip = this.headerChars;
    const columns = store.schema.columns;
    const scan = store.backend.scanText(store.partition, { gte: range.lo, gt: range.after, lt: range.hi ?? undefined, limit, header: this.header });
    buffers.clear();
    let first: Buffer | undefined;
    let last: Buffer | undefined;
    for (const batch of scan) {
      first ??= asBuffer(batch.firstKey);
      last = asBuffer(batch.lastKey);
      const texts = batch.values;
      for (let r = 0; r < texts.length; r++) {
        const text = texts[r]!;
        if (typeof text !== 'string') {
          // Another envelope: the store's decoder migrates it to the current row format.
          const row = store.decodeValue(batch.keys![r]!, text);
          for (let i = 0; i < columns.length; i++) values[i] = toParquetValue(columns[i]!.type, ownValue(row, columns[i]!.name));
          buffers.pushParquet(values, BigInt(row._seq), row._deleted, user);
          continue;
        }
        // The text starts with the envelope's header.
        const row = JSON.parse(text.slice(skip)) as StoredRow;
        const deleted = row._deleted;
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          // A column the row lacks (added later) reads as its default; a tombstone keeps only its key.
          values[i] = Object.hasOwn(row, name) ? toParquetValue(types[i]!, row[name]) : deleted ? null : (defaults[i] ?? null);
        }
        buffers.pushParquet(values, BigInt(row._seq), deleted, user);
      }
    }
    if (first === undefined || last === undefined) return null;
    return { rows: buffers.length, firstKey: first, lastKey: last };
  }
}
