import type { TableAccess } from '../../../shared/access';
import type { DataTableType } from '../../../shared/ddl';
import type { RowId } from '../../../shared/keys/row-id';
import { type TableId, tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { ColumnDefinition, TableMetadata } from '../../../shared/system/tables';
import { ownValue } from '../../../shared/own-keys';
import { ValidationError } from '../errors';
import { type DataRow, parseRowIdText, RowValidator, rowIdOf, type RowValues, validRowIdOf } from './row-schema';

/** Partition of a table's rows: "data.<namespace>.<table>" (shared, user) or "stream.<namespace>.<table>". */
export function dataPartition(id: TableId, type: DataTableType): string {
  return `${type === 'stream' ? 'stream' : 'data'}.${id.namespace}.${id.table}`;
}

/**
 * Partition listing the keys of a table's tombstones (same keys, empty values), so a count is two
 * key counts instead of a scan that decodes every row. Names and table names hold no ":", so this
 * never collides with a table's own partition.
 */
export function tombstonePartition(id: TableId): string {
  return `data.${id.namespace}.${id.table}:tombstones`;
}

/** Every partition a table owns (what dropping it removes). */
export function tablePartitions(meta: TableMetadata): string[] {
  const id = tableId(meta.namespace_id, meta.table_name);
  const type = meta.table_type as DataTableType;
  return type === 'stream' ? [dataPartition(id, type)] : [dataPartition(id, type), tombstonePartition(id)];
}

/**
 * One version of a data table's definition, compiled for the stores: its row validator, primary
 * key handling and partitions. Immutable: an ALTER makes a new one (schema_version + 1).
 */
export class TableSchema {
  readonly id: TableId;
  /** "namespace.table", as in messages and change events. */
  readonly label: string;
  readonly type: DataTableType;
  readonly version: number;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: ColumnDefinition;
  readonly partition: string;
  readonly tombstones: string;
  readonly access: TableAccess | null;
  /** Stream tables: how long a row stays visible, in ms. */
  readonly ttlMs: number | null;
  private readonly validator: RowValidator;
  /** Columns with the value an old row that lacks them reads (added by ALTER after it was written). */
  private readonly fill: readonly (readonly [string, unknown])[];

  constructor(readonly meta: TableMetadata) {
    if (meta.table_type === 'system') throw ValidationError.single('table', '', `${meta.namespace_id}.${meta.table_name} is a system table, not a data table`);
    this.id = tableId(meta.namespace_id, meta.table_name);
    this.label = TableIdKey.display(this.id);
    this.type = meta.table_type;
    this.version = meta.schema_version;
    this.columns = meta.columns;
    const pk = meta.columns.find((c) => c.primary_key);
    if (!pk) throw ValidationError.single(this.label, '', `${this.label} has no primary key column`);
    this.primaryKey = pk;
    this.partition = dataPartition(this.id, this.type);
    this.tombstones = tombstonePartition(this.id);
    this.access = meta.access_level;
    this.ttlMs = meta.ttl_seconds === null ? null : meta.ttl_seconds * 1000;
    this.validator = new RowValidator(this.label, meta.columns);
    this.fill = meta.columns.map((c) => [c.name, c.default === undefined ? null : c.default] as const);
  }

  /** A full, valid row from user values (defaults applied); field-named ValidationError otherwise. */
  validate(values: unknown): RowValues {
    return this.validator.validate(values);
  }

  /** The RowId of a primary-key value, checked against the key column's type. */
  rowIdOf(value: unknown): RowId {
    return rowIdOf(this.label, this.primaryKey, value);
  }

  /** The RowId of a validated row (no second check of its key value). */
  rowIdOfRow(row: RowValues): RowId {
    return validRowIdOf(this.label, this.primaryKey, ownValue(row, this.primaryKey.name));
  }

  /** The RowId of a key typed as text (display form or plain). */
  parseRowId(text: string): RowId {
    return parseRowIdText(this.primaryKey, text);
  }

  /**
   * Brings a stored row onto the current columns, in place: a column added after the row was
   * written reads its default (or null). Dropped and renamed columns never need this: ALTER
   * rewrites the stored rows in the same transaction.
   */
  complete(row: DataRow): DataRow {
    if (row._deleted) return row;
    const r = row as Record<string, unknown>;
    for (const [name, value] of this.fill) if (!Object.hasOwn(r, name)) r[name] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
    return row;
  }

  /** The JSON text complete() gives each of `names` in a row that lacks it ("null" for a name that is no column). */
  fillTexts(names: readonly string[]): string[] {
    const fill = new Map(this.fill);
    return names.map((name) => JSON.stringify(fill.get(name) ?? null));
  }

  /**
   * The user-visible values of a row, in column order. Rows are read by own property only (see
   * ownValue); writing by assignment is safe, as no column is named "__proto__" (names start
   * with a letter).
   */
  values(row: DataRow): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of this.columns) out[c.name] = ownValue(row, c.name);
    return out;
  }
}
