import { describe, expect, it } from 'vitest';
import { compactJson, formatCell, formatCount, formatLocalDateTime, MAX_CELL_CHARS } from './cell-format';

describe('formatCell', () => {
  it('shows null and undefined as a muted null', () => {
    expect(formatCell('text', null)).toEqual({ kind: 'null', text: 'null' });
    expect(formatCell('integer', undefined)).toEqual({ kind: 'null', text: 'null' });
  });

  it('shows timestamps in local time with the ISO form as tooltip', () => {
    const ms = Date.UTC(2026, 10, 26, 7, 25, 13);
    const cell = formatCell('timestamp', ms);
    expect(cell.kind).toBe('timestamp');
    expect(cell.text).toBe(formatLocalDateTime(ms));
    expect(cell.text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(cell.title).toBe(`2026-11-26T07:25:13.000Z (${ms})`);
  });

  it('shows booleans as check marks, spoken as words', () => {
    expect(formatCell('boolean', true)).toMatchObject({ text: '✓', spoken: 'true' });
    expect(formatCell('boolean', false)).toMatchObject({ text: '✗', spoken: 'false' });
  });

  it('shows JSON compactly and truncates long values', () => {
    expect(formatCell('json', { a: 1, b: [true, null] })).toEqual({ kind: 'json', text: '{"a":1,"b":[true,null]}' });
    const long = formatCell('json', { s: 'x'.repeat(500) });
    expect(long.text.length).toBe(MAX_CELL_CHARS + 1);
    expect(long.text.endsWith('…')).toBe(true);
    expect(long.title).toMatch(/characters of JSON/);
  });

  it('falls back to JSON when a value does not match its column type', () => {
    expect(formatCell('integer', '12')).toEqual({ kind: 'json', text: '"12"' });
    expect(formatCell('text', 5)).toEqual({ kind: 'json', text: '5' });
  });

  it('keeps numbers exact', () => {
    expect(formatCell('double', 0.1 + 0.2).text).toBe('0.30000000000000004');
  });

  it('survives values JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(compactJson(cyclic)).toBe('[object Object]');
    expect(compactJson(10n)).toBe('10');
  });
});

describe('formatCount', () => {
  it('groups thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, -1, -1234, -1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('leaves other numbers to toLocaleString', () => {
    expect(formatCount(1234.5)).toBe((1234.5).toLocaleString('en-US'));
    expect(formatCount(Number.NaN)).toBe('NaN');
    expect(formatCount(1e21)).toBe((1e21).toLocaleString('en-US'));
  });
});
