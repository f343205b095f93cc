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
    expect(seedDemo(h.engine)).toEqual(['system.namespaces/demo', 'system.users/u_alice', 'system.users/u_bob', 'system.users/u_carol']);
    const ns = await h.client.rows.get({ table: 'system.namespaces', key: 'demo' });
    expect(ns.row.values.comment).toEqual(expect.any(String));
    const users = await h.client.rows.page({ table: 'system.users', request: { limit: 10, filters: [{ column: 'user_id', op: 'starts_with', value: 'u_' }] } });
    expect(users.rows.map((r) => [r.values.username, r.values.role, r.values.email])).toEqual([
      ['alice', 'dba', 'alice@example.com'],
      ['bob', 'user', 'bob@example.com'],
      ['carol', 'service', 'carol@example.com'],
    ]);
    expect(auditEntries(h.engine).map((e) => [e.action, e.target, e.actor_role, e.actor_user_id])).toEqual([
      ['namespaces.create', 'system.namespaces/demo', 'system', null],
      ['users.create', 'system.users/u_alice', 'system', null],
      ['users.create', 'system.users/u_bob', 'system', null],
      ['users.create', 'system.users/u_carol', 'system', null],
    ]);
    expect(DEMO_USERS).toHaveLength(3);
  });

  it('is idempotent, and leaves taken usernames alone', async () => {
    await h.client.entities.create({
      table: 'system.users',
      values: { username: 'bob', email: null, role: 'dba', auth_type: 'oauth', storage_mode: 'table', storage_id: null },
    });
    expect(seedDemo(h.engine)).toEqual(['system.namespaces/demo', 'system.users/u_alice', 'system.users/u_carol']);
    const before = snapshot(h.engine);
    expect(seedDemo(h.engine)).toEqual([]);
    expect(snapshot(h.engine)).toEqual(before);
  });
});
