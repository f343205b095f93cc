import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extendTo, NO_SELECTION, selectAll, selectedKeysOf, selectedRowsOf, selectOnly, toggle } from './row-selection';

const ORDER = ['1', '2', '3', '4', '5', '6'];
const keysOf = (s: ReturnType<typeof selectOnly>, current: string | undefined) => [...selectedKeysOf(s, current)].sort();

describe('row selection', () => {
  it('a click selects one row; Shift+click extends from it either way', () => {
    const one = selectOnly('2');
    expect(keysOf(one, '2')).toEqual(['2']);
    const down = extendTo(one, ORDER, '4', '2');
    expect(keysOf(down, '4')).toEqual(['2', '3', '4']);
    // The anchor stays: a second Shift+click re-draws the range from it, upwards too.
    const up = extendTo(down, ORDER, '1', '4');
    expect(keysOf(up, '1')).toEqual(['1', '2']);
  });

  it('Ctrl/Cmd+click toggles a row and becomes the anchor of the next range', () => {
    const s = toggle(selectOnly('1'), '4', '1');
    expect(keysOf(s, '4')).toEqual(['1', '4']);
    expect(keysOf(toggle(s, '1', '4'), '1')).toEqual(['4']);
    expect(keysOf(extendTo(s, ORDER, '6', '4'), '6')).toEqual(['4', '5', '6']);
  });

  it('Ctrl/Cmd+A selects every loaded row', () => {
    expect(keysOf(selectAll(ORDER, '3'), '3')).toEqual(ORDER);
    expect(keysOf(selectAll(ORDER, undefined), '1')).toEqual(ORDER);
  });

  it('the selection gives way to the current row when that moved another way (go to key, a saved form)', () => {
    const s = extendTo(selectOnly('1'), ORDER, '3', '1');
    expect(keysOf(s, '3')).toEqual(['1', '2', '3']);
    expect(keysOf(s, '5')).toEqual(['5']);
    expect(keysOf(NO_SELECTION, undefined)).toEqual([]);
  });

  it('a range whose anchor is no longer loaded starts at the current row', () => {
    const s = selectOnly('9');
    expect(keysOf(extendTo(s, ORDER, '3', '9'), '3')).toEqual(['3']);
    expect(keysOf(extendTo(NO_SELECTION, ORDER, '3', '5'), '3')).toEqual(['3', '4', '5']);
  });

  it('selected rows come in grid order, loaded ones only', () => {
    const rows = ORDER.map((key) => ({ key }));
    expect(selectedRowsOf(rows, new Set(['5', '2', '9'])).map((r) => r.key)).toEqual(['2', '5']);
  });

  it('a Shift range is always the contiguous run between the anchor and the row, both included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (a, b) => {
        const s = extendTo(selectOnly(ORDER[a]!), ORDER, ORDER[b]!, ORDER[a]);
        const picked = selectedRowsOf(
          ORDER.map((key) => ({ key })),
          selectedKeysOf(s, ORDER[b]),
        ).map((r) => ORDER.indexOf(r.key));
        expect(picked).toEqual(Array.from({ length: Math.abs(a - b) + 1 }, (_, i) => Math.min(a, b) + i));
      }),
    );
  });

  it('toggling a row twice gives the same selection back', () => {
    fc.assert(
      fc.property(fc.subarray(ORDER, { minLength: 1 }), fc.constantFrom(...ORDER), (picked, key) => {
        let s = selectOnly(picked[0]!);
        for (const k of picked.slice(1)) s = toggle(s, k, s.focus);
        const before = keysOf(s, s.focus);
        const twice = toggle(toggle(s, key, s.focus), key, key);
        expect(keysOf(twice, key)).toEqual(before);
      }),
    );
  });
});
