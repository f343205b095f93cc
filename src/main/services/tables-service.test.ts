import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

describe('tables.list', () => {
  it('lists the nine system tables, the editable ones marked', async () => {
    const tables = await h.client.tables.list();
    expect(tables.map((t) => [t.table, t.editable])).toEqual([
      ['system.users', true],
      ['system.namespaces', true],
      ['system.tables', false],
      ['system.storages', true],
      ['system.jobs', false],
      ['system.live_queries', false],
      ['system.audit_log', false],
      ['system.manifest', false],
      ['system.schedules', true],
    ]);
    for (const t of tables) expect(t).toMatchObject({ namespace: 'system', name: t.table.slice('system.'.length), kind: 'system', access: 'dba' });
  });
});

describe('tables.describe', () => {
  it('adds columns (no secrets), key columns and index statistics', async () => {
    const users = await h.client.tables.describe({ table: 'system.users' });
    expect(users.columns.map((c) => c.name)).not.toContain('password_hash');
    expect(users.columns.find((c) => c.name === 'user_id')).toMatchObject({ type: 'text', primaryKey: true, nullable: false });
    expect(users.columns.find((c) => c.name === 'created_at')).toMatchObject({ type: 'timestamp' });
    expect(users.keyColumns).toEqual(['user_id']);
    expect(users.indexes).toEqual([
      {
        table: 'system.users',
        name: 'username',
        partition: 'system.users.idx.username',
        unique: true,
        partial: true,
        fields: ['username'],
        entries: 1,
        bytes: expect.any(Number) as number,
        rebuildRefusal: null,
      },
      {
        table: 'system.users',
        name: 'role',
        partition: 'system.users.idx.role',
        unique: false,
        partial: false,
        fields: ['role'],
        entries: 1,
        bytes: expect.any(Number) as number,
        rebuildRefusal: null,
      },
    ]);
    const tables = await h.client.tables.describe({ table: 'System.Tables' });
    expect(tables).toMatchObject({ table: 'system.tables', editable: false, keyColumns: ['namespace_id', 'table_name'] });
    expect((await h.client.tables.describe({ table: 'system.manifest' })).keyColumns).toEqual(['namespace_id', 'table_name', 'user_id', 'batch']);
  });

  it('an unknown table is NOT_FOUND; a malformed name VALIDATION on "table"', async () => {
    const e = await expectError(h.client.tables.describe({ table: 'system.nope' }), 'NOT_FOUND');
    expect(e.message).toBe('table system.nope does not exist');
    await expectError(h.client.tables.describe({ table: 'app.users' }), 'NOT_FOUND');
    const v = await expectError(h.client.tables.describe({ table: 'users' }), 'VALIDATION');
    expect(v.data).toEqual({ issues: [{ field: 'table', message: 'must name a table as <namespace>.<table>' }] });
  });
});
