import { z } from 'zod';
import { type KeyCodec, KeyError } from './key-codec';
import { decodeTuple, Double, encodeTuple, fromHex, toHex, type TupleElement } from './tuple';

/**
 * A row's primary key in shared and stream tables: the tuple encoding of the primary-key value,
 * so rows sort by their key's natural order (integer keys numerically).
 */
export const RowIdSchema = z
  .instanceof(Uint8Array)
  .refine((b) => b.length > 0, 'must not be empty')
  .refine((b) => {
    try {
      // null is no key value (RowKeyValue has none), and "null" would display/parse as a string.
      const els = decodeTuple(b);
      return els.length === 1 && els[0] !== null;
    } catch {
      return false;
    }
  }, 'must encode exactly one key value')
  .brand<'RowId'>();
export type RowId = z.infer<typeof RowIdSchema>;

export type RowKeyValue = string | number | bigint | boolean | Uint8Array | Double;

export function rowId(value: RowKeyValue): RowId {
  return encodeTuple([value]) as RowId;
}

export function rowKeyValue(id: RowId): TupleElement {
  return decodeTuple(id)[0] ?? null;
}

/** The display form of a Double: String(value) (which may be "1e+21" or "-Infinity") plus "d". */
const DOUBLE_TEXT = /^(-?\d+(\.\d+)?(e[+-]?\d+)?|-?Infinity)d$/;

/** Strings that look like another type are quoted, so parse(display(id)) is exact. */
function displayElement(el: TupleElement): string {
  if (typeof el === 'string') {
    return /^-?\d+$|^"|^0x|^(true|false)$/.test(el) || DOUBLE_TEXT.test(el) || el === '' ? JSON.stringify(el) : el;
  }
  if (typeof el === 'number' || typeof el === 'bigint') return String(el);
  if (typeof el === 'boolean') return String(el);
  if (el instanceof Uint8Array) return `0x${toHex(el)}`;
  if (el instanceof Double) return `${el.value}d`;
  return 'null';
}

function parseElement(text: string): RowKeyValue {
  if (/^-?\d+$/.test(text)) {
    const n = BigInt(text);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.startsWith('0x')) return fromHex(text.slice(2));
  if (DOUBLE_TEXT.test(text)) return new Double(Number(text.slice(0, -1)));
  if (text.startsWith('"')) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'string') throw new KeyError('RowId', 'quoted key must be a string');
    return parsed;
  }
  return text;
}

export const RowIdKey: KeyCodec<RowId> = {
  kind: 'RowId',
  schema: RowIdSchema,
  encode: (id) => id,
  decode: (bytes) => bytes as RowId,
  display: (id) => displayElement(rowKeyValue(id)),
  parse: (text) => {
    if (text.length === 0) throw new KeyError('RowId', 'must not be empty');
    try {
      return rowId(parseElement(text));
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError('RowId', (e as Error).message);
    }
  },
};
