import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { UserIdSchema } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import { newUser } from '../engine/system/users/new-user';
import { ChangeBus } from './change-bus';
import { auditEntries as allAuditEntries, expectError, type Harness, openHarness, snapshot } from './test-support';

/** Audit entries of the DDL itself (the event barrier below toggles read-only, which is audited too). */
const auditEntries = (engine: Harness['engine']) => allAuditEntries(engine).filter((e) => e.action !== 'engine.setReadOnly');

let h: Harness;
beforeEach(() => {
  h = openHarness();
  // The owner of the user-table rows below (owners must be existing users).
  h.engine.system.users.insert(newUser({ user_id: UserIdSchema.parse('u1'), username: UserNameSchema.parse('one') }, h.engine.now()));
});
afterEach(() => h.close());

const notes = {
  namespace: 'app',
  name: 'notes',
  type: 'user' as const,
  columns: [
    { name: 'id', type: 'integer' as const, primary_key: true },
    { name: 'title', type: 'text' as const, nullable: false },
  ],
};

/** Every event stream subscribes to the change bus when its generator starts: the ready signal of a subscription. */
const busSubscriptions = vi.spyOn(ChangeBus.prototype, 'subscribe');

/**
 * Events published while `fn` runs: the stream is read from the moment it is subscribed until a
 * barrier published after `fn` (read-only switched on and off again, each toggle with its audit
 * entry) has come through, since a stream receives events in publish order. The barrier's events
 * are left out.
 */
async function eventsDuring(fn: () => Promise<unknown>): Promise<EngineEvent[]> {
  const abort = new AbortController();
  const before = busSubscriptions.mock.calls.length;
  const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
  const seen: EngineEvent[] = [];
  const reading = (async () => {
    for await (const e of stream) seen.push(e);
  })();
  await vi.waitFor(() => expect(busSubscriptions.mock.calls.length).toBeGreaterThan(before), { interval: 1 });
  await fn();
  await h.client.engine.setReadOnly({ readOnly: true });
  await h.client.engine.setReadOnly({ readOnly: false });
  const audited = { type: 'change', table: 'system.audit_log', op: 'insert' };
  await vi.waitFor(() => expect(seen.slice(-4)).toMatchObject([{ type: 'engine', readOnly: true }, audited, { type: 'engine', readOnly: false }, audited]));
  abort.abort();
  await reading;
  return seen.slice(0, -4);
}

