import { describe, expect, it } from 'vitest';
import { ownValue } from '../../../shared/own-keys';
import { resultColumns, resultRow, rowsAsTsv } from './sql-result-rows';

describe('resultColumns', () => {
  it('makes names unique and keeps declared types, else reads them from the values', () => {
    const columns = resultColumns(
      [
        { name: 'id', type: 'integer' },
        { name: 'id', type: 'text' },
        { name: 'n', type: null },
        { name: 'label', type: null },
        { name: '', type: 'unknown-type' },
      ],
      [
        [1, 'a', 3, 'x', null],
        [2, 'b', null, 4, null],
      ],
    );
    expect(columns.map((c) => [c.info.name, c.info.type])).toEqual([
      ['id', 'integer'],
      ['id (2)', 'text'],
      ['n', 'integer'],
      ['label', 'text'],
      ['column 5', 'text'],
    ]);
    // A fraction anywhere in the sample: double.
    expect(resultColumns([{ name: 'x', type: null }], [[1], [2.5]])[0]!.info.type).toBe('double');
  });
  it('keeps the declared type', () => {
    const columns = resultColumns(
      [
        { name: 'id', type: 'integer' },
        { name: 'n', type: null },
      ],
      [[1, 0.5]],
    );
    expect(columns.map((c) => [c.info.name, c.info.type])).toEqual([
      ['id', 'integer'],
      ['n', 'double'],
    ]);
  });
});

describe('resultRow', () => {
  it('keys rows by position and converts booleans and JSON for the grid', () => {
    const columns = resultColumns(
      [
        { name: 'ok', type: 'boolean' },
        { name: 'doc', type: 'json' },
        { name: '__proto__', type: 'text' },
      ],
      [],
    );
    const row = resultRow(columns, [1, '{"a":[1]}', 'p'], 41);
    expect(row.key).toBe('42');
    expect(row.values['ok']).toBe(true);
    expect(row.values['doc']).toEqual({ a: [1] });
    expect(ownValue(row.values, '__proto__')).toBe('p');
    expect(Object.getPrototypeOf(row.values)).toBe(Object.prototype);
    expect(resultRow(columns, [0, 'not json', null], 0).values).toMatchObject({ ok: false, doc: 'not json' });
  });
});

describe('rowsAsTsv', () => {
  it('writes a header and one line a row, quoting fields with tabs, line breaks or quotes', () => {
    const columns = resultColumns(
      [
        { name: 'id', type: 'integer' },
        { name: 'id', type: 'text' },
      ],
      [],
    );
    expect(
      rowsAsTsv(columns, [
        [1, 'plain'],
        [2, 'a\tb'],
        [null, 'say "hi"\nbye'],
      ]),
    ).toBe('id\tid (2)\n1\tplain\n2\t"a\tb"\n\t"say ""hi""\nbye"');
  });
});
