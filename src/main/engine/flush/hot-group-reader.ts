import { ValueCodec } from '../codec/value-codec';
import { type ColumnBuffers, toParquetValue } from '../cold/parquet-columns';
import { rowKind } from '../tables/data-table-store';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
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

/** A stored row's JSON, as far as the flush reads it. */
type StoredRow = Record<string, unknown> & { readonly _seq: number; readonly _deleted: boolean };

/**
 * Reads a table's hot rows, one row group at a time, straight into Parquet column buffers. The rows
 * come as text (StorageBackend.scanText: the JSON after the envelope's header, keys in hex): no
 * Buffer is made per row, which costs more than parsing the JSON, and only a group's first and last
 * keys are turned back into bytes. Rows come back as stored (our own encoding, validated when
 * written): nothing is validated again. A row in another envelope than the current one (an older
 * row format) goes through the store's decoder.
 *
 * Each group is a scan of its own (keyset: after the last key of the previous group), so no read
 * stays open between groups.
 */
export class HotGroupReader {
  private readonly header: Buffer;
  /** Per column: its default when a stored row lacks it (added by ALTER later), for columns whose default is not null. */
  private readonly defaults: unknown[];
  private readonly values: unknown[];

  constructor(
    private readonly store: SharedTableStore | UserTableStore,
    private readonly buffers: ColumnBuffers,
  ) {
    const schema = store.schema;
    this.header = envelopeHeader(schema.label);
    this.defaults = schema.columns.map((c) => (c.default === undefined || c.default === null ? undefined : toParquetValue(c.type, c.default)));
    this.values = new Array<unknown>(schema.columns.length);
  }

  /**
   * Fills the buffers with up to `limit` rows of [lo, hi) (hi null: no upper bound), after `after`
   * when given, from `lo` otherwise; null when none are left.
   */
  read(range: { lo: Buffer; hi: Buffer | null; after: Buffer | undefined }, limit: number, user: string | undefined): HotGroup | null {
    const { store, buffers, values, defaults } = this;
    const columns = store.schema.columns;
    const scan = store.backend.scanText(store.partition, { gte: range.lo, gt: range.after, lt: range.hi ?? undefined, limit, header: this.header });
    buffers.clear();
    let first: string | undefined;
    let last = '';
    for (const batch of scan) {
      first ??= batch[0]![0];
      last = batch[batch.length - 1]![0];
      for (const [key, text, other] of batch) {
        if (text === null) {
          // Another envelope: the store's decoder migrates it to the current row format.
          const row = store.decodeValue(Buffer.from(key, 'hex'), other!);
          for (let i = 0; i < columns.length; i++) values[i] = toParquetValue(columns[i]!.type, ownValue(row, columns[i]!.name));
          buffers.pushParquet(values, BigInt(row._seq), row._deleted, user);
          continue;
        }
        const row = JSON.parse(text) as StoredRow;
        const deleted = row._deleted;
        for (let i = 0; i < columns.length; i++) {
          const column = columns[i]!;
          const value = ownValue(row, column.name);
          // A column the row lacks (added later) reads as its default; a tombstone keeps only its key.
          values[i] = value === undefined ? (deleted ? null : (defaults[i] ?? null)) : toParquetValue(column.type, value);
        }
        buffers.pushParquet(values, BigInt(row._seq), deleted, user);
      }
    }
    if (first === undefined) return null;
    return { rows: buffers.length, firstKey: Buffer.from(first, 'hex'), lastKey: Buffer.from(last, 'hex') };
  }
}
