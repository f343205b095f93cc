import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from './demo';
import { auditEntries, expectError, type Harness, openHarness, snapshot } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = openHarness();
  seedDemo(h.engine);
  await h.client.ddl.createNamespace({ name: 'app' });
  await h.client.ddl.createTable({
    namespace: 'app',
    name: 'items',
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', nullable: false },
      { name: 'qty', type: 'integer', default: 0 },
    ],
  });
});
afterEach(() => h.close());

const bob = { userId: 'u_bob' } as const;
const alice = { userId: 'u_alice' } as const;

describe('rows on data tables', () => {
  it('create, get, update, delete a shared row: versions are _seq, each write audited', async () => {
    const created = await h.client.rows.create({ table: 'app.items', values: { id: 7, name: 'bolt' } });
    expect(created.row).toEqual({ key: '7', values: { id: 7, name: 'bolt', qty: 0, _seq: expect.any(Number) as unknown }, version: created.version });
    expect(created.version).toBe(String(created.row.values._seq));
    expect(await h.client.rows.get({ table: 'app.items', key: '7' })).toEqual(created);

    const updated = await h.client.rows.update({ table: 'app.items', key: '7', values: { qty: 5 }, version: created.version });
    expect(updated.row.values).toMatchObject({ id: 7, name: 'bolt', qty: 5 });
    expect(Number(updated.version)).toBeGreaterThan(Number(created.version));

    await h.client.rows.delete({ table: 'app.items', key: '7', version: updated.version });
    await expectError(h.client.rows.get({ table: 'app.items', key: '7' }), 'NOT_FOUND');
    expect((await h.client.rows.count({ table: 'app.items' })).count).toBe(0);

    const audit = auditEntries(h.engine).filter((e) => e.target.startsWith('app.items/'));
    expect(audit.map((e) => [e.action, e.target, e.actor_user_id, e.before, e.after])).toEqual([
      ['row.create', 'app.items/7', 'root', null, created.row.values],
      ['row.update', 'app.items/7', 'root', created.row.values, updated.row.values],
      ['row.delete', 'app.items/7', 'root', updated.row.values, null],
    ]);
  });

  it('a stale version is a CONFLICT carrying the current one; overwrite saves anyway', async () => {
    const first = await h.client.rows.create({ table: 'app.items', values: { id: 1, name: 'a' } });
    const second = await h.client.rows.update({ table: 'app.items', key: '1', values: { name: 'b' }, version: first.version });
    const before = snapshot(h.engine);
    const e = await expectError(h.client.rows.update({ table: 'app.items', key: '1', values: { name: 'c' }, version: first.version }), 'CONFLICT');
    expect(e.data).toEqual({ version: second.version });
    await expectError(h.client.rows.delete({ table: 'app.items', key: '1', version: first.version }), 'CONFLICT');
    expect(snapshot(h.engine)).toEqual(before);
    const forced = await h.client.rows.update({ table: 'app.items', key: '1', values: { name: 'c' }, version: first.version, overwrite: true });
    expect(forced.row.values.name).toBe('c');
  });

  it('names the bad fields: columns, the owner, the key, the version; nothing is written', async () => {
    const before = snapshot(h.engine);
    const bad = await expectError(h.client.rows.create({ table: 'app.items', values: { id: 'x', qty: 1.5, _seq: 3, extra: 1 } }), 'VALIDATION');
    expect((bad.data as { issues: { field: string }[] }).issues.map((i) => i.field).sort()).toEqual(['_seq', 'extra', 'id', 'name', 'qty']);
    const owner = await expectError(h.client.rows.create({ table: 'demo.notes', values: { id: 9, title: 't' } }), 'VALIDATION');
    expect(owner.data).toEqual({ issues: [{ field: 'user', message: expect.stringContaining('name the user') as unknown }] });
    const key = await expectError(h.client.rows.get({ table: 'app.items', key: 'abc' }), 'VALIDATION');
    expect(key.data).toMatchObject({ issues: [{ field: 'key' }] });
    await h.client.rows.create({ table: 'app.items', values: { id: 1, name: 'a' } });
    const mid = snapshot(h.engine);
    const version = await expectError(h.client.rows.update({ table: 'app.items', key: '1', values: {}, version: 'v1' }), 'VALIDATION');
    expect(version.data).toMatchObject({ issues: [{ field: 'version' }] });
    const pk = await expectError(h.client.rows.update({ table: 'app.items', key: '1', values: { id: 2 }, version: '1', overwrite: true }), 'VALIDATION');
    expect(pk.data).toMatchObject({ issues: [{ field: 'id', message: 'the primary key cannot change' }] });
    await expectError(h.client.rows.create({ table: 'app.items', values: { id: 1, name: 'again' } }), 'ALREADY_EXISTS');
    expect(snapshot(h.engine)).toEqual(mid);
    expect(before).not.toEqual(mid);
  });

  it('system tables are not written through rows.*; stream rows cannot be edited but can be deleted', async () => {
    const sys = await expectError(h.client.rows.create({ table: 'system.users', values: {} }), 'VALIDATION');
    expect(sys.data).toMatchObject({ issues: [{ field: 'table', message: expect.stringContaining('entities') as unknown }] });
    const appended = await h.client.rows.create({ table: 'demo.events', user: 'u_bob', values: { id: 'e', kind: 'k' } });
    expect(appended.row.key).toMatch(/^u_bob\/\d+$/);
    expect(appended.row.values).toMatchObject({ _user: 'u_bob', id: 'e', kind: 'k', payload: null, _ts: expect.any(Number) as unknown });
    const edit = await expectError(
      h.client.rows.update({ table: 'demo.events', key: appended.row.key, values: { kind: 'x' }, version: appended.version }),
      'VALIDATION',
    );
    expect(edit.data).toMatchObject({ issues: [{ field: 'table', message: expect.stringContaining('stream') as unknown }] });
    await h.client.rows.delete({ table: 'demo.events', key: appended.row.key, version: appended.version });
    await expectError(h.client.rows.get({ table: 'demo.events', key: appended.row.key }), 'NOT_FOUND');
  });

  it('refuses writes in read-only mode', async () => {
    await h.client.engine.setReadOnly({ readOnly: true });
    const before = snapshot(h.engine);
    await expectError(h.client.rows.create({ table: 'app.items', values: { id: 1, name: 'a' } }), 'READ_ONLY');
    await expectError(h.client.rows.delete({ table: 'demo.products', key: '1' }), 'READ_ONLY');
    expect(snapshot(h.engine)).toEqual(before);
  });
});

