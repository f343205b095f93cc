import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { cellMenuItems, referenceOf, valueFilter } from './cell-menu';

const col = (name: string, type: ColumnInfo['type'], nullable = true): ColumnInfo => ({ name, type, nullable, primaryKey: false });
const row = (values: Record<string, unknown>): Row => ({ key: 'k', values, version: 'v' });

describe('cell menu', () => {
  it('filters by a value or its absence; JSON values cannot be filtered by', () => {
    expect(valueFilter(col('n', 'integer'), 5, false)).toEqual({ column: 'n', op: 'eq', value: 5 });
    expect(valueFilter(col('n', 'integer'), 5, true)).toEqual({ column: 'n', op: 'ne', value: 5 });
    expect(valueFilter(col('n', 'text'), null, false)).toEqual({ column: 'n', op: 'is_null' });
    expect(valueFilter(col('n', 'text'), null, true)).toEqual({ column: 'n', op: 'not_null' });
    expect(valueFilter(col('n', 'text', false), null, false)).toBeUndefined();
    expect(valueFilter(col('j', 'json'), { a: 1 }, false)).toBeUndefined();
  });

  it('finds the record a value points at', () => {
    expect(referenceOf('demo.notes', col('_user', 'text'), row({ _user: 'u_bob' }))).toEqual({ view: 'table', table: 'system.users', key: 'u_bob' });
    expect(referenceOf('system.audit_log', col('actor_user_id', 'text'), row({ actor_user_id: 'root' }))).toEqual({
      view: 'table',
      table: 'system.users',
      key: 'root',
    });
    expect(referenceOf('system.users', col('user_id', 'text'), row({ user_id: 'root' }))).toBeUndefined();
    expect(referenceOf('system.tables', col('table_name', 'text'), row({ namespace_id: 'demo', table_name: 'notes' }))).toEqual({
      view: 'table',
      table: 'demo.notes',
    });
    expect(referenceOf('system.jobs', col('parameters', 'json'), row({ parameters: { table: 'demo.products' } }))).toEqual({
      view: 'table',
      table: 'demo.products',
    });
  });

  it('a row of a multi-row selection copies the whole selection; a row alone copies itself', () => {
    const columns = [{ ...col('id', 'integer'), primaryKey: true }, col('name', 'text')];
    const rows: Row[] = [1, 2, 3].map((id) => ({ key: String(id), values: { id, name: `n${id}` }, version: 'v' }));
    const copied: [string, string][] = [];
    const items = (selection: readonly Row[]) =>
      cellMenuItems({
        table: 'app.t',
        columns,
        row: rows[1]!,
        selection,
        column: columns[1]!,
        editing: undefined,
        filters: [],
        onFilters: () => undefined,
        copy: (text, what) => copied.push([text, what]),
        go: () => undefined,
      });
    const many = items(rows);
    expect(many.map((i) => i.label)).toContain('Copy 3 selected rows as CSV');
    many.find((i) => i.label === 'Copy 3 selected rows as TSV')?.onSelect();
    expect(copied.pop()).toEqual(['id\tname\n1\tn1\n2\tn2\n3\tn3', '3 selected rows as TSV']);
    items([rows[1]!])
      .find((i) => i.label === 'Copy row as INSERT')
      ?.onSelect();
    expect(copied.pop()).toEqual(["INSERT INTO app.t (id, name) VALUES (2, 'n2');", 'row 2 as INSERT']);
  });
});
