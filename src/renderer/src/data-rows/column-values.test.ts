import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../shared/browse';
import { parseColumnText, valueToText } from './column-values';

describe('column values', () => {
  it('reads each type, with the engine’s messages for bad input', () => {
    expect(parseColumnText('integer', ' 42 ', false)).toEqual({ ok: true, value: 42 });
    expect(parseColumnText('integer', '4.5', false)).toMatchObject({ ok: false, message: 'must be a whole number' });
    expect(parseColumnText('integer', '9007199254740993', false)).toMatchObject({ ok: false });
    expect(parseColumnText('double', '3.5', false)).toEqual({ ok: true, value: 3.5 });
    expect(parseColumnText('double', 'abc', false)).toMatchObject({ ok: false, message: 'must be a finite number' });
    expect(parseColumnText('boolean', 'true', false)).toEqual({ ok: true, value: true });
    expect(parseColumnText('timestamp', '2026-01-31T12:00:00Z', false)).toEqual({ ok: true, value: Date.UTC(2026, 0, 31, 12) });
    expect(parseColumnText('timestamp', 'yesterday', false)).toMatchObject({ ok: false });
    expect(parseColumnText('json', '{"a":[1]}', false)).toEqual({ ok: true, value: { a: [1] } });
    expect(parseColumnText('json', '{oops', false)).toMatchObject({ ok: false, message: 'must be valid JSON' });
    expect(parseColumnText('bytes', 'aGk=', false)).toEqual({ ok: true, value: 'aGk=' });
    expect(parseColumnText('bytes', 'not base64!', false)).toMatchObject({ ok: false, message: 'must be base64 text' });
  });

  it('empty is null for nullable columns and required otherwise; text keeps spaces', () => {
    expect(parseColumnText('integer', '', true)).toEqual({ ok: true, value: null });
    expect(parseColumnText('integer', '  ', false)).toEqual({ ok: false, message: 'is required' });
    expect(parseColumnText('text', '', true)).toEqual({ ok: true, value: null });
    expect(parseColumnText('text', '  ', false)).toEqual({ ok: true, value: '  ' });
  });

  const cases: [ColumnType, fc.Arbitrary<unknown>][] = [
    ['text', fc.string({ minLength: 1 })],
    ['integer', fc.maxSafeInteger()],
    ['double', fc.double({ noNaN: true, noDefaultInfinity: true })],
    ['boolean', fc.boolean()],
    ['timestamp', fc.integer({ min: -8.64e15, max: 8.64e15 })],
    ['json', fc.jsonValue().filter((v) => v !== null)],
  ];
  for (const [type, arb] of cases) {
    it(`round-trips ${type} values through their text (property)`, () => {
      fc.assert(
        fc.property(arb, (value) => {
          const parsed = parseColumnText(type, valueToText(type, value), false);
          expect(parsed.ok).toBe(true);
          if (parsed.ok) expect(JSON.stringify(parsed.value)).toBe(JSON.stringify(value));
        }),
      );
    });
  }
});
