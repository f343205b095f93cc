import type { ColumnType } from '../../../shared/browse';

export type CellKind = 'null' | 'boolean' | 'number' | 'text' | 'json' | 'timestamp';

export interface FormattedCell {
  kind: CellKind;
  /** What the cell shows. */
  text: string;
  /** For screen readers when `text` is a symbol (✓/✗). */
  spoken?: string;
  /** Tooltip: the exact value when the cell shows a friendlier form. */
  title?: string;
}

/** Longest text a cell holds; the full value is in the row's JSON view. */
export const MAX_CELL_CHARS = 300;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-26 08:25:13" in the local time zone (sortable, the same width on every row). */
export function formatLocalDateTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function truncate(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text;
}

/** Compact one-line JSON (no spaces), as a cell shows it. */
export function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** How a value of a column type is shown in a grid cell. */
export function formatCell(type: ColumnType, value: unknown): FormattedCell {
  if (value === null || value === undefined) return { kind: 'null', text: 'null' };
  switch (type) {
    case 'timestamp': {
      if (typeof value !== 'number' && typeof value !== 'string') break;
      const ms = typeof value === 'number' ? value : Date.parse(value);
      if (Number.isNaN(ms)) return { kind: 'text', text: truncate(String(value)) };
      const iso = new Date(ms).toISOString();
      return { kind: 'timestamp', text: formatLocalDateTime(ms), title: `${iso} (${ms})` };
    }
    case 'boolean':
      if (typeof value !== 'boolean') break;
      return { kind: 'boolean', text: value ? '✓' : '✗', spoken: value ? 'true' : 'false', title: String(value) };
    case 'integer':
    case 'double':
      if (typeof value !== 'number') break;
      return { kind: 'number', text: String(value) };
    case 'text':
    case 'bytes':
      if (typeof value !== 'string') break;
      return value.length > MAX_CELL_CHARS ? { kind: 'text', text: truncate(value), title: `${value.length} characters` } : { kind: 'text', text: value };
    case 'json':
      break;
  }
  const json = compactJson(value);
  return { kind: 'json', text: truncate(json), ...(json.length > MAX_CELL_CHARS ? { title: `${json.length} characters of JSON` } : {}) };
}

/**
 * Numbers with thousands separators, for counts ("1,234,567", as en-US writes them). Whole
 * numbers are grouped by hand: a page's first toLocaleString call sets up ICU number formatting,
 * which costs tens of milliseconds, and the first call comes while a table opens (the status bar).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const group = digits.slice(Math.max(0, end - 3), end);
    out = out === '' ? group : `${group},${out}`;
  }
  return n < 0 ? `-${out}` : out;
}

/** A count with its noun, singular for one: "1 row", "2,000 rows". */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}
