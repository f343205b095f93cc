import { type ColumnInfo, type ColumnType, ColumnTypeSchema } from '../browse';
import type { SqlCell, SqlColumn } from './sql-results';

/**
 * A query result's columns as rows are keyed by name (the grid, an export): names made unique
 * ("id", "id (2)": a join may return two; an unnamed column is "column N"), and each column's
 * declared type when it reads a table column straight, else one read from the first rows' values.
 */
export function resultColumnInfos(columns: readonly SqlColumn[], sample: readonly (readonly SqlCell[])[]): ColumnInfo[] {
  const used = new Set<string>();
  return columns.map((c, index) => {
    let name = c.name === '' ? `column ${index + 1}` : c.name;
    for (let n = 2; used.has(name); n += 1) name = `${c.name} (${n})`;
    used.add(name);
    const declared = ColumnTypeSchema.safeParse(c.type);
    const type: ColumnType = declared.success ? declared.data : inferType(sample.map((r) => r[index] ?? null));
    return { name, type, nullable: true, primaryKey: false };
  });
}

/** Numbers: integer when every one is whole, else double; anything else (or nothing) text. */
function inferType(values: readonly SqlCell[]): ColumnType {
  const present = values.filter((v) => v !== null);
  if (present.length === 0 || !present.every((v) => typeof v === 'number')) return 'text';
  return present.every((v) => Number.isInteger(v)) ? 'integer' : 'double';
}

/** A cell as a row value of its column's type: a boolean column's 0/1 as false/true, a json column's text parsed. */
export function resultCellValue(type: ColumnType, cell: SqlCell): unknown {
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
