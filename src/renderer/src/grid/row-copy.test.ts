import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../../shared/browse';
import { copyText, rowsToCsv, rowsToInsert, rowsToJson, rowsToTsv } from './row-copy';

const col = (name: string, type: ColumnInfo['type']): ColumnInfo => ({ name, type, nullable: true, primaryKey: name === 'id' });
const COLUMNS = [col('id', 'integer'), col('name', 'text'), col('at', 'timestamp'), col('meta', 'json'), col('ok', 'boolean'), col('_seq', 'integer')];
const ROWS = [
  { id: 1, name: 'tab\there', at: Date.UTC(2024, 0, 2), meta: { a: 1 }, ok: true, _seq: 7 },
  { id: 2, name: 'O\'Brien, "x"', at: null, meta: null, ok: false, _seq: 8 },
  { id: 3, name: '', at: 0, meta: [1], ok: null, _seq: 9 },
];

describe('row copy', () => {
  it('TSV for spreadsheets: header, tabs, quoted fields holding tabs or line breaks', () => {
    expect(rowsToTsv(COLUMNS, ROWS)).toBe(
      [
        'id\tname\tat\tmeta\tok\t_seq',
        '1\t"tab\there"\t2024-01-02T00:00:00.000Z\t{"a":1}\ttrue\t7',
        '2\tO\'Brien, "x"\t\t\tfalse\t8',
        '3\t\t1970-01-01T00:00:00.000Z\t[1]\t\t9',
      ].join('\n'),
    );
  });

  it('CSV: RFC 4180 quoting, "" for the empty string, empty for null', () => {
    expect(rowsToCsv(COLUMNS.slice(0, 2), ROWS)).toBe('id,name\r\n1,tab\there\r\n2,"O\'Brien, ""x"""\r\n3,""\r\n');
  });

  it('JSON keeps types, timestamps ISO', () => {
    expect(JSON.parse(rowsToJson(COLUMNS, ROWS.slice(0, 1)))).toEqual([
      { id: 1, name: 'tab\there', at: '2024-01-02T00:00:00.000Z', meta: { a: 1 }, ok: true, _seq: 7 },
    ]);
  });

  it('INSERT statements: quoted text, NULL, booleans; system columns left out', () => {
    expect(rowsToInsert('demo.my table', COLUMNS, ROWS.slice(1))).toBe(
      [
        `INSERT INTO demo."my table" (id, name, at, meta, ok) VALUES (2, 'O''Brien, "x"', NULL, NULL, FALSE);`,
        `INSERT INTO demo."my table" (id, name, at, meta, ok) VALUES (3, '', '1970-01-01T00:00:00.000Z', '[1]', NULL);`,
      ].join('\n'),
    );
    expect(copyText('insert', 'a.b', COLUMNS, [])).toBe('');
  });
});
