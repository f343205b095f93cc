import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Row } from '../../../shared/browse';
import {
  clampWidth,
  fitColumnWidth,
  fitColumnWidths,
  FIT_SAMPLE_ROWS,
  headerWidth,
  MAX_COLUMN_WIDTH,
  MAX_FIT_WIDTH,
  MEASURED_PER_COLUMN,
  MIN_COLUMN_WIDTH,
  type TextMeasure,
  valuesWidth,
} from './column-widths';

/** A monospaced stand-in for the canvas: every character is 7 px (8 in the bold header face). */
const measure: TextMeasure = (text, face) => text.length * (face === 'header' ? 8 : 7);
const column = (name: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  type,
  nullable: true,
  primaryKey: false,
  ...extra,
});
const rows = (name: string, values: unknown[]): Row[] => values.map((v, i) => ({ key: String(i), values: { [name]: v }, version: `v${i}` }));

describe('column widths', () => {
  it('a short name and its type tag fit in full: "amount" beside "integer" is never cut', () => {
    const amount = column('amount', 'integer');
    const width = fitColumnWidth(amount, rows('amount', [1, 22, 333]), false, measure);
    // Padding 10 + name 48 + gap 6 + tag pad 4 + tag 49 + padding 8 + border 1 + slack 4.
    expect(width).toBe(130);
    expect(width).toBeGreaterThanOrEqual(measure('amount', 'header') + measure('integer', 'tag'));
    // The old default for numbers (120 px) was narrower than this header: it showed "amou…".
    expect(width).toBeGreaterThan(120);
  });

  it('a sortable column makes room for its sort icon; the key column shows "key" as its tag', () => {
    const id = column('id', 'integer', { primaryKey: true });
    expect(headerWidth(id, true, measure) - headerWidth(id, false, measure)).toBe(8 + measure('↕', 'icon'));
    expect(headerWidth(id, false, measure)).toBe(Math.ceil(10 + 16 + 6 + 4 + 21 + 8 + 1 + 4));
  });

  it('fits the widest value of the first page, as cells show it (timestamps, JSON, null)', () => {
    const note = column('n', 'text');
    expect(valuesWidth(note, rows('n', ['a', 'a much longer note', null]), measure)).toBe(Math.ceil(20 + 18 * 7 + 1 + 4));
    const json = column('j', 'json');
    expect(valuesWidth(json, rows('j', [{ a: 1 }]), measure)).toBe(Math.ceil(20 + '{"a":1}'.length * 7 + 1 + 4));
    const at = column('at', 'timestamp');
    // "2026-01-01 00:00:00" in any time zone: 19 characters.
    expect(valuesWidth(at, rows('at', [Date.UTC(2026, 0, 1)]), measure)).toBe(Math.ceil(20 + 19 * 7 + 1 + 4));
  });

  it('measures only the longest texts of a column, at most MEASURED_PER_COLUMN of them', () => {
    const c = column('c', 'text');
    const measured: string[] = [];
    const counting: TextMeasure = (text, face) => {
      measured.push(text);
      return measure(text, face);
    };
    const values = Array.from({ length: 50 }, (_, i) => 'x'.repeat(i + 1));
    expect(valuesWidth(c, rows('c', values), counting)).toBe(Math.ceil(20 + 50 * 7 + 1 + 4));
    expect(measured).toHaveLength(MEASURED_PER_COLUMN);
    expect(measured[0]).toHaveLength(50);
  });

  it('measures only the first FIT_SAMPLE_ROWS rows', () => {
    const c = column('c', 'text');
    const many = rows('c', [...Array.from({ length: FIT_SAMPLE_ROWS }, () => 'x'), 'a value far beyond the sample']);
    expect(valuesWidth(c, many, measure)).toBe(Math.ceil(20 + 7 + 1 + 4));
  });

  it('caps long values at MAX_FIT_WIDTH, but never cuts the header under it, and never goes under MIN_COLUMN_WIDTH', () => {
    const c = column('c', 'text');
    expect(fitColumnWidth(c, rows('c', ['x'.repeat(500)]), false, measure)).toBe(MAX_FIT_WIDTH);
    expect(fitColumnWidth(column('b', 'boolean'), rows('b', [true]), false, () => 0)).toBe(MIN_COLUMN_WIDTH);
    const longName = column('n'.repeat(80), 'text');
    expect(fitColumnWidth(longName, [], false, measure)).toBe(headerWidth(longName, false, measure));
    expect(fitColumnWidth(column('n'.repeat(400), 'text'), [], false, measure)).toBe(MAX_COLUMN_WIDTH);
  });

  it('every fitted width is within bounds and holds the header and the values (up to the cap)', () => {
    const types: ColumnInfo['type'][] = ['text', 'integer', 'double', 'boolean', 'timestamp', 'json', 'bytes'];
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom(...types),
        fc.boolean(),
        fc.array(fc.oneof(fc.string({ maxLength: 120 }), fc.integer(), fc.constant(null)), { maxLength: 30 }),
        (name, type, sortable, values) => {
          const info = column(name, type);
          const page = rows(name, values);
          const width = fitColumnWidth(info, page, sortable, measure);
          expect(width).toBeGreaterThanOrEqual(MIN_COLUMN_WIDTH);
          expect(width).toBeLessThanOrEqual(MAX_COLUMN_WIDTH);
          expect(width).toBeGreaterThanOrEqual(Math.min(MAX_COLUMN_WIDTH, headerWidth(info, sortable, measure)));
          expect(width).toBeGreaterThanOrEqual(Math.min(MAX_FIT_WIDTH, valuesWidth(info, page, measure)));
        },
      ),
    );
  });

  it('fits every column by name, asking each whether it sorts', () => {
    const cols = [column('id', 'integer', { primaryKey: true }), column('name', 'text')];
    const page: Row[] = [{ key: '1', values: { id: 1, name: 'Ada Lovelace' }, version: 'v' }];
    const widths = fitColumnWidths(cols, page, (c) => c.primaryKey, measure);
    expect(Object.keys(widths)).toEqual(['id', 'name']);
    expect(widths['id']).toBe(fitColumnWidth(cols[0]!, page, true, measure));
    expect(widths['name']).toBe(fitColumnWidth(cols[1]!, page, false, measure));
  });

  it('widths set by hand are whole pixels within bounds', () => {
    expect(clampWidth(10)).toBe(MIN_COLUMN_WIDTH);
    expect(clampWidth(5000)).toBe(MAX_COLUMN_WIDTH);
    expect(clampWidth(150.6)).toBe(151);
  });
});
