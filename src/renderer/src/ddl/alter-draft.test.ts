import { describe, expect, it } from 'vitest';
import type { TableMetadata } from '../../../shared/system/tables';
import { alterDraftFor, alterInput } from './alter-draft';
import { diffDefinitions } from './definition-diff';

const definition = {
  namespace_id: 'app',
  table_name: 'notes',
  table_type: 'stream',
  columns: [
    { name: 'id', type: 'integer', nullable: false, primary_key: true },
    { name: 'body', type: 'text', nullable: true, primary_key: false },
  ],
  access_level: null,
  storage_id: 'local',
  flush_policy: { row_limit: 10 },
  ttl_seconds: 60,
  schema_version: 1,
  comment: null,
  created_at: 0,
  updated_at: 0,
} as unknown as TableMetadata;

describe('alter draft', () => {
  it('starts from the definition and builds each action', () => {
    const d = alterDraftFor(definition);
    expect(d).toMatchObject({ name: 'body', from: 'body', ttl_seconds: '60', flush_row_limit: '10' });
    expect(
      alterInput({ ...d, action: 'add_column', column: { name: 'tag', type: 'text', primary_key: false, nullable: false, default: 'x' } }, definition),
    ).toEqual({
      change: { action: 'add_column', column: { name: 'tag', type: 'text', primary_key: false, nullable: false, default: 'x' } },
      errors: {},
    });
    expect(alterInput({ ...d, action: 'set_options', ttl_seconds: '120', flush_row_limit: '' }, definition).change).toEqual({
      action: 'set_options',
      comment: null,
      flush_policy: null,
      ttl_seconds: 120,
    });
  });

  it('reports mistakes on their fields', () => {
    const d = alterDraftFor(definition);
    const added = alterInput(
      { ...d, action: 'add_column', column: { name: '_x', type: 'integer', primary_key: false, nullable: false, default: '' } },
      definition,
    ).errors;
    expect(added['column.name']).toMatch(/must not start with "_"/);
    expect(added['column.default']).toMatch(/nullable or have a default/);
    expect(alterInput({ ...d, action: 'rename_column', to: '' }, definition).errors).toMatchObject({ to: 'must not be empty' });
    expect(alterInput({ ...d, action: 'set_options', ttl_seconds: '0' }, definition).errors).toMatchObject({
      ttl_seconds: 'must be a whole number of at least 1',
    });
  });

  it('diffs definitions: added, changed, removed columns and options', () => {
    const after = {
      ...definition,
      columns: [definition.columns[0], { name: 'tag', type: 'text', nullable: true, primary_key: false }],
      ttl_seconds: 120,
      schema_version: 2,
    } as TableMetadata;
    const diff = diffDefinitions(definition, after);
    expect(diff.columns.map((c) => [c.column.name, c.mark])).toEqual([
      ['id', 'same'],
      ['tag', 'added'],
    ]);
    expect(diff.removed).toEqual(['body']);
    expect(diff.options).toEqual([
      { name: 'ttl_seconds', before: '60', after: '120' },
      { name: 'schema_version', before: '1', after: '2' },
    ]);
  });
});
