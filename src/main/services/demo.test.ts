import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS, seedDemo } from './demo';
import { auditEntries, type Harness, openHarness, snapshot } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

describe('seedDemo', () => {
  it('adds a demo namespace and three users, each with an audit entry by the system', async () => {
    expect(seedDemo(h.engine).slice(0, 4)).toEqual(['system.namespaces/demo', 'system.users/u_alice', 'system.users/u_bob', 'system.users/u_carol']);
    const ns = await h.client.rows.get({ table: 'system.namespaces', key: 'demo' });
    expect(ns.row.values.comment).toEqual(expect.any(String));
    const users = await h.client.rows.page({ table: 'system.users', request: { limit: 10, filters: [{ column: 'user_id', op: 'starts_with', value: 'u_' }] } });
    expect(users.rows.map((r) => [r.values.username, r.values.role, r.values.email])).toEqual([
      ['alice', 'dba', 'alice@example.com'],
      ['bob', 'user', 'bob@example.com'],
      ['carol', 'service', 'carol@example.com'],
    ]);
    expect(
      auditEntries(h.engine)
        .slice(0, 4)
        .map((e) => [e.action, e.target, e.actor_role, e.actor_user_id]),
    ).toEqual([
      ['namespaces.create', 'system.namespaces/demo', 'system', null],
      ['users.create', 'system.users/u_alice', 'system', null],
      ['users.create', 'system.users/u_bob', 'system', null],
      ['users.create', 'system.users/u_carol', 'system', null],
    ]);
    expect(DEMO_USERS).toHaveLength(3);
  });

  it('adds a shared, a user and a stream table with rows of alice and bob, each audited', async () => {
    const created = seedDemo(h.engine).slice(4);
    expect(created).toEqual([
      'system.tables/demo.products',
      'demo.products/1',
      'demo.products/2',
      'demo.products/3',
      'system.tables/demo.notes',
      'demo.notes/u_alice/1',
      'demo.notes/u_alice/2',
      'demo.notes/u_bob/1',
      'demo.notes/u_bob/2',
      'system.tables/demo.events',
      expect.stringMatching(/^demo\.events\/u_alice\/\d+$/),
      expect.stringMatching(/^demo\.events\/u_alice\/\d+$/),
      expect.stringMatching(/^demo\.events\/u_bob\/\d+$/),
    ]);
    expect(
      auditEntries(h.engine)
        .slice(4)
        .map((e) => e.target),
    ).toEqual(created);
    const tables = await h.client.tables.list();
    expect(tables.filter((t) => t.namespace === 'demo').map((t) => [t.table, t.kind, t.access, t.rowCount])).toEqual([
      ['demo.events', 'stream', 'public', 3],
      ['demo.notes', 'user', 'public', 4],
      ['demo.products', 'shared', 'public', 3],
    ]);
    // bob sees his own notes only
    const bobs = await h.client.rows.page({ table: 'demo.notes', request: { limit: 10 }, as: { userId: 'u_bob' } });
    expect(bobs.rows.map((r) => r.key)).toEqual(['u_bob/1', 'u_bob/2']);
  });

  it('is idempotent, and leaves taken usernames alone', async () => {
    await h.client.entities.create({
      table: 'system.users',
      values: { username: 'bob', email: null, role: 'dba', auth_type: 'oauth', storage_mode: 'table', storage_id: null },
    });
    const created = seedDemo(h.engine);
    expect(created.slice(0, 3)).toEqual(['system.namespaces/demo', 'system.users/u_alice', 'system.users/u_carol']);
    // no rows for a demo user that could not be created
    expect(created.filter((t) => t.includes('u_bob'))).toEqual([]);
    const before = snapshot(h.engine);
    expect(seedDemo(h.engine)).toEqual([]);
    expect(snapshot(h.engine)).toEqual(before);
  });
});
