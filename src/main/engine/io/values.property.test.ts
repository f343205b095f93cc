import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvFieldWriter } from '../../../shared/csv-field';
import { timestampText } from './values';

const DELIMITERS = [',', ';', '\t', '|', '-', ']', '^', '\\', 'a'];
/** Fields made of the characters that matter to quoting, and any others. */
const field = fc.oneof(
  fc.constant(null),
  fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '|', '\r', '\n', ' ', 'a', '-', ']', '^', '\\', 'é') }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

describe('export values', () => {
  it('CSV records are written as csv-stringify writes them (RFC 4180, empty string quoted, null empty)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DELIMITERS), fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 5 }), (delimiter, records) => {
        const write = csvFieldWriter(delimiter);
        const ours = records.map((r) => `${r.map(write).join(delimiter)}\r\n`).join('');
        const theirs = stringify(records, { delimiter, record_delimiter: 'windows', quoted_match: [/^$/, /[\r\n]/] });
        expect(ours).toBe(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it('timestamps are written as Date.toISOString writes them, whatever came before', () => {
    const ms = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: -1e11, max: 1e11 }), fc.integer({ min: 1.7e12, max: 1.7e12 + 2e8 }));
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 20 }), (list) => {
        for (const t of list) expect(timestampText(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 500 },
    );
    expect(timestampText(8.64e15 + 1)).toBe(8.64e15 + 1);
    expect(timestampText(1.5)).toBe(1.5);
  });
});
