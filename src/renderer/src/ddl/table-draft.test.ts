import { describe, expect, it } from 'vitest';
import { draftField, draftToInput, newTableDraft, type TableDraft } from './table-draft';

const draft = (over: Partial<TableDraft> = {}): TableDraft => ({
  ...newTableDraft('app'),
  name: 'notes',
  columns: [
    { name: 'id', type: 'integer', primary_key: true, nullable: false, default: '' },
    { name: 'title', type: 'text', primary_key: false, nullable: true, default: 'untitled' },
    { name: 'done', type: 'boolean', primary_key: false, nullable: false, default: 'false' },
  ],
  ...over,
});

describe('table draft', () => {
  it('builds the create input, typed defaults and options that fit the type', () => {
    const { input, errors } = draftToInput(draft({ flush_row_limit: '1000', comment: ' notes ' }));
    expect(errors).toEqual({});
    expect(input).toEqual({
      namespace: 'app',
      name: 'notes',
      type: 'shared',
      access_level: 'private',
      columns: [
        { name: 'id', type: 'integer', primary_key: true, nullable: false },
        { name: 'title', type: 'text', primary_key: false, nullable: true, default: 'untitled' },
        { name: 'done', type: 'boolean', primary_key: false, nullable: false, default: false },
      ],
      flush_policy: { row_limit: 1000 },
      comment: 'notes',
    });
    const stream = draftToInput(draft({ type: 'stream', ttl_seconds: '60' })).input;
    expect(stream).toMatchObject({ type: 'stream', ttl_seconds: 60 });
    expect(stream).not.toHaveProperty('access_level');
  });

  it('names the field of every mistake', () => {
    const bad = draft({
      name: '9lives',
      type: 'stream',
      ttl_seconds: '',
      flush_interval_seconds: '0',
      columns: [
        { name: '_seq', type: 'integer', primary_key: false, nullable: false, default: 'x' },
        { name: 'a', type: 'text', primary_key: false, nullable: true, default: '' },
        { name: 'A', type: 'text', primary_key: false, nullable: true, default: '' },
      ],
    });
    const { errors } = draftToInput(bad);
    expect(errors).toMatchObject({
      name: 'must not start with a digit',
      columns: 'needs a primary key column',
      'columns.0.default': 'must be a whole number',
      'columns.2.name': 'duplicate column a',
      ttl_seconds: 'is required for stream tables',
      flush_interval_seconds: 'must be a whole number of at least 1',
    });
    expect(errors['columns.0.name']).toMatch(/must not start with "_"/);
  });

  it('maps engine error paths to form fields', () => {
    expect(draftField('columns.2.default')).toBe('columns.2.default');
    expect(draftField('change.column.default')).toBe('column.default');
    expect(draftField('flush_policy')).toBe('flush_row_limit');
    expect(draftField('flush_policy.interval_seconds')).toBe('flush_interval_seconds');
    expect(draftField('columns')).toBe('columns');
  });
});
