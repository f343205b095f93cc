import type Database from 'better-sqlite3';
import { ValueCodec } from '../codec/value-codec';
import { type ColumnBuffers, toParquetValue } from '../cold/parquet-columns';
import { SqliteBackend } from '../storage/sqlite-backend';
import { partitionTable } from '../storage/sqlite-names';
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

/** A JSON path naming one top-level member, whatever characters its name holds. */
const memberPath = (name: string) => `$.${JSON.stringify(name)}`;

/** A value json_extract returned (integers as BigInt: the statement reads with safeIntegers) in the writer's form. */
function fromSql(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'timestamp':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'double':
      return Number(value);
    case 'boolean':
      return value === 1n || value === 1;
    case 'json':
      // Selected with `->` (JSON text): parsed back, as the writer serialises JSON columns itself.
      return JSON.parse(value as string) as unknown;
    case 'bytes':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    default:
      return value;
  }
}

/**
 * Reads a table's hot rows, one row group at a time, straight into Parquet column buffers: SQLite's
 * JSON functions pick each column out of the stored JSON, so no row object, no Buffer (keys come
 * as hex text, a cheap heap string; only a group's first and last are turned back into bytes) and
 * no JSON string is made per row, and integers arrive as the BigInts the writer takes. Rows come back
 * as stored (our own encoding, validated when written): nothing is validated again. A row in
 * another envelope than the current one (an older row format) goes through the store's decoder.
 *
 * Each group is one statement (keyset: after the last key of the previous group), so no read stays
 * open between groups.
 */
export class HotGroupReader {
  private readonly first: Database.Statement;
  private readonly next: Database.Statement;
  private readonly header: Buffer;
  /** Per column: its default when a stored row lacks it (added by ALTER later), for columns whose default is not null. */
  private readonly defaults: unknown[];
  private readonly values: unknown[];
  /** The JSON paths of the columns, bound by name (@p0, @p1, …). */
  private readonly params: Record<string, string> = {};

  constructor(
    private readonly store: SharedTableStore | UserTableStore,
    private readonly buffers: ColumnBuffers,
  ) {
    const backend = store.backend;
    if (!(backend instanceof SqliteBackend)) throw new Error('flush needs the SQLite storage backend');
    const schema = store.schema;
    this.header = envelopeHeader(schema.label);
    const j = `CAST(substr(v, ${this.header.length + 1}) AS TEXT)`;
    const params = this.params;
    const select: string[] = [];
    this.defaults = schema.columns.map((c, i) => {
      params[`p${i}`] = memberPath(c.name);
      select.push(c.type === 'json' ? `${j} -> @p${i}` : `json_extract(${j}, @p${i})`);
      const fill = c.default === undefined || c.default === null ? undefined : toParquetValue(c.type, c.default);
      if (fill !== undefined) select.push(`json_type(${j}, @p${i}) IS NOT NULL`);
      return fill;
    });
    this.values = new Array<unknown>(schema.columns.length);
    const sys = `json_extract(${j}, '$._seq'), json_extract(${j}, '$._deleted')`;
    const own = `CASE WHEN substr(v, 1, ${this.header.length}) = @header THEN NULL ELSE v END`;
    const sql = (where: string) =>
      `SELECT hex(k), ${own}, ${sys}${select.length ? `, ${select.join(', ')}` : ''} FROM ${partitionTable(store.partition)} WHERE ${where} ORDER BY k LIMIT @limit`;
    const bind = (stmt: Database.Statement) => stmt.raw(true).safeIntegers(true);
    this.first = bind(backend.db.prepare(sql('k >= @lo AND (@hi IS NULL OR k < @hi)')));
    this.next = bind(backend.db.prepare(sql('k > @lo AND (@hi IS NULL OR k < @hi)')));
  }

  /**
   * Fills the buffers with up to `limit` rows of [lo, hi) (hi null: no upper bound), after `after`
   * when given, from `lo` otherwise; null when none are left.
   */
  read(range: { lo: Buffer; hi: Buffer | null; after: Buffer | undefined }, limit: number, user: string | undefined): HotGroup | null {
    const stmt = range.after ? this.next : this.first;
    const rows = stmt.all({ ...this.params, header: this.header, lo: range.after ?? range.lo, hi: range.hi, limit }) as unknown[][];
    if (rows.length === 0) return null;
    const columns = this.store.schema.columns;
    const buffers = this.buffers;
    buffers.clear();
    const values = this.values;
    for (const r of rows) {
      if (r[1] !== null) {
        // Another envelope: the store's decoder migrates it to the current row format.
        const row = this.store.decodeValue(Buffer.from(r[0] as string, 'hex'), r[1] as Buffer);
        for (let i = 0; i < columns.length; i++) values[i] = toParquetValue(columns[i]!.type, ownValue(row, columns[i]!.name));
        buffers.pushParquet(values, BigInt(row._seq), row._deleted, user);
        continue;
      }
      const deleted = r[3] === 1n;
      let at = 4;
      for (let i = 0; i < columns.length; i++) {
        const fill = this.defaults[i];
        let v = fromSql(columns[i]!.type, r[at++]);
        if (fill !== undefined && r[at++] === 0n && !deleted) v = fill;
        values[i] = v;
      }
      buffers.pushParquet(values, r[2] as bigint, deleted, user);
    }
    return { rows: rows.length, firstKey: Buffer.from(rows[0]![0] as string, 'hex'), lastKey: Buffer.from(rows[rows.length - 1]![0] as string, 'hex') };
  }
}
