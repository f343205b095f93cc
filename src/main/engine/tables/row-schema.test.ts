import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../shared/browse';
import { KeyError } from '../../../shared/keys/key-codec';
import { RowIdKey, rowKeyValue } from '../../../shared/keys/row-id';
import { compareBytes, Double } from '../../../shared/keys/tuple';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { ValidationError } from '../errors';
import { columnSchema, parseKeyText, parseRowIdText, RowValidator, rowIdOf, valueProblem } from './row-schema';
import { errorOf } from './testing.test-support';

const col = (name: string, type: ColumnType, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  type,
  nullable: false,
  primary_key: false,
  ...extra,
});

const COLUMNS: ColumnDefinition[] = [
  col('id', 'integer', { primary_key: true }),
  col('name', 'text'),
  col('score', 'double', { nullable: true }),
  col('active', 'boolean', { default: true }),
  col('at', 'timestamp', { nullable: true }),
  col('meta', 'json', { default: { tags: [] } }),
  col('blob', 'bytes', { nullable: true }),
];

const validator = new RowValidator('app.things', COLUMNS);

function issues(values: unknown): Record<string, string> {
  const e = errorOf(() => validator.validate(values));
  expect(e).toBeInstanceOf(ValidationError);
  return Object.fromEntries((e as ValidationError).issues.map((i) => [i.field, i.message]));
}

describe('RowValidator', () => {
  it('accepts a full row and returns it in column order', () => {
    const row = validator.validate({ blob: 'AAE=', name: 'x', id: 7, score: 1.5, active: false, at: -5, meta: { a: [1, null] } });
    expect(Object.keys(row)).toEqual(['id', 'name', 'score', 'active', 'at', 'meta', 'blob']);
    expect(row).toEqual({ id: 7, name: 'x', score: 1.5, active: false, at: -5, meta: { a: [1, null] }, blob: 'AAE=' });
  });

  it('fills defaults, and null for nullable columns left out', () => {
    expect(validator.validate({ id: 1, name: 'x' })).toEqual({ id: 1, name: 'x', score: null, active: true, at: null, meta: { tags: [] }, blob: null });
  });

  it('gives each row its own copy of a json default', () => {
    const a = validator.validate({ id: 1, name: 'a' });
    const b = validator.validate({ id: 2, name: 'b' });
    (a.meta as { tags: string[] }).tags.push('mutated');
    expect(b.meta).toEqual({ tags: [] });
    expect(validator.validate({ id: 3, name: 'c' }).meta).toEqual({ tags: [] });
  });

  it('names every bad field, with the reason', () => {
    expect(issues({ name: 5, score: 'high', active: 'yes', at: 1.5, meta: null, blob: 'not base64!' })).toEqual({
      id: 'is required',
      name: 'must be text, got a number',
      score: 'must be a finite number, got a string',
      active: 'must be true or false, got a string',
      at: 'must be a timestamp (integer milliseconds since the epoch), got a number',
      meta: 'must not be null',
      blob: 'must be base64 text, got a string',
    });
  });

  it('refuses null in a non-nullable column and accepts it in a nullable one', () => {
    expect(issues({ id: 1, name: null })).toEqual({ name: 'must not be null' });
    expect(validator.validate({ id: 1, name: 'n', score: null, at: null, blob: null }).score).toBeNull();
  });

  it('integers must be safe (JSON numbers), doubles finite', () => {
    expect(issues({ id: 2 ** 53, name: 'x' }).id).toMatch(/safe integer/);
    expect(issues({ id: 1.5, name: 'x' }).id).toMatch(/safe integer/);
    expect(issues({ id: 1, name: 'x', score: Number.POSITIVE_INFINITY }).score).toMatch(/finite/);
    expect(issues({ id: 1, name: 'x', score: Number.NaN }).score).toMatch(/finite/);
    expect(validator.validate({ id: -(2 ** 53) + 1, name: 'x' }).id).toBe(-(2 ** 53) + 1);
  });

  it('refuses unknown columns and system columns by name', () => {
    expect(issues({ id: 1, name: 'x', colour: 'red', _seq: 5, _deleted: true })).toEqual({
      colour: 'unknown column',
      _seq: 'is a system column, set by the engine',
      _deleted: 'is a system column, set by the engine',
    });
  });

  it('refuses what is not an object', () => {
    for (const bad of [null, 5, 'row', [1, 2]]) expect(issues(bad)).toEqual({ '': 'a row must be an object of column values' });
  });
});

