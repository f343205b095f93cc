import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { planPaste } from './paste-cells';
import { rowsToTsv } from '../grid/row-copy';

const col = (name: string, type: ColumnInfo['type'], nullable = true): ColumnInfo => ({ name, type, nullable, primaryKey: name === 'id' });
const COLUMNS = [col('id', 'integer'), col('name', 'text', false), col('price', 'double'), col('ok', 'boolean'), col('_seq', 'integer')];
const ROWS: Row[] = [1, 2, 3].map((id) => ({ key: String(id), values: { id, name: `n${id}`, price: id, ok: null, _seq: id }, version: `v${id}` }));
const canEdit = (c: ColumnInfo) => !c.primaryKey && !c.name.startsWith('_');
const plan = (text: string, startRow: number, startColumn: number) => {
  const p = planPaste(text, { rows: ROWS, columns: COLUMNS, startRow, startColumn, canEdit });
  return { cells: p.cells.map((c) => [c.row.key, c.column.name, c.value]), problems: p.problems };
};

describe('paste into the grid', () => {
  it('a spreadsheet block lands on the active cell, rightwards and downwards, values typed as the editor types them', () => {
    expect(plan('Trackball\t12.5\ttrue\r\nPad\t\tfalse\r\n', 1, 1)).toEqual({
      cells: [
        ['2', 'name', 'Trackball'],
        ['2', 'price', 12.5],
        ['2', 'ok', true],
        ['3', 'name', 'Pad'],
        ['3', 'price', null],
        ['3', 'ok', false],
      ],
      problems: [],
    });
  });

  it('quoted fields keep tabs and line breaks', () => {
    expect(plan('"a\tb\nc"\t1', 0, 1).cells).toEqual([
      ['1', 'name', 'a\tb\nc'],
      ['1', 'price', 1],
    ]);
  });

  it('our own copy pastes back: its header is left out, the unchanged key and _seq are fine', () => {
    const copied = rowsToTsv(COLUMNS, [{ id: 1, name: 'renamed', price: 2.5, ok: true, _seq: 1 }]);
    expect(plan(copied, 0, 0)).toEqual({
      cells: [
        ['1', 'name', 'renamed'],
        ['1', 'price', 2.5],
        ['1', 'ok', true],
      ],
      problems: [],
    });
  });

  it('names what it leaves out: bad values, a changed key, lines past the loaded rows, extra fields', () => {
    expect(plan('9\tx\tcheap\n\t\t\t\t\t\n', 1, 0).problems).toEqual([
      'id cannot be edited here',
      'line 1, price: must be a finite number',
      'line 2, name: is required',
      '_seq cannot be edited here',
      'line 2: more fields than columns',
    ]);
    expect(plan('a\nb\nc', 1, 1)).toEqual({
      cells: [
        ['2', 'name', 'a'],
        ['3', 'name', 'b'],
      ],
      problems: ['line 3: no row below to paste into'],
    });
  });

  it('with new rows allowed, lines past the last row become new rows: the key among their fields, _seq left out', () => {
    const takes = (c: ColumnInfo) => !c.name.startsWith('_');
    const p = planPaste('3\tn3\t3\n4\tfour\t4.5\t\t44\n5\t\tcheap', { rows: ROWS, columns: COLUMNS, startRow: 2, startColumn: 0, canEdit, newRows: takes });
    // Line 1 lands on row 3 (unchanged key: fine), lines 2 and 3 are new.
    expect(p.cells.map((c) => [c.row.key, c.column.name, c.value])).toEqual([
      ['3', 'name', 'n3'],
      ['3', 'price', 3],
    ]);
    expect(p.newRows.map((r) => [r.line, r.fields.map((f) => [f.column.name, f.value])])).toEqual([
      [
        2,
        [
          ['id', 4],
          ['name', 'four'],
          ['price', 4.5],
          ['ok', null],
        ],
      ],
      [3, [['id', 5]]],
    ]);
    expect(p.problems).toEqual(['line 3, name: is required', 'line 3, price: must be a finite number']);
  });
});
