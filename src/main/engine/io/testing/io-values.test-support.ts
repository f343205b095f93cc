/** Random column values of every type, as the io property tests generate them. */
import fc from 'fast-check';
import type { ColumnType } from '../../../../shared/browse';

export const COLUMN_TYPES: ColumnType[] = ['text', 'integer', 'double', 'boolean', 'timestamp', 'json', 'bytes'];

// No NUL in text: an import refuses files holding NUL bytes as binary (CSV carries text raw).
export const textValue = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0'));
const jsonValue = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('__proto__'));

/** A value of a column of `type` (never null: callers wrap it in fc.option). */
export function columnValue(type: ColumnType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'text':
      return textValue;
    case 'integer':
      return fc.maxSafeInteger().map((n) => n);
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d));
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.integer({ min: -8.64e15, max: 8.64e15 });
    case 'json':
      return jsonValue;
    case 'bytes':
      return fc.uint8Array({ maxLength: 10 }).map((b) => Buffer.from(b).toString('base64'));
  }
}
