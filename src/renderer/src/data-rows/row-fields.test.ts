import { describe, expect, it } from 'vitest';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { rowFields, rowFormValues, rowValuesOf } from './row-fields';

const columns: ColumnDefinition[] = [
  { name: 'id', type: 'integer', nullable: false, primary_key: true },
  { name: 'title', type: 'text', nullable: false, primary_key: false, default: 'untitled' },
  { name: 'done', type: 'boolean', nullable: true, primary_key: false },
  { name: 'meta', type: 'json', nullable: true, primary_key: false },
];

describe('row fields', () => {
  it('derives controls, defaults as optional on create only', () => {
    const f = rowFields(columns, 'create');
    expect(f.map((x) => [x.name, x.control, x.optional])).toEqual([
      ['id', 'text', false],
      ['title', 'text', true],
      ['done', 'select', false],
      ['meta', 'json', false],
    ]);
    expect(rowFields(columns, 'edit')[1]?.optional).toBe(false);
  });

  it('create leaves defaulted empties out; edit sends all but the key', () => {
    const create = rowFields(columns, 'create');
    expect(rowValuesOf(create, { id: '7', title: '', done: 'true', meta: '' }, 'create')).toEqual({ values: { id: 7, done: true, meta: null }, errors: {} });
    expect(rowValuesOf(create, { id: 'x', title: '', done: '', meta: '{' }, 'create').errors).toEqual({
      id: 'must be a whole number',
      meta: 'must be valid JSON',
    });
    const edit = rowFields(columns, 'edit');
    const form = rowFormValues(edit, { id: 7, title: 'a', done: null, meta: { k: 1 } });
    expect(form).toEqual({ id: '7', title: 'a', done: '', meta: '{"k":1}' });
    expect(rowValuesOf(edit, form, 'edit').values).toEqual({ title: 'a', done: null, meta: { k: 1 } });
    expect(rowFormValues(create, { id: 7, title: 'a' }, ['id'])).toMatchObject({ id: '', title: 'a' });
  });
});