describe('view as', () => {
  it('a user sees and writes only their own rows of a user table', async () => {
    const admin = await h.client.rows.page({ table: 'demo.notes', request: { limit: 10 } });
    expect(admin.rows.map((r) => r.key)).toEqual(['u_alice/1', 'u_alice/2', 'u_bob/1', 'u_bob/2']);
    const bobs = await h.client.rows.page({ table: 'demo.notes', request: { limit: 10 }, as: bob });
    expect(bobs.rows.map((r) => r.key)).toEqual(['u_bob/1', 'u_bob/2']);
    // a cursor or a seek never leaves bob's range
    const seek = await h.client.rows.page({ table: 'demo.notes', request: { limit: 10, seek: 'u_alice/1' }, as: bob });
    expect(seek.rows.every((r) => r.key.startsWith('u_bob/'))).toBe(true);
    expect((await h.client.rows.count({ table: 'demo.notes', as: bob })).count).toBe(2);
    await expectError(h.client.rows.get({ table: 'demo.notes', key: 'u_alice/1', as: bob }), 'NOT_FOUND');

    // bob's create lands in bob's rows; naming alice is refused
    const mine = await h.client.rows.create({ table: 'demo.notes', values: { id: 3, title: 'mine' }, as: bob });
    expect(mine.row.key).toBe('u_bob/3');
    await expectError(h.client.rows.create({ table: 'demo.notes', user: 'u_alice', values: { id: 4, title: 'x' }, as: bob }), 'ACCESS_DENIED');
    await expectError(h.client.rows.delete({ table: 'demo.notes', key: 'u_alice/1', as: bob }), 'NOT_FOUND');
    await expectError(h.client.rows.update({ table: 'demo.notes', key: 'u_alice/1', values: { title: 'x' }, version: '1', as: bob }), 'NOT_FOUND');
    expect((await h.client.rows.get({ table: 'demo.notes', key: 'u_alice/1' })).row.values.title).toBe('Rotate the backup keys');
    // the audit log names who the write was made as
    expect(auditEntries(h.engine).at(-1)).toMatchObject({ action: 'row.create', target: 'demo.notes/u_bob/3', actor_user_id: 'u_bob', actor_role: 'user' });
  });

  it('shared tables follow the access level for the role; tables.list tells what the subject may do', async () => {
    await h.client.ddl.createTable({
      namespace: 'app',
      name: 'secrets',
      type: 'shared',
      access_level: 'dba',
      columns: [{ name: 'k', type: 'text', primary_key: true }],
    });
    // bob (role user) may read the public table, not write it; the dba table not at all
    expect((await h.client.rows.page({ table: 'app.items', request: { limit: 5 }, as: bob })).rows).toEqual([]);
    const write = await expectError(h.client.rows.create({ table: 'app.items', values: { id: 1, name: 'a' }, as: bob }), 'ACCESS_DENIED');
    expect(write.message).toContain('may not write app.items');
    await expectError(h.client.rows.page({ table: 'app.secrets', request: { limit: 5 }, as: bob }), 'ACCESS_DENIED');
    await expectError(h.client.tables.describe({ table: 'app.secrets', as: bob }), 'ACCESS_DENIED');
    await expectError(h.client.rows.page({ table: 'system.users', request: { limit: 5 }, as: bob }), 'ACCESS_DENIED');
    // alice is a dba: reads it; so does bob viewed with the dba role
    expect((await h.client.rows.count({ table: 'app.secrets', as: alice })).count).toBe(0);
    expect((await h.client.rows.count({ table: 'app.secrets', as: { userId: 'u_bob', role: 'dba' } })).count).toBe(0);

    const list = await h.client.tables.list({ as: bob });
    const row = (t: string) => list.find((x) => x.table === t)!;
    expect(row('app.items')).toMatchObject({ canRead: true, canWrite: false, rowCount: 0 });
    expect(row('app.secrets')).toMatchObject({ canRead: false, canWrite: false, rowCount: null });
    expect(row('demo.notes')).toMatchObject({ canRead: true, canWrite: true, rowCount: 2 });
    expect(row('system.users')).toMatchObject({ canRead: false, rowCount: null });
    const adminList = await h.client.tables.list();
    expect(adminList.find((x) => x.table === 'demo.notes')).toMatchObject({ canRead: true, canWrite: true, rowCount: 4, rowCountCapped: false });
  });

  it('a bare role without a user may not use user tables; unknown users and roles are clear errors', async () => {
    const e = await expectError(h.client.rows.page({ table: 'demo.notes', request: { limit: 5 }, as: { userId: null, role: 'user' } }), 'ACCESS_DENIED');
    expect(e.message).toContain('without a user');
    expect((await h.client.rows.count({ table: 'demo.products', as: { userId: null, role: 'user' } })).count).toBe(3);
    await expectError(h.client.rows.count({ table: 'demo.products', as: { userId: null, role: 'anonymous' } }), 'ACCESS_DENIED');
    const nobody = await expectError(h.client.rows.count({ table: 'demo.products', as: { userId: 'u_nobody' } }), 'VALIDATION');
    expect(nobody.data).toEqual({ issues: [{ field: 'as.userId', message: 'no user "u_nobody"' }] });
    await expectError(h.client.rows.count({ table: 'demo.products', as: { userId: 'u_bob', role: 'root' as never } }), 'VALIDATION');
  });
});
