import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserNameKey } from '../../shared/keys/user-name';
import { seedDemo } from './demo';
import { auditEntries, expectError, type Harness, openHarness, snapshot } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  seedDemo(h.engine);
});
afterEach(() => {
  expect(h.logged).toEqual([]);
  h.close();
});

describe('indexes.list', () => {
  it('lists every index of every system table with its statistics', async () => {
    const list = await h.client.indexes.list();
    expect(list.map((i) => `${i.table}#${i.name}`)).toEqual([
      'system.users#username',
      'system.users#role',
      'system.tables#storage',
      'system.jobs#status_created',
      'system.jobs#idempotency',
    ]);
    expect(list[0]).toMatchObject({ partition: 'system.users.idx.username', unique: true, partial: true, fields: ['username'], entries: 4 });
    expect(list[3]).toMatchObject({ fields: ['status', 'created_at'], entries: 0, bytes: 0 });
  });
});

describe('indexes.entries', () => {
  it('pages forward and backward in index order with opaque cursors', async () => {
    const ref = { table: 'system.users', index: 'username' };
    const p1 = await h.client.indexes.entries({ ...ref, limit: 3 });
    expect(p1.entries).toEqual([
      { indexKey: 'alice', primaryKey: 'u_alice' },
      { indexKey: 'bob', primaryKey: 'u_bob' },
      { indexKey: 'carol', primaryKey: 'u_carol' },
    ]);
    expect(p1.prev).toBeUndefined();
    const p2 = await h.client.indexes.entries({ ...ref, limit: 3, cursor: p1.next! });
    expect(p2.entries.map((e) => e.indexKey)).toEqual(['root']);
    expect(p2.next).toBeUndefined();
    const back = await h.client.indexes.entries({ ...ref, limit: 3, cursor: p2.prev!, direction: 'backward' });
    expect(back.entries).toEqual(p1.entries);
    expect(back.prev).toBeUndefined();
    const last = await h.client.indexes.entries({ ...ref, limit: 2, direction: 'backward' });
    expect(last.entries.map((e) => e.indexKey)).toEqual(['carol', 'root']);
    expect(last.next).toBeUndefined();
    expect(last.prev).toBeDefined();
  });

  it('looks up by the first field; non-unique entries show the tuple without the primary key', async () => {
    const dbas = await h.client.indexes.entries({ table: 'system.users', index: 'role', limit: 10, lookup: 'dba' });
    expect(dbas.entries).toEqual([{ indexKey: 'dba', primaryKey: 'u_alice' }]);
    expect((await h.client.indexes.entries({ table: 'system.users', index: 'role', limit: 10, lookup: 'nobody' })).entries).toEqual([]);
    expect((await h.client.indexes.entries({ table: 'system.jobs', index: 'status_created', limit: 10, lookup: 42 })).entries).toEqual([]);
  });

  it('bad lookups and cursors are VALIDATION; unknown indexes and tables NOT_FOUND', async () => {
    const ref = { table: 'system.users', index: 'username', limit: 5 };
    const frac = await expectError(h.client.indexes.entries({ ...ref, lookup: 1.5 }), 'VALIDATION');
    expect(frac.data).toMatchObject({ issues: [{ field: 'lookup' }] });
    const lone = await expectError(h.client.indexes.entries({ ...ref, lookup: '\udc00' }), 'VALIDATION');
    expect(lone.data).toMatchObject({ issues: [{ field: 'lookup' }] });
    const cursor = await expectError(h.client.indexes.entries({ ...ref, cursor: 'c1.$$$' }), 'VALIDATION');
    expect(cursor.data).toMatchObject({ issues: [{ field: 'cursor' }] });
    const e = await expectError(h.client.indexes.entries({ ...ref, index: 'email' }), 'NOT_FOUND');
    expect(e.message).toBe('index "email" does not exist on system.users');
    await expectError(h.client.indexes.entries({ ...ref, table: 'system.nope' }), 'NOT_FOUND');
  });
});

describe('indexes.verify and indexes.rebuild', () => {
  it('verify reports a healthy index, then a missing entry; rebuild repairs it, audited, announced', async () => {
    const ref = { table: 'system.users', index: 'username' };
    expect(await h.client.indexes.verify(ref)).toEqual({ index: 'username', entities: 4, entries: 4, missing: [], orphaned: [], wrong: [], truncated: false });

    h.engine.backend.delete('system.users.idx.username', UserNameKey.encode('bob' as never));
    const broken = await h.client.indexes.verify(ref);
    expect(broken.missing).toEqual([{ indexKey: 'bob', primaryKey: 'u_bob' }]);

    const events: unknown[] = [];
    const abort = new AbortController();
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();
    expect(await h.client.indexes.rebuild(ref)).toEqual({ entries: 4 });
    expect((await h.client.indexes.verify(ref)).missing).toEqual([]);
    expect(auditEntries(h.engine).at(-1)).toMatchObject({ action: 'indexes.rebuild', target: 'system.users/indexes/username', after: { entries: 4 } });
    const bulk = { type: 'change', table: 'system.users', key: null, op: 'bulk' };
    await vi.waitFor(() => expect(events[0]).toEqual(bulk));
    abort.abort();
    await reading;
    expect(events[0]).toEqual(bulk);
  });

  it('unknown indexes are NOT_FOUND and change nothing', async () => {
    const before = snapshot(h.engine);
    await expectError(h.client.indexes.verify({ table: 'system.users', index: 'nope' }), 'NOT_FOUND');
    await expectError(h.client.indexes.rebuild({ table: 'system.namespaces', index: 'anything' }), 'NOT_FOUND');
    expect(snapshot(h.engine)).toEqual(before);
  });
});