describe('ddl', () => {
  it('creates a namespace and a table: recorded, audited, announced, listed', async () => {
    const events = await eventsDuring(async () => {
      const ns = await h.client.ddl.createNamespace({ name: 'App', comment: 'mine' });
      expect(ns).toMatchObject({ applied: true, namespace: { namespace_id: 'app', comment: 'mine' }, statement: "CREATE NAMESPACE app COMMENT 'mine';" });
      const t = await h.client.ddl.createTable(notes);
      expect(t.applied).toBe(true);
      expect(t.definition).toMatchObject({ namespace_id: 'app', table_name: 'notes', table_type: 'user', schema_version: 1, access_level: null });
      expect(t.statement).toBe("CREATE USER TABLE app.notes (\n  id BIGINT PRIMARY KEY,\n  title TEXT NOT NULL\n) WITH (STORAGE_ID = 'local');");
    });
    expect(events.filter((e) => e.type === 'change' && e.table !== 'system.audit_log')).toEqual([
      { type: 'change', table: 'system.namespaces', key: 'app', op: 'insert' },
      { type: 'change', table: 'system.tables', key: 'app.notes', op: 'insert' },
    ]);
    expect(auditEntries(h.engine).map((e) => [e.action, e.target, e.actor_user_id, e.actor_role])).toEqual([
      ['namespaces.create', 'system.namespaces/app', 'root', 'system'],
      ['tables.create', 'system.tables/app.notes', 'root', 'system'],
    ]);
    const namespaces = await h.client.tables.namespaces();
    expect(namespaces.map((n) => [n.name, n.system, n.tables])).toEqual([
      ['app', false, 1],
      ['system', true, 9],
    ]);
    const described = await h.client.tables.describe({ table: 'app.notes' });
    expect(described.columns.map((c) => c.name)).toEqual(['_user', 'id', 'title', '_seq']);
    expect(described.keyColumns).toEqual(['_user', 'id']);
    expect(described.definition).toMatchObject({ table_type: 'user', schema_version: 1, ttl_seconds: null, flush_policy: null, comment: null });
  });

  it('a dry run checks every rule and returns the result, writing nothing', async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    const before = snapshot(h.engine);
    const created = await h.client.ddl.createTable({ ...notes, dryRun: true });
    expect(created).toMatchObject({ applied: false, definition: { table_name: 'notes', schema_version: 1 } });
    expect(snapshot(h.engine)).toEqual(before);
    await expectError(h.client.tables.describe({ table: 'app.notes' }), 'NOT_FOUND');

    await h.client.ddl.createTable(notes);
    await h.client.rows.create({ table: 'app.notes', user: 'u1', values: { id: 1, title: 'a' } });
    const written = snapshot(h.engine);
    const altered = await h.client.ddl.alterTable({ table: 'app.notes', change: { action: 'rename_column', from: 'title', to: 'Heading' }, dryRun: true });
    expect(altered.applied).toBe(false);
    expect(altered.definition.schema_version).toBe(2);
    expect(altered.definition.columns.map((c) => c.name)).toEqual(['id', 'heading']);
    expect(altered.statement).toBe('ALTER TABLE app.notes RENAME COLUMN title TO heading;');
    expect(snapshot(h.engine)).toEqual(written);
    // the table still works at version 1
    expect((await h.client.rows.get({ table: 'app.notes', key: 'u1/1' })).row.values.title).toBe('a');

    // a dry run that breaks a rule fails like the real thing
    const e = await expectError(h.client.ddl.createTable({ ...notes, name: 'other', columns: [{ name: '_x', type: 'text' }], dryRun: true }), 'VALIDATION');
    expect(e.data).toMatchObject({
      issues: expect.arrayContaining([{ field: 'columns.0.name', message: expect.stringContaining('"_"') as unknown }]) as unknown,
    });
  });

  it('alters a table: schema_version goes up, rows read the new shape, fields are named under change', async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.ddl.createTable(notes);
    await h.client.rows.create({ table: 'app.notes', user: 'u1', values: { id: 1, title: 'a' } });
    const added = await h.client.ddl.alterTable({
      table: 'app.notes',
      change: { action: 'add_column', column: { name: 'done', type: 'boolean', nullable: false, default: false } },
    });
    expect(added.definition.schema_version).toBe(2);
    expect(added.statement).toBe('ALTER TABLE app.notes ADD COLUMN done BOOLEAN NOT NULL DEFAULT FALSE;');
    expect((await h.client.rows.get({ table: 'app.notes', key: 'u1/1' })).row.values).toMatchObject({ title: 'a', done: false });

    const bad = await expectError(
      h.client.ddl.alterTable({ table: 'app.notes', change: { action: 'add_column', column: { name: 'n', type: 'integer', nullable: false } } }),
      'VALIDATION',
    );
    expect(bad.data).toEqual({ issues: [{ field: 'change.column.default', message: expect.stringContaining('needs a default') as unknown }] });
    const pk = await expectError(h.client.ddl.alterTable({ table: 'app.notes', change: { action: 'drop_column', name: 'id' } }), 'VALIDATION');
    expect(pk.data).toEqual({ issues: [{ field: 'change.name', message: 'the primary key cannot be dropped' }] });
    await expectError(h.client.ddl.alterTable({ table: 'app.nope', change: { action: 'drop_column', name: 'id' } }), 'NOT_FOUND');
    await expectError(h.client.ddl.alterTable({ table: 'system.users', change: { action: 'drop_column', name: 'email' } }), 'NOT_FOUND');
    expect(auditEntries(h.engine).filter((e) => e.action === 'tables.update')).toHaveLength(1);
  });

  it('drops: a namespace with tables needs cascade; a dropped table is gone with its rows', async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.ddl.createTable(notes);
    await h.client.ddl.createTable({ ...notes, name: 'todo' });
    await h.client.rows.create({ table: 'app.todo', user: 'u1', values: { id: 1, title: 'a' } });
    await expectError(h.client.ddl.dropNamespace({ name: 'app' }), 'IN_USE');
    const dropped = await h.client.ddl.dropTable({ table: 'app.todo' });
    expect(dropped).toEqual({ dropped: true, statement: 'DROP TABLE app.todo;' });
    await expectError(h.client.rows.page({ table: 'app.todo', request: { limit: 5 } }), 'NOT_FOUND');
    const events = await eventsDuring(() => h.client.ddl.dropNamespace({ name: 'APP', cascade: true }));
    expect(events.filter((e) => e.type === 'change' && e.table !== 'system.audit_log')).toEqual([
      { type: 'change', table: 'system.tables', key: 'app.notes', op: 'delete' },
      { type: 'change', table: 'app.notes', key: null, op: 'bulk' },
      { type: 'change', table: 'system.namespaces', key: 'app', op: 'delete' },
    ]);
    expect((await h.client.tables.list()).filter((t) => t.kind !== 'system')).toEqual([]);
    expect(
      auditEntries(h.engine)
        .slice(-3)
        .map((e) => [e.action, e.target]),
    ).toEqual([
      ['tables.delete', 'system.tables/app.todo'],
      ['tables.delete', 'system.tables/app.notes'],
      ['namespaces.delete', 'system.namespaces/app'],
    ]);
    await expectError(h.client.ddl.dropNamespace({ name: 'system', cascade: true }), 'VALIDATION');
  });

  it("deleting a namespace through its form (entities.delete, cascade) drops its tables' rows too", async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.ddl.createTable(notes);
    await h.client.rows.create({ table: 'app.notes', user: 'u1', values: { id: 1, title: 'a' } });
    expect(h.engine.backend.listPartitions().filter((p) => p.includes('app.notes'))).not.toEqual([]);
    await h.client.entities.delete({ table: 'system.namespaces', key: 'app', cascade: true });
    expect(h.engine.backend.listPartitions().filter((p) => p.includes('app.notes'))).toEqual([]);
    await expectError(h.client.rows.count({ table: 'app.notes' }), 'NOT_FOUND');
    // a new table of the same name starts empty
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.ddl.createTable(notes);
    expect(await h.client.rows.count({ table: 'app.notes' })).toEqual({ count: 0, capped: false });
  });

  it('refuses in read-only mode, dry runs too', async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.engine.setReadOnly({ readOnly: true });
    const before = snapshot(h.engine);
    await expectError(h.client.ddl.createTable(notes), 'READ_ONLY');
    await expectError(h.client.ddl.createTable({ ...notes, dryRun: true }), 'READ_ONLY');
    await expectError(h.client.ddl.dropNamespace({ name: 'app', cascade: true }), 'READ_ONLY');
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('answers a bad create with every problem, field by field, and writes nothing', async () => {
    const before = snapshot(h.engine);
    const e = await expectError(
      h.client.ddl.createTable({
        namespace: 'System',
        name: '9lives',
        type: 'stream',
        columns: [
          { name: 'id', type: 'json', primary_key: true },
          { name: 'id', type: 'text' },
        ],
      }),
      'VALIDATION',
    );
    const fields = (e.data as { issues: { field: string }[] }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['columns.0.type', 'columns.1.name', 'name', 'namespace', 'ttl_seconds']);
    await expectError(h.client.ddl.createTable({ ...notes, namespace: 'nowhere' }), 'NOT_FOUND');
    expect(snapshot(h.engine)).toEqual(before);
  });
});
