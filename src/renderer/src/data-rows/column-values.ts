import type { ColumnType } from '../../../shared/browse';

/**
 * Text ↔ typed values of data-table columns, for the inline cell editor and the row form. The
 * engine's rules (src/main/engine/tables/row-schema.ts) decide; these catch what can be caught
 * while typing, with the same words: integers are safe integers, timestamps integer milliseconds
 * (typed as a number or as an ISO date), bytes base64 text, json any JSON value.
 */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The text an editor starts from: JSON for json values, ISO dates for timestamps, "" for null. */
export function valueToText(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'json':
      return JSON.stringify(value);
    case 'timestamp':
      return typeof value === 'number' && Number.isFinite(new Date(value).getTime()) ? new Date(value).toISOString() : JSON.stringify(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Reads typed text as a column value. Empty text is null for nullable columns (text included). */
export function parseColumnText(type: ColumnType, text: string, nullable: boolean): Parsed {
  if (text.trim() === '' && (type !== 'text' || text === '')) {
    return nullable ? { ok: true, value: null } : { ok: false, message: 'is required' };
  }
  const t = text.trim();
  switch (type) {
    case 'text':
      return { ok: true, value: text };
    case 'integer': {
      if (!/^[-+]?\d+$/.test(t)) return { ok: false, message: 'must be a whole number' };
      const n = Number(t);
      return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, message: 'must be a safe integer (at most 2^53 - 1 in magnitude)' };
    }
    case 'double': {
      const n = Number(t);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'must be a finite number' };
    }
    case 'boolean':
      if (t === 'true') return { ok: true, value: true };
      if (t === 'false') return { ok: true, value: false };
      return { ok: false, message: 'must be true or false' };
    case 'timestamp': {
      if (/^[-+]?\d+$/.test(t)) {
        const n = Number(t);
        return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, message: 'must be a timestamp (integer milliseconds since the epoch)' };
      }
      const ms = Date.parse(t);
      return Number.isFinite(ms)
        ? { ok: true, value: ms }
        : { ok: false, message: 'must be a date (e.g. 2026-01-31T12:00:00Z) or milliseconds since the epoch' };
    }
    case 'json':
      try {
        const value = JSON.parse(t) as unknown;
        return value === null && !nullable ? { ok: false, message: 'must not be null' } : { ok: true, value };
      } catch {
        return { ok: false, message: 'must be valid JSON' };
      }
    case 'bytes':
      return BASE64.test(t) ? { ok: true, value: t } : { ok: false, message: 'must be base64 text' };
  }
}

/** A hint under a field of the type. */
export function typeHint(type: ColumnType): string | undefined {
  switch (type) {
    case 'integer':
      return 'Whole number.';
    case 'double':
      return 'Number, e.g. 3.14.';
    case 'timestamp':
      return 'ISO date (2026-01-31T12:00:00Z) or milliseconds since the epoch.';
    case 'json':
      return 'Any JSON value, e.g. {"tags": ["a"]}.';
    case 'bytes':
      return 'Base64 text.';
    default:
      return undefined;
  }
}
