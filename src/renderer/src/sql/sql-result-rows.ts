import type { ColumnInfo, Row } from '../../../shared/browse';
import { resultCellValue, resultColumnInfos } from '../../../shared/sql/result-columns';
import type { SqlCell, SqlColumn } from '../../../shared/sql/sql-results';
import { rowsToTsv } from '../grid/row-copy';

/** A result column as the grid shows it: a unique name (the grid keys columns by name) and a type. */
export interface ResultColumn {
  readonly info: ColumnInfo;
  /** Index of the column in the result's rows. */
  readonly index: number;
}

/** The grid's columns for a result: the shared rule (unique names, declared or read types), with each column's index. */
export function resultColumns(columns: readonly SqlColumn[], sample: readonly (readonly SqlCell[])[]): ResultColumn[] {
  return resultColumnInfos(columns, sample).map((info, index) => ({ info, index }));
}

/** A result row as a grid row: keyed by its position in the result (results have no key of their own). */
export function resultRow(columns: readonly ResultColumn[], cells: readonly SqlCell[], position: number): Row {
  // fromEntries defines own properties: a column named "__proto__" stays a value, not the prototype.
  const values = Object.fromEntries(columns.map((c) => [c.info.name, resultCellValue(c.info.type, cells[c.index] ?? null)]));
  return { key: String(position + 1), values, version: `r${position}` };
}

/** Rows as tab-separated text with a header line, for the clipboard: the grid's copy (row-copy.ts), null an empty field. */
export function rowsAsTsv(columns: readonly ResultColumn[], rows: readonly (readonly SqlCell[])[]): string {
  return rowsToTsv(
    columns.map((c) => c.info),
    rows.map((cells, i) => resultRow(columns, cells, i).values),
  );
}
