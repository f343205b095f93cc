import { describe, expect, it } from 'vitest';
import { alterTableStatement, createNamespaceStatement, createTableStatement, dropNamespaceStatement, dropTableStatement, sqlString } from './ddl-statement';
import { NamespaceIdSchema } from './keys/namespace-id';
import { StorageIdSchema } from './keys/storage-id';
import { TableNameSchema } from './keys/table-id';
import type { TableMetadata } from './system/tables';

const meta: TableMetadata = {
  namespace_id: NamespaceIdSchema.parse('app'),
  table_name: TableNameSchema.parse('events'),
  table_type: 'stream',
  columns: [
    { name: 'id', type: 'text', nullable: false, primary_key: true },
    { name: 'kind', type: 'text', nullable: false, primary_key: false, default: "it's" },
    { name: 'payload', type: 'json', nullable: true, primary_key: false, default: { a: [1] } },
    { name: 'n', type: 'double', nullable: true, primary_key: false },
  ],
  access_level: null,
  storage_id: StorageIdSchema.parse('local'),
  flush_policy: { row_limit: 1000, interval_seconds: 60 },
  ttl_seconds: 3600,
  schema_version: 1,
  comment: 'Events',
  created_at: 1,
  updated_at: 1,
};

describe('DDL statements (previews)', () => {
  it('writes a CREATE TABLE with its columns, defaults and options, quoting text', () => {
    expect(createTableStatement(meta)).toBe(
      [
        'CREATE STREAM TABLE app.events (',
        '  id TEXT PRIMARY KEY,',
        "  kind TEXT NOT NULL DEFAULT 'it''s',",
        '  payload JSON DEFAULT \'{"a":[1]}\',',
        '  n DOUBLE',
        ") WITH (TTL_SECONDS = 3600, FLUSH_POLICY = 'ROWS 1000, INTERVAL 60s', STORAGE_ID = 'local')",
        "COMMENT 'Events';",
      ].join('\n'),
    );
    expect(sqlString("a'b''")).toBe("'a''b'''''");
  });

  it('writes each ALTER change, and the drops and namespace statements', () => {
    expect(alterTableStatement('app.t', { action: 'add_column', column: { name: 'n', type: 'integer', default: 0 } })).toBe(
      'ALTER TABLE app.t ADD COLUMN n BIGINT DEFAULT 0;',
    );
    expect(alterTableStatement('app.t', { action: 'drop_column', name: 'n' })).toBe('ALTER TABLE app.t DROP COLUMN n;');
    expect(alterTableStatement('app.t', { action: 'rename_column', from: 'a', to: 'b' })).toBe('ALTER TABLE app.t RENAME COLUMN a TO b;');
    expect(alterTableStatement('app.t', { action: 'set_options', access_level: 'public', flush_policy: null, comment: null })).toBe(
      "ALTER TABLE app.t SET (ACCESS_LEVEL = 'public', FLUSH_POLICY = NULL, COMMENT = NULL);",
    );
    expect(dropTableStatement('app.t')).toBe('DROP TABLE app.t;');
    expect(createNamespaceStatement({ name: 'app', comment: null })).toBe('CREATE NAMESPACE app;');
    expect(dropNamespaceStatement('app', true)).toBe('DROP NAMESPACE app CASCADE;');
  });
});
