import { type ColumnInfo, type ColumnType, ColumnTypeSchema, type Row } from '../../../shared/browse';
import type { SqlCell, SqlColumn } from '../../../shared/sql/sql-results';
import { rowsToTsv } from '../grid/row-copy';

/** A result column as the grid shows it: a unique name (the grid keys columns by name) and a type. */
export interface ResultColumn {
  readonly info: ColumnInfo;
  /** Index of the column in the result's rows. */
  readonly index: number;
}

/**
 * The grid's columns for a result: names made unique ("id", "id (2)": a join may return two), and
 * the column's declared type, else one read from the first page's values (numbers right-aligned).
 */
export function resultColumns(columns: readonly SqlColumn[], sample: readonly (readonly SqlCell[])[]): ResultColumn[] {
  const used = new Set<string>();
  return columns.map((c, index) => {
    let name = c.name === '' ? `column ${index + 1}` : c.name;
    for (let n = 2; used.has(name); n += 1) name = `${c.name} (${n})`;
    used.add(name);
    const declared = ColumnTypeSchema.safeParse(c.type);
    const type: ColumnType = declared.success ? declared.data : inferType(sample.map((r) => r[index] ?? null));
    return { index, info: { name, type, nullable: true, primaryKey: false } };
  });
}

function inferType(values: readonly SqlCell[]): ColumnType {
  const present = values.filter((v) => v !== null);
  return present.length > 0 && present.every((v) => typeof v === 'number') ? 'double' : 'text';
}

/** A cell as the grid formats it: a boolean column's 0/1 as false/true, a json column's text parsed. */
function cellValue(type: ColumnType, cell: SqlCell): unknown {
  if (cell === null) return null;
  if (type === 'boolean' && typeof cell === 'number') return cell !== 0;
  if (type === 'json' && typeof cell === 'string') {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
}

/** A result row as a grid row: keyed by its position in the result (results have no key of their own). */
export function resultRow(columns: readonly ResultColumn[], cells: readonly SqlCell[], position: number): Row {
  // fromEntries defines own properties: a column named "__proto__" stays a value, not the prototype.
  const values = Object.fromEntries(columns.map((c) => [c.info.name, cellValue(c.info.type, cells[c.index] ?? null)]));
  return { key: String(position + 1), values, version: `r${position}` };
}

/** Rows as tab-separated text with a header line, for the clipboard: the grid's copy (row-copy.ts), null an empty field. */
export function rowsAsTsv(columns: readonly ResultColumn[], rows: readonly (readonly SqlCell[])[]): string {
  return rowsToTsv(
    columns.map((c) => c.info),
    rows.map((cells, i) => resultRow(columns, cells, i).values),
  );
}
