import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { rowsAsCsv, rowsAsInsert, rowsAsJson, sqlLiteral, valueText } from './row-copy';

const col = (name: string, type: ColumnInfo['type'] = 'text'): ColumnInfo => ({ name, type, nullable: true, primaryKey: name === 'id' });
const columns = [col('id', 'integer'), col('name'), col('tags', 'json'), col('ok', 'boolean'), col('_seq', 'integer')];
const row = (values: Record<string, unknown>): Row => ({ key: String(values['id']), values, version: 'v' });
const rows = [row({ id: 1, name: 'Ada, "the" first', tags: ['a'], ok: true, _seq: 3 }), row({ id: 2, name: "O'Brien\nline", tags: null, ok: false, _seq: 4 })];

describe('row copy', () => {
  it('one value: text as it is, null empty, the rest as JSON', () => {
    expect(valueText('x')).toBe('x');
    expect(valueText(null)).toBe('');
    expect(valueText({ a: 1 })).toBe('{"a":1}');
    expect(valueText(12)).toBe('12');
  });

  it('CSV quotes commas, quotes and line breaks', () => {
    expect(rowsAsCsv(columns, rows)).toBe(['id,name,tags,ok,_seq', '1,"Ada, ""the"" first","[""a""]",true,3', '2,"O\'Brien\nline",,false,4'].join('\r\n'));
  });

  it('JSON: an object for one row, an array for several', () => {
    expect(JSON.parse(rowsAsJson(columns, rows.slice(0, 1)))).toEqual({ id: 1, name: 'Ada, "the" first', tags: ['a'], ok: true, _seq: 3 });
    expect(JSON.parse(rowsAsJson(columns, rows))).toHaveLength(2);
  });

  it('INSERT: the own columns, literals escaped', () => {
    expect(rowsAsInsert('demo.products', columns, rows)).toBe(
      [
        `INSERT INTO demo.products (id, name, tags, ok) VALUES (1, 'Ada, "the" first', '["a"]', TRUE);`,
        `INSERT INTO demo.products (id, name, tags, ok) VALUES (2, 'O''Brien\nline', NULL, FALSE);`,
      ].join('\n'),
    );
    expect(sqlLiteral(Number.NaN)).toBe('NULL');
  });
});
