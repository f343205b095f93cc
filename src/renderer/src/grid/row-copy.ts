import type { ColumnInfo, Row } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';

/**
 * Rows as text for the clipboard: one value, CSV (RFC 4180), JSON, or SQL INSERT statements.
 * Values are the stored ones (timestamps as their numbers), so a copy pastes back as it was.
 */

/** One value as plain text: strings as they are, null as empty, anything else as compact JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line of the column names, then one line per row (CRLF, as RFC 4180 says). */
export function rowsAsCsv(columns: readonly ColumnInfo[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(valueText(ownValue(row.values, c.name)))).join(','));
  return lines.join('\r\n');
}

/** One object per row (column → value), an array when there are several. */
export function rowsAsJson(columns: readonly ColumnInfo[], rows: readonly Row[]): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, ownValue(row.values, c.name) ?? null])));
  return JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2);
}

/** A double-quoted SQL identifier (a "." separates namespace and table). */
function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A SQL literal: NULL, TRUE/FALSE, numbers as they are, text and JSON single-quoted. */
export function sqlLiteral(value: unknown): string {
  // Non-finite numbers cannot be stored: no literal stands for them.
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  return `'${valueText(value).replace(/'/g, "''")}'`;
}

/** One INSERT per row into `table` ("ns.name"), with the table's own columns (system columns, which start with "_", left out). */
export function rowsAsInsert(table: string, columns: readonly ColumnInfo[], rows: readonly Row[]): string {
  const own = columns.filter((c) => !c.name.startsWith('_'));
  const target = table.split('.').map(sqlName).join('.');
  const names = own.map((c) => sqlName(c.name)).join(', ');
  return rows.map((row) => `INSERT INTO ${target} (${names}) VALUES (${own.map((c) => sqlLiteral(ownValue(row.values, c.name))).join(', ')});`).join('\n');
}
