import type { SchemaElement } from 'hyparquet';
import type { ColumnType } from '../../../shared/browse';
import type { ColumnDefinition } from '../../../shared/system/tables';

/** System columns every segment carries after the table's own. */
export const SEQ_COLUMN = '_seq';
export const DELETED_COLUMN = '_deleted';
/** User tables: the owner of the rows (one per file, kept so a file stands on its own, e.g. in DuckDB). */
export const USER_COLUMN = '_user';

/**
 * How a column type is stored in Parquet (what DuckDB reads it as):
 *   text → STRING, integer → INT64, double → DOUBLE, boolean → BOOLEAN,
 *   timestamp → TIMESTAMP(millis), json → JSON (a string), bytes → BYTE_ARRAY (BLOB).
 * Only the primary key and the system columns are REQUIRED: a tombstone keeps just its key.
 */
export function parquetElement(column: ColumnDefinition): SchemaElement {
  const repetition_type = column.primary_key ? 'REQUIRED' : 'OPTIONAL';
  const name = column.name;
  switch (column.type) {
    case 'text':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'integer':
      return { name, repetition_type, type: 'INT64' };
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' };
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'timestamp':
      return {
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
    case 'json':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } };
    case 'bytes':
      return { name, repetition_type, type: 'BYTE_ARRAY' };
  }
}

/** The Parquet schema of a table's segments: its columns, then _seq, _deleted (and _user for user tables). */
export function segmentSchema(columns: readonly ColumnDefinition[], owned: boolean): SchemaElement[] {
  const children: SchemaElement[] = [
    ...columns.map(parquetElement),
    { name: SEQ_COLUMN, repetition_type: 'REQUIRED', type: 'INT64' },
    { name: DELETED_COLUMN, repetition_type: 'REQUIRED', type: 'BOOLEAN' },
    ...(owned ? [{ name: USER_COLUMN, repetition_type: 'REQUIRED', type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const] : []),
  ];
  return [{ name: 'root', num_children: children.length }, ...children];
}

/** A stored row value as the Parquet writer takes it (null for SQL null and for a tombstone's columns). */
export function toParquetValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'timestamp':
      return BigInt(value as number);
    case 'bytes':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    default:
      // text, double, boolean as they are; json as the value (the writer serialises it).
      return value;
  }
}

/** A decoded Parquet value back in the row's JSON form (see row-schema.ts). */
export function fromParquetValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'timestamp':
      return Number(value);
    case 'bytes': {
      const b = value as Uint8Array;
      return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
    }
    default:
      return value;
  }
}

/** Column-major buffers of one row group, filled row by row; the arrays are reused from group to group. */
export class ColumnBuffers {
  private readonly data: unknown[][];
  private readonly seqs: bigint[] = [];
  private readonly deleted: boolean[] = [];
  private readonly users: string[] = [];

  constructor(
    private readonly columns: readonly ColumnDefinition[],
    private readonly owned: boolean,
  ) {
    this.data = columns.map(() => []);
  }

  get length(): number {
    return this.seqs.length;
  }

  /** Appends a row whose column values are already in the writer's form (see toParquetValue). */
  pushParquet(values: readonly unknown[], seq: bigint, deleted: boolean, user: string | undefined): void {
    for (let i = 0; i < this.columns.length; i++) this.data[i]!.push(values[i]);
    this.seqs.push(seq);
    this.deleted.push(deleted);
    if (this.owned) this.users.push(user ?? '');
  }

  /** The `_seq`s and tombstone flags of the buffered rows. */
  get system(): { readonly seqs: readonly bigint[]; readonly deleted: readonly boolean[] } {
    return { seqs: this.seqs, deleted: this.deleted };
  }

  /** The writer's columnData for the buffered rows. */
  columnData(): { name: string; data: unknown[] }[] {
    return [
      ...this.columns.map((c, i) => ({ name: c.name, data: this.data[i]! })),
      { name: SEQ_COLUMN, data: this.seqs },
      { name: DELETED_COLUMN, data: this.deleted },
      ...(this.owned ? [{ name: USER_COLUMN, data: this.users }] : []),
    ];
  }

  clear(): void {
    for (const d of this.data) d.length = 0;
    this.seqs.length = 0;
    this.deleted.length = 0;
    this.users.length = 0;
  }
}
