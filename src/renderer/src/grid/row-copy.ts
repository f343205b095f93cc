import type { ColumnInfo } from '../../../shared/browse';
import { csvFieldWriter } from '../../../shared/csv-field';

/**
 * Rows of the grid as clipboard text: TSV (spreadsheets), CSV (RFC 4180), JSON, or SQL INSERT
 * statements. Pure functions of the columns and row values, so the grid's Ctrl/Cmd+C and its cell
 * menu produce the same text. Values keep the forms the grid holds: timestamps as ISO 8601
 * (UTC), json as JSON text, bytes as base64, null as an empty field (TSV/CSV) or NULL (SQL).
 */
export type CopyFormat = 'tsv' | 'csv' | 'json' | 'insert';

type Values = Readonly<Record<string, unknown>>;

const MAX_DATE_MS = 8.64e15;

/** One cell as the clipboard holds it ("Copy value"): as in a copied row, null as empty text. */
export function cellText(column: ColumnInfo, value: unknown): string {
  return plain(column, value) ?? '';
}

/** One value as plain text (null and undefined: null). */
function plain(column: ColumnInfo, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'timestamp' && typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS)
    return new Date(value).toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** TSV as spreadsheets paste it: a header row, tab-separated fields; a field holding a tab or a line break, or starting with a quote, is quoted. */
export function rowsToTsv(columns: readonly ColumnInfo[], rows: readonly Values[], header = true): string {
  const field = (text: string | null) => (text === null ? '' : /[\t\r\n]|^"/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = rows.map((r) => columns.map((c) => field(plain(c, r[c.name]))).join('\t'));
  return [...(header ? [columns.map((c) => field(c.name)).join('\t')] : []), ...lines].join('\n');
}

/** CSV (RFC 4180): header, CRLF, fields quoted when needed; "" is the empty string, an empty field null. */
export function rowsToCsv(columns: readonly ColumnInfo[], rows: readonly Values[]): string {
  const field = csvFieldWriter(',');
  const lines = [columns.map((c) => field(c.name)).join(','), ...rows.map((r) => columns.map((c) => field(plain(c, r[c.name]))).join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** A JSON array of objects (timestamps ISO 8601, json values as they are). */
export function rowsToJson(columns: readonly ColumnInfo[], rows: readonly Values[]): string {
  const objects = rows.map((r) =>
    Object.fromEntries(columns.map((c) => [c.name, c.type === 'timestamp' || c.type === 'bytes' ? plain(c, r[c.name]) : (r[c.name] ?? null)])),
  );
  return JSON.stringify(objects, null, 2);
}

const ident = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

function sqlValue(column: ColumnInfo, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (column.type) {
    case 'integer':
    case 'double':
      return typeof value === 'number' ? String(value) : sqlText(plain(column, value) ?? '');
    case 'boolean':
      return value === true ? 'TRUE' : 'FALSE';
    default:
      return sqlText(plain(column, value) ?? '');
  }
}

/** One INSERT statement per row, into `table` ("namespace.table"); system columns (`_seq`, `_ts`) are left out. */
export function rowsToInsert(table: string, columns: readonly ColumnInfo[], rows: readonly Values[]): string {
  const cols = columns.filter((c) => c.name !== '_seq' && c.name !== '_ts');
  const target = table.split('.').map(ident).join('.');
  const names = cols.map((c) => ident(c.name)).join(', ');
  return rows.map((r) => `INSERT INTO ${target} (${names}) VALUES (${cols.map((c) => sqlValue(c, r[c.name])).join(', ')});`).join('\n');
}

/** The clipboard text of rows in a format. */
export function copyText(format: CopyFormat, table: string, columns: readonly ColumnInfo[], rows: readonly Values[]): string {
  switch (format) {
    case 'tsv':
      return rowsToTsv(columns, rows);
    case 'csv':
      return rowsToCsv(columns, rows);
    case 'json':
      return rowsToJson(columns, rows);
    case 'insert':
      return rowsToInsert(table, columns, rows);
  }
}
