import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from './demo';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  seedDemo(h.engine);
});
afterEach(() => {
  expect(h.logged).toEqual([]);
  h.close();
});

describe('rows.page', () => {
  it('pages rows in key order with cursors, secrets removed', async () => {
    const first = await h.client.rows.page({ table: 'system.users', request: { limit: 2 } });
    expect(first.rows.map((r) => r.key)).toEqual(['root', 'u_alice']);
    expect(first.next).toBeDefined();
    expect(first.prev).toBeUndefined();
    const second = await h.client.rows.page({ table: 'system.users', request: { limit: 2, cursor: first.next! } });
    expect(second.rows.map((r) => r.key)).toEqual(['u_bob', 'u_carol']);
    for (const r of [...first.rows, ...second.rows]) expect(r.values).not.toHaveProperty('password_hash');
  });

  it('sorts by an indexed column and filters', async () => {
    const sorted = await h.client.rows.page({ table: 'system.users', request: { limit: 10, sort: { column: 'role', order: 'asc' } } });
    expect(sorted.rows.map((r) => r.values.role)).toEqual(['dba', 'service', 'system', 'user']);
    const filtered = await h.client.rows.page({
      table: 'system.users',
      request: { limit: 10, filters: [{ column: 'email', op: 'contains', value: 'CAROL' }] },
    });
    expect(filtered.rows.map((r) => r.key)).toEqual(['u_carol']);
    const seeked = await h.client.rows.page({ table: 'system.users', request: { limit: 10, seek: 'u_b' } });
    expect(seeked.rows.map((r) => r.key)).toEqual(['u_bob', 'u_carol']);
  });

  it('bad requests are VALIDATION on paths into the input', async () => {
    const field = async (request: object) => {
      const e = await expectError(h.client.rows.page({ table: 'system.users', request } as never), 'VALIDATION');
      return (e.data as { issues: { field: string }[] }).issues.map((i) => i.field);
    };
    expect(await field({ limit: 5, sort: { column: 'email', order: 'asc' } })).toEqual(['request.sort.column']);
    expect(await field({ limit: 5, sort: { column: 'password_hash', order: 'asc' } })).toEqual(['request.sort.column']);
    expect(await field({ limit: 5, filters: [{ column: 'nope', op: 'eq', value: 1 }] })).toEqual(['request.filters.0.column']);
    expect(await field({ limit: 5, filters: [{ column: 'failed_login_attempts', op: 'lt', value: 'x' }] })).toEqual(['request.filters.0.value']);
    expect(await field({ limit: 5, filters: [{ column: 'username', op: 'eq', value: '\ud800' }] })).toEqual(['request.filters.0.value']);
    expect(await field({ limit: 5, filters: [{ column: 'username', op: 'in', values: ['a', '\ud800'] }] })).toEqual(['request.filters.0.values.1']);
    expect(await field({ limit: 5, filters: [{ column: 'username', op: 'between', value: 'a', to: '\udc00' }] })).toEqual(['request.filters.0.to']);
    expect(await field({ limit: 5, filters: [{ column: 'failed_login_attempts', op: 'in', values: [1, 'x'] }] })).toEqual(['request.filters.0.values.1']);
    expect(await field({ limit: 5, cursor: 'forged' })).toEqual(['request.cursor']);
    expect(await field({ limit: 5, seek: 'a/b' })).toEqual(['request.seek']);
    expect(await field({ limit: 0 })).toEqual(['request.limit']);
    expect(await field({ limit: 5, direction: 'sideways' })).toEqual(['request.direction']);
  });

  it('an unknown table is NOT_FOUND', async () => {
    await expectError(h.client.rows.page({ table: 'system.nope', request: { limit: 5 } }), 'NOT_FOUND');
  });
});

describe('rows.count', () => {
  it('counts up to the cap and says when it was reached', async () => {
    expect(await h.client.rows.count({ table: 'system.users' })).toEqual({ count: 4, capped: false });
    expect(await h.client.rows.count({ table: 'system.users', cap: 2 })).toEqual({ count: 2, capped: true });
    expect(await h.client.rows.count({ table: 'system.users', cap: 4 })).toEqual({ count: 4, capped: true });
    expect(await h.client.rows.count({ table: 'system.users', cap: 5 })).toEqual({ count: 4, capped: false });
    expect(await h.client.rows.count({ table: 'system.jobs' })).toEqual({ count: 0, capped: false });
  });

  it('a cap below 1 is VALIDATION on "cap"', async () => {
    const e = await expectError(h.client.rows.count({ table: 'system.users', cap: 0 }), 'VALIDATION');
    expect(e.data).toMatchObject({ issues: [{ field: 'cap' }] });
  });
});

describe('rows.get', () => {
  it('returns the row and a version that changes exactly when the entity does', async () => {
    const a = await h.client.rows.get({ table: 'system.users', key: 'u_alice' });
    expect(a.row).toMatchObject({ key: 'u_alice', values: { username: 'alice', role: 'dba' } });
    expect(a.version).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await h.client.rows.get({ table: 'system.users', key: 'u_alice' })).version).toBe(a.version);
    await h.client.entities.update({
      table: 'system.users',
      key: 'u_alice',
      values: { ...pick(a.row.values), email: 'alice@corp.example' },
      version: a.version,
    });
    const b = await h.client.rows.get({ table: 'system.users', key: 'u_alice' });
    expect(b.version).not.toBe(a.version);
    // versions differ between entities
    expect((await h.client.rows.get({ table: 'system.users', key: 'u_bob' })).version).not.toBe(b.version);
    // other key types: composite and numeric keys in display form
    expect((await h.client.rows.get({ table: 'system.audit_log', key: '0' })).row.values.action).toBe('namespaces.create');
  });

  it('a missing row is NOT_FOUND, a malformed key VALIDATION on "key", corrupt data DECODE', async () => {
    const e = await expectError(h.client.rows.get({ table: 'system.users', key: 'u_nobody' }), 'NOT_FOUND');
    expect(e.message).toBe('system.users row "u_nobody" does not exist');
    const v = await expectError(h.client.rows.get({ table: 'system.audit_log', key: 'abc' }), 'VALIDATION');
    expect(v.data).toMatchObject({ issues: [{ field: 'key' }] });
    await expectError(h.client.rows.get({ table: 'system.tables', key: 'no-dot' }), 'VALIDATION');
    h.engine.backend.put('system.users', h.engine.system.users.keyCodec.encode('u_bob' as never), Uint8Array.from([1, 1, 0x7b]));
    const d = await expectError(h.client.rows.get({ table: 'system.users', key: 'u_bob' }), 'DECODE');
    expect(d.message).toContain('system.users / u_bob');
  });
});

function pick(values: Record<string, unknown>) {
  const { username, email, role, auth_type, storage_mode, storage_id } = values;
  return { username, email, role, auth_type, storage_mode, storage_id };
}
