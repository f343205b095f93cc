import type { ColumnType } from '../../../shared/browse';
import { unquote } from '../codec/json-members';

/**
 * Row values (their JSON form, see tables/row-schema.ts) to and from the forms files carry them in:
 *   CSV: text; null is an empty unquoted field, the empty string a quoted one ("");
 *        timestamps ISO 8601 (UTC, milliseconds), json as JSON text, bytes base64, booleans true/false.
 *   JSON Lines: integers and doubles as numbers, timestamps ISO 8601, json as the value itself, null.
 * Reading accepts a little more than writing produces (a timestamp as integer milliseconds, booleans
 * as 1/0, surrounding spaces around numbers), and answers with the reason a value does not fit.
 */

/** Date's range: timestamps beyond it are written as integer milliseconds. */
const MAX_DATE_MS = 8.64e15;

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** The last day written, as its ISO text up to the "T" (exports write runs of timestamps of one day). */
let lastDay = Number.NaN;
let lastDayText = '';

/** A timestamp as Date.toISOString writes it (UTC, milliseconds), with the date part kept from the last call of the same day. */
export function timestampText(ms: number): string | number {
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_DATE_MS) return ms;
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDayText = new Date(day * DAY_MS).toISOString().slice(0, -'00:00:00.000Z'.length);
    lastDay = day;
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const second = t % 60;
  t = (t - second) / 60;
  const minute = t % 60;
  return `${lastDayText}${PAD2[(t - minute) / 60]!}:${PAD2[minute]!}:${PAD2[second]!}.${PAD3[milli]!}Z`;
}

/** A scalar's text; anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A value as one CSV field (null: an empty unquoted field). */
export function toCsvField(type: ColumnType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamp':
      return typeof value === 'number' ? String(timestampText(value)) : textOf(value);
    case 'json':
      return JSON.stringify(value);
    case 'text':
    case 'bytes':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      // integer, double, boolean: their JSON text (String(1e21) === JSON.stringify(1e21)).
      return textOf(value);
  }
}

/** A value as a JSON Lines member. */
export function toJsonValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp' && typeof value === 'number') return timestampText(value);
  return value;
}

/** Whether a value's JSON text is a number (JSON numbers start with a digit or a minus). */
function isNumberText(json: string): boolean {
  const c = json.charCodeAt(0);
  return c === 0x2d || (c >= 0x30 && c <= 0x39);
}

/**
 * toCsvField of a value given as its JSON text (JsonMemberReader's cells), without parsing it:
 * a number's text is String(number), true/false and objects are their own JSON, so only strings
 * (unquoted) and timestamps (ISO text) differ from the JSON text.
 */
export function csvFieldOfJson(type: ColumnType, json: string): string | null {
  if (json === 'null') return null;
  if (type === 'json') return json;
  if (type === 'timestamp' && isNumberText(json)) return String(timestampText(Number(json)));
  return json.charCodeAt(0) === 0x22 ? unquote(json) : json;
}

/**
 * JSON.parse of a value's JSON text, numbers and true/false/null read without the parser. Strings
 * still go through it: it copies them, where a slice would keep the whole row's text alive.
 */
export function parseJsonValue(json: string): unknown {
  if (isNumberText(json)) return Number(json);
  if (json === 'null') return null;
  if (json === 'true') return true;
  if (json === 'false') return false;
  return JSON.parse(json) as unknown;
}

/** The JSON text of toJsonValue of a value given as its JSON text (see csvFieldOfJson). */
export function jsonOfJson(type: ColumnType, json: string): string {
  if (type !== 'timestamp' || !isNumberText(json)) return json;
  const text = timestampText(Number(json));
  // An ISO timestamp holds nothing JSON escapes.
  return typeof text === 'string' ? `"${text}"` : json;
}

/** A value that does not fit a column type: the reason, for the rejected-row report. */
export class ValueError extends Error {
  override name = 'ValueError';
}

const ISO_TIMESTAMP = /^[+-]?\d{4,6}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseTimestamp(text: string): number {
  const t = text.trim();
  if (INTEGER_TEXT.test(t)) return parseInteger(t, 'a timestamp');
  if (!ISO_TIMESTAMP.test(t)) throw new ValueError(`"${clip(text)}" is not a timestamp (ISO 8601 or integer milliseconds)`);
  // A date or time without a zone is read as UTC (what we write is always UTC).
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) || !t.includes(':') ? t : `${t}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw new ValueError(`"${clip(text)}" is not a valid timestamp`);
  return ms;
}

function parseInteger(text: string, what = 'an integer'): number {
  const t = text.trim();
  if (!INTEGER_TEXT.test(t)) throw new ValueError(`"${clip(text)}" is not ${what}`);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new ValueError(`${clip(text)} is beyond the safe integer range (2^53 - 1)`);
  return n;
}

/** A text for a report line: long values are cut. */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A CSV field (null: empty unquoted) as a value of the column type; ValueError says why not. */
export function fromText(type: ColumnType, text: string | null): unknown {
  if (text === null) return null;
  switch (type) {
    case 'text':
      return text;
    case 'integer':
      return parseInteger(text);
    case 'double': {
      const t = text.trim();
      if (!NUMBER_TEXT.test(t)) throw new ValueError(`"${clip(text)}" is not a number`);
      return Number(t);
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw new ValueError(`"${clip(text)}" is not true or false`);
    }
    case 'timestamp':
      return parseTimestamp(text);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ValueError(`"${clip(text)}" is not JSON`);
      }
    case 'bytes':
      return text;
  }
}

/** A JSON value (JSON Lines) as a value of the column type. */
export function fromJson(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'json') return value;
  if (typeof value === 'string') return type === 'text' || type === 'bytes' ? value : fromText(type, value);
  if (type === 'text') throw new ValueError(`${clip(JSON.stringify(value))} is not text`);
  return value;
}

/** A value hyparquet decoded (bigint, Date, Uint8Array, parsed JSON) as a value of the column type. */
export function fromParquet(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new ValueError(`${value} is beyond the safe integer range (2^53 - 1)`);
    return type === 'double' ? n : n;
  }
  if (value instanceof Date) return type === 'text' ? value.toISOString() : value.getTime();
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return type === 'text' ? Buffer.from(value).toString('utf8') : b64;
  }
  if (typeof value === 'string' && type !== 'text' && type !== 'bytes' && type !== 'json') return fromText(type, value);
  return value;
}

/** The shortest text of a value for a report line. */
export function reportText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return clip(textOf(value));
}
