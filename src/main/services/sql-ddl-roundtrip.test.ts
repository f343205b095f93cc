/**
 * The dialogs' preview SQL runs in the console and does the same thing: for every kind of change,
 * the statement a dry run previews (ddl.* with dryRun) is run with sql.run, and the definition it
 * leaves is the one the dry run showed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlterTableInput, CreateTableInput } from '../../shared/ddl';
import { dropNamespaceStatement, dropTableStatement } from '../../shared/ddl-statement';
import type { TableMetadata } from '../../shared/system/tables';
import { type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = openHarness();
  await h.services.ready;
  await h.client.ddl.createNamespace({ name: 'app' });
});
afterEach(() => h.close());

/** A definition without what differs between two runs of the same change (its times). */
const shape = (meta: TableMetadata | null | undefined) => {
  const { created_at: _c, updated_at: _u, ...rest } = meta as TableMetadata & { updated_at?: number };
  return rest;
};

async function runOk(script: string): Promise<void> {
  const r = await h.client.sql.run({ script });
  expect(r.error, script).toBeUndefined();
}

const columns: CreateTableInput['columns'] = [
  { name: 'id', type: 'integer', primary_key: true },
  { name: 'title', type: 'text', nullable: false, default: "it's" },
  { name: 'score', type: 'double', default: -1.5 },
  { name: 'done', type: 'boolean', nullable: false, default: true },
  { name: 'at', type: 'timestamp' },
  { name: 'meta', type: 'json', default: { a: [1, 'x'] } },
  { name: 'blob', type: 'bytes' },
];

const CREATES: CreateTableInput[] = [
  { namespace: 'app', name: 'shared_t', type: 'shared', columns, access_level: 'restricted', flush_policy: { row_limit: 1000, interval_seconds: 60 }, comment: 'a "shared" table' },
  { namespace: 'app', name: 'user_t', type: 'user', columns: [{ name: 'key', type: 'text', primary_key: true }, ...columns.slice(1)], flush_policy: { interval_seconds: 30 } },
  { namespace: 'app', name: 'stream_t', type: 'stream', columns: columns.slice(0, 3), ttl_seconds: 3600 },
  { namespace: 'app', name: 'plain', type: 'shared', columns: columns.slice(0, 2) },
];

const ALTERS: AlterTableInput[] = [
  { action: 'add_column', column: { name: 'extra', type: 'text' } },
  { action: 'add_column', column: { name: 'flag', type: 'boolean', nullable: false, default: false } },
  { action: 'add_column', column: { name: 'doc', type: 'json', default: [1, 2] } },
  { action: 'drop_column', name: 'score' },
  { action: 'rename_column', from: 'title', to: 'heading' },
  { action: 'set_options', access_level: 'public' },
  { action: 'set_options', flush_policy: { row_limit: 5 } },
  { action: 'set_options', flush_policy: null },
  { action: 'set_options', comment: 'now with a comment' },
  { action: 'set_options', comment: null, access_level: 'dba' },
];

describe('the dialogs’ preview SQL, run in the console', () => {
  it.each(CREATES.map((c) => [c.name, c] as const))('CREATE TABLE (%s) makes the table the dialog previews', async (_name, input) => {
    const preview = await h.client.ddl.createTable({ ...input, dryRun: true });
    await runOk(preview.statement);
    const described = await h.client.tables.describe({ table: `${input.namespace}.${input.name}` });
    expect(shape(described.definition)).toEqual(shape(preview.definition));
  });

  it.each(ALTERS.map((a) => [JSON.stringify(a), a] as const))('ALTER TABLE %s does what the dialog previews', async (_name, change) => {
    await h.client.ddl.createTable(CREATES[0]!);
    const preview = await h.client.ddl.alterTable({ table: 'app.shared_t', change, dryRun: true });
    await runOk(preview.statement);
    const described = await h.client.tables.describe({ table: 'app.shared_t' });
    expect(shape(described.definition)).toEqual(shape(preview.definition));
  });

  it('CREATE NAMESPACE with a comment, DROP NAMESPACE … CASCADE and DROP TABLE', async () => {
    const preview = await h.client.ddl.createNamespace({ name: 'walk', comment: 'it\'s "here"', dryRun: true });
    await runOk(preview.statement);
    expect((await h.client.tables.namespaces({})).find((n) => n.name === 'walk')).toMatchObject({ comment: 'it\'s "here"' });
    await h.client.ddl.createTable({ ...CREATES[3]!, namespace: 'walk' });
    await h.client.ddl.createTable({ ...CREATES[3]!, namespace: 'walk', name: 'other' });
    await runOk(dropTableStatement('walk.other'));
    expect((await h.client.tables.list({})).map((t) => t.table)).not.toContain('walk.other');
    await runOk(dropNamespaceStatement('walk', true));
    expect((await h.client.tables.namespaces({})).map((n) => n.name)).not.toContain('walk');
  });
});