describe('valueProblem and columnSchema', () => {
  it('checks defaults and values per type', () => {
    expect(valueProblem(col('a', 'integer'), 5)).toBeUndefined();
    expect(valueProblem(col('a', 'integer'), '5')).toMatch(/safe integer/);
    expect(valueProblem(col('a', 'integer'), null)).toBe('must not be null');
    expect(valueProblem(col('a', 'integer', { nullable: true }), null)).toBeUndefined();
    expect(valueProblem(col('a', 'json'), { x: 1 })).toBeUndefined();
    expect(valueProblem(col('a', 'bytes'), 'AAE=')).toBeUndefined();
  });

  it('a nullable column with a default keeps an explicit null', () => {
    const s = columnSchema(col('a', 'text', { nullable: true, default: 'd' }));
    expect(s.parse(undefined)).toBe('d');
    expect(s.parse(null)).toBeNull();
  });
});

describe('primary keys', () => {
  const key = (type: ColumnType, value: unknown) => rowIdOf('t', col('k', type, { primary_key: true }), value);

  it('integer keys sort numerically (9 < 10 < 100, negatives first)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (a, b) => {
        expect(Math.sign(compareBytes(key('integer', a), key('integer', b)))).toBe(Math.sign(a - b));
      }),
    );
    const sorted = [100, -3, 10, 9, 0].map((n) => key('integer', n)).sort(compareBytes);
    expect(sorted.map((k) => rowKeyValue(k))).toEqual([-3, 0, 9, 10, 100]);
  });

  it('double keys sort numerically, text keys by UTF-8', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (a, b) => {
        const expected = a === b || (a === 0 && b === 0) ? 0 : Math.sign(a - b);
        expect(Math.sign(compareBytes(key('double', a), key('double', b)))).toBe(expected);
      }),
    );
    expect(compareBytes(key('text', 'a'), key('text', 'b'))).toBeLessThan(0);
    expect(compareBytes(key('text', 'a'), key('text', 'a2'))).toBeLessThan(0);
  });

  it('a key value of the wrong type, or missing, names the key column', () => {
    for (const [type, value, message] of [
      ['integer', 'x', /safe integer/],
      ['integer', null, /required/],
      ['text', undefined, /required/],
      ['text', 'lone \ud800', /well-formed|surrogate/],
      ['bytes', '***', /base64/],
    ] as const) {
      const e = errorOf(() => key(type, value));
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues).toEqual([{ field: 'k', message: expect.stringMatching(message) as string }]);
    }
  });

  it('bytes keys are the decoded bytes', () => {
    expect(rowKeyValue(key('bytes', 'AAE='))).toEqual(new Uint8Array([0, 1]));
  });

  it('parses key text by the column type, including the display forms', () => {
    const k = (type: ColumnType) => col('k', type, { primary_key: true });
    expect(parseKeyText(k('integer'), '42')).toBe(42);
    expect(parseKeyText(k('integer'), ' -7 ')).toBe(-7);
    expect(parseKeyText(k('timestamp'), '1767225600000')).toBe(1_767_225_600_000);
    expect(parseKeyText(k('double'), '1.5')).toEqual(new Double(1.5));
    expect(parseKeyText(k('double'), '1.5d')).toEqual(new Double(1.5));
    expect(parseKeyText(k('text'), '42')).toBe('42');
    expect(parseKeyText(k('text'), '"42"')).toBe('42');
    expect(parseKeyText(k('text'), '"unterminated')).toBe('"unterminated');
    expect(parseKeyText(k('boolean'), 'true')).toBe(true);
    expect(parseKeyText(k('bytes'), '0x0001')).toEqual(new Uint8Array([0, 1]));
    expect(parseKeyText(k('bytes'), 'AAE=')).toEqual(new Uint8Array([0, 1]));
    for (const [type, text] of [
      ['integer', '1.5'],
      ['integer', '99999999999999999'],
      ['double', 'x'],
      ['boolean', 'yes'],
      ['bytes', '0xzz'],
    ] as const) {
      expect(() => parseKeyText(k(type), text), `${type} ${text}`).toThrow(KeyError);
    }
    expect(() => parseRowIdText(k('text'), '')).toThrow(KeyError);
  });

  it('parse(display(key)) round-trips for every key type', () => {
    const values: [ColumnType, unknown][] = [
      ['integer', 42],
      ['integer', -1],
      ['text', 'hello'],
      ['text', '42'],
      ['text', 'true'],
      ['double', 2.5],
      ['boolean', false],
      ['bytes', 'AAEC'],
      ['timestamp', 0],
    ];
    for (const [type, value] of values) {
      const column = col('k', type, { primary_key: true });
      const id = rowIdOf('t', column, value);
      expect(compareBytes(parseRowIdText(column, RowIdKey.display(id)), id), `${type} ${String(value)}`).toBe(0);
    }
  });
});
