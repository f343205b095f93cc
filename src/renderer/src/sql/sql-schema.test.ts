import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../../shared/browse';
import type { TableSummary } from '../../../shared/contract';
import { completionSchema, referencedTables, statementColumns } from './sql-schema';

const table = (namespace: string, name: string, kind: TableSummary['kind'] = 'shared'): TableSummary => ({
  table: `${namespace}.${name}`,
  namespace,
  name,
  kind,
  access: 'public',
  editable: true,
  canRead: true,
  canWrite: true,
});
const column = (name: string, type: ColumnInfo['type'] = 'text', primaryKey = false): ColumnInfo => ({ name, type, nullable: true, primaryKey });

const TABLES = [table('demo', 'products'), table('demo', 'notes', 'user'), table('system', 'users', 'system')];
const COLUMNS = new Map([
  ['demo.products', [column('id', 'integer', true), column('name')]],
  ['demo.notes', [column('id', 'integer', true), column('title')]],
]);

describe('referencedTables', () => {
  it('finds the catalog tables a text names, in any case or quoted, once each', () => {
    const text = `SELECT * FROM Demo.Products p JOIN "demo"."notes" n ON n.id = p.id, demo.products -- system.users\n WHERE x = 'demo.notes' AND demo.missing IS NULL`;
    expect(referencedTables(text, TABLES)).toEqual(['demo.products', 'demo.notes']);
  });
});

describe('completionSchema', () => {
  it('nests namespaces, tables (with their kind) and the described columns', () => {
    const schema = completionSchema(TABLES, COLUMNS) as unknown as Record<
      string,
      { self: { label: string }; children: Record<string, { self: { detail: string }; children: unknown[] }> }
    >;
    expect(Object.keys(schema)).toEqual(['demo', 'system']);
    expect(schema['demo']!.self.label).toBe('demo');
    expect(schema['demo']!.children['notes']!.self.detail).toBe('user table');
    expect(schema['demo']!.children['products']!.children).toEqual([
      { label: 'id', type: 'property', detail: 'integer, key' },
      { label: 'name', type: 'property', detail: 'text' },
    ]);
    // A table not described yet completes, without columns.
    expect(schema['system']!.children['users']!.children).toEqual([]);
  });
});

describe('statementColumns', () => {
  it('offers the columns of the tables the statement names, each name once, saying whose', () => {
    const options = statementColumns('SELECT  FROM demo.products p JOIN demo.notes n ON true', TABLES, COLUMNS);
    expect(options.map((o) => [o.label, o.detail])).toEqual([
      ['id', 'demo.products, integer'],
      ['name', 'demo.products, text'],
      ['title', 'demo.notes, text'],
    ]);
    expect(statementColumns('SELECT 1', TABLES, COLUMNS)).toEqual([]);
  });
});
