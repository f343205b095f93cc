import { parse } from 'csv-parse/browser/esm/sync';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';
import { parseColumnText } from '../data-rows/column-values';
import { sameValue } from '../staging/staged-changes';

/** One cell a paste sets: a loaded row, an editable column, the value typed for it. */
interface PastedCell {
  readonly row: Row;
  readonly column: ColumnInfo;
  readonly value: unknown;
}

/** A pasted line below the last row: a new row's fields (the columns it reaches that a new row takes). */
interface PastedRow {
  readonly line: number;
  readonly fields: { readonly column: ColumnInfo; readonly value: unknown }[];
}

interface PastePlan {
  readonly cells: PastedCell[];
  /** Lines past the last row, when the table's end is loaded and new rows may be added (`newRows`). */
  readonly newRows: PastedRow[];
  /** Why some pasted fields were left out (a bad value, a column that cannot be edited, no row there). */
  readonly problems: string[];
}

/**
 * A TSV block from the clipboard (a spreadsheet's copy, or ours) as cell edits: its first field
 * lands on the active cell, the rest follow rightwards over the shown columns and downwards over the
 * loaded rows, as in a spreadsheet. A first line that repeats the column names there (our copies
 * carry a header) is left out. Values are read as the cell editor reads typed text. With `newRows`
 * (the last loaded row is the table's last), lines past the last row become new rows: their fields
 * for the columns `newRows` takes (the key among them), the others (`_seq`, `_ts`) left out.
 */
export function planPaste(
  text: string,
  {
    rows,
    columns,
    startRow,
    startColumn,
    canEdit,
    newRows,
  }: {
    rows: readonly Row[];
    columns: readonly ColumnInfo[];
    startRow: number;
    startColumn: number;
    canEdit: (c: ColumnInfo) => boolean;
    newRows?: ((c: ColumnInfo) => boolean) | undefined;
  },
): PastePlan {
  const lines = parse(text.replace(/\r?\n$/, ''), { delimiter: '\t', relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const header = lines[0]?.every((field, i) => columns[startColumn + i]?.name === field);
  const body = header ? lines.slice(1) : lines;
  const cells: PastedCell[] = [];
  const added: PastedRow[] = [];
  const problems: string[] = [];
  body.forEach((fields, i) => {
    const row = rows[startRow + i];
    if (!row && newRows) {
      const values: PastedRow['fields'] = [];
      fields.forEach((field, j) => {
        const column = columns[startColumn + j];
        if (!column) problems.push(`line ${i + 1}: more fields than columns`);
        else if (newRows(column)) {
          const parsed = parseColumnText(column.type, field, column.nullable);
          if (parsed.ok) values.push({ column, value: parsed.value });
          else problems.push(`line ${i + 1}, ${column.name}: ${parsed.message}`);
        }
      });
      if (values.length > 0) added.push({ line: i + 1, fields: values });
      return;
    }
    if (!row) {
      problems.push(`line ${i + 1}: no row below to paste into`);
      return;
    }
    fields.forEach((field, j) => {
      const column = columns[startColumn + j];
      if (!column) problems.push(`line ${i + 1}: more fields than columns`);
      else if (!canEdit(column)) {
        // A key or system column may come along (a whole row pasted back): fine while it matches.
        const same = parseColumnText(column.type, field, true);
        if (!same.ok || !sameValue(same.value, ownValue(row.values, column.name) ?? null)) problems.push(`${column.name} cannot be edited here`);
      } else {
        const parsed = parseColumnText(column.type, field, column.nullable);
        if (parsed.ok) cells.push({ row, column, value: parsed.value });
        else problems.push(`line ${i + 1}, ${column.name}: ${parsed.message}`);
      }
    });
  });
  return { cells, newRows: added, problems: [...new Set(problems)] };
}
