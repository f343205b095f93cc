import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { ChangeBus } from './change-bus';
import { seedDemo } from './demo';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  seedDemo(h.engine);
});
afterEach(() => h.close());

/** Every event stream subscribes to the change bus when its generator starts: the ready signal of a subscription. */
const busSubscriptions = vi.spyOn(ChangeBus.prototype, 'subscribe');

/** Opens a stream and collects what it yields until stopped; resolves once the stream is subscribed. */
async function listen(input?: Parameters<Harness['client']['events']['subscribe']>[0]) {
  const abort = new AbortController();
  const before = busSubscriptions.mock.calls.length;
  const stream = await h.client.events.subscribe(input, { signal: abort.signal });
  const seen: EngineEvent[] = [];
  const reading = (async () => {
    for await (const e of stream) seen.push(e);
  })();
  await vi.waitFor(() => expect(busSubscriptions.mock.calls.length).toBeGreaterThan(before), { interval: 1 });
  return {
    seen,
    /** Data-table changes only (no audit log, no live queries). */
    rows: () => seen.filter((e) => e.type === 'change' && !e.table.startsWith('system.')),
    async stop() {
      abort.abort();
      await reading;
    },
  };
}

const liveQueries = () => [...h.engine.system.liveQueries.scan()].map(([, q]) => q);

const READ_ONLY_ON = { type: 'engine', readOnly: true } as const;

/**
 * Resolves once every stream has taken in everything published so far: a last event that every
 * stream hears (read-only switched on) is published, and streams receive events in publish order.
 * The services are read-only afterwards.
 */
async function drained(...streams: { seen: EngineEvent[] }[]): Promise<void> {
  await h.client.engine.setReadOnly({ readOnly: true });
  await vi.waitFor(() => {
    for (const s of streams) expect(s.seen).toContainEqual(READ_ONLY_ON);
  });
}

describe('live data-table changes', () => {
  it('committed row writes reach the stream with their _seq; the admin sees every user', async () => {
    const admin = await listen();
    const a = await h.client.rows.create({ table: 'demo.notes', user: 'u_alice', values: { id: 10, title: 'a' } });
    const b = await h.client.rows.update({
      table: 'demo.products',
      key: '1',
      values: { price: 1 },
      version: (await h.client.rows.get({ table: 'demo.products', key: '1' })).version,
    });
    await h.client.rows.delete({ table: 'demo.notes', key: 'u_bob/1' });
    // a failed write publishes nothing
    await h.client.rows.create({ table: 'demo.products', values: { id: 1, name: 'dup' } }).catch(() => undefined);
    await drained(admin);
    await admin.stop();
    expect(admin.rows()).toEqual([
      { type: 'change', table: 'demo.notes', key: 'u_alice/10', op: 'insert', seq: Number(a.version) },
      { type: 'change', table: 'demo.products', key: '1', op: 'update', seq: Number(b.version) },
      { type: 'change', table: 'demo.notes', key: 'u_bob/1', op: 'delete', seq: expect.any(Number) as unknown },
    ]);
    // each write's audit entry follows it (the barrier's own toggle is audited after it)
    const writes = admin.seen.slice(
      0,
      admin.seen.findIndex((e) => e.type === 'engine'),
    );
    expect(writes.filter((e) => e.type === 'change' && e.table === 'system.audit_log')).toHaveLength(3);
  });

  it("the engine's change feed has a subscriber only while some stream is open", async () => {
    expect(h.engine.changes.subscribers).toBe(0);
    const one = await listen();
    const two = await listen({ as: { userId: 'u_bob' } });
    expect(h.engine.changes.subscribers).toBe(1);
    await one.stop();
    expect(h.engine.changes.subscribers).toBe(1);
    await two.stop();
    expect(h.engine.changes.subscribers).toBe(0);
  });

  it("a user's stream never carries another user's rows, nor tables its role may not read", async () => {
    await h.client.ddl.createNamespace({ name: 'app' });
    await h.client.ddl.createTable({
      namespace: 'app',
      name: 'secrets',
      type: 'shared',
      access_level: 'dba',
      columns: [{ name: 'k', type: 'text', primary_key: true }],
    });
    const bob = await listen({ as: { userId: 'u_bob' } });
    const alice = await listen({ as: { userId: 'u_alice' } });
    await h.client.rows.create({ table: 'demo.notes', user: 'u_alice', values: { id: 10, title: 'private' } });
    await h.client.rows.create({ table: 'demo.events', user: 'u_alice', values: { id: 'x', kind: 'k' } });
    await h.client.rows.create({ table: 'demo.notes', user: 'u_bob', values: { id: 10, title: 'mine' } });
    await h.client.rows.create({ table: 'app.secrets', values: { k: 'x' } });
    await h.client.rows.create({ table: 'demo.products', values: { id: 9, name: 'p' } });
    await drained(bob, alice);
    await bob.stop();
    await alice.stop();
    expect(bob.rows().map((e) => e.type === 'change' && `${e.table}/${e.key}`)).toEqual(['demo.notes/u_bob/10', 'demo.products/9']);
    expect(alice.rows().map((e) => e.type === 'change' && `${e.table}/${e.key}`.replace(/\/\d+$/, '/n'))).toEqual([
      'demo.notes/u_alice/n',
      'demo.events/u_alice/n',
      'app.secrets/x',
      'demo.products/n',
    ]);
    // bob's role may not read the audit log: none of its events either
    expect(bob.seen.some((e) => e.type === 'change' && e.table === 'system.audit_log')).toBe(false);
  });

  it('job events reach only streams whose subject may read system.jobs', async () => {
    const admin = await listen();
    const alice = await listen({ as: { userId: 'u_alice' } });
    const bob = await listen({ as: { userId: 'u_bob' } });
    const carol = await listen({ as: { userId: 'u_carol' } });
    const userRole = await listen({ as: { userId: null, role: 'user' } });
    const { jobs } = await h.client.jobs.start({ type: 'evict' });
    await vi.waitFor(async () => expect(['completed', 'failed']).toContain((await h.client.jobs.get({ id: jobs[0]!.job_id })).status), {
      timeout: 10_000,
      interval: 10,
    });
    await drained(admin, alice, bob, carol, userRole);
    const streams = { admin, alice, bob, carol, userRole };
    for (const s of Object.values(streams)) await s.stop();
    const jobEvents = (s: typeof admin) => s.seen.filter((e) => e.type === 'job').map((e) => e.type === 'job' && e.job.job_id);
    // The admin and a dba (alice) hear the job through to its end; user and service roles hear nothing of it.
    expect(jobEvents(admin)).toContain(jobs[0]!.job_id);
    expect(admin.seen.some((e) => e.type === 'job' && e.job.status === 'completed')).toBe(true);
    expect(jobEvents(alice)).toEqual(jobEvents(admin));
    for (const s of [bob, carol, userRole]) {
      expect(jobEvents(s)).toEqual([]);
      expect(s.seen.some((e) => e.type === 'change' && e.table === 'system.jobs')).toBe(false);
    }
  });

  it('a stream watching tables is in system.live_queries while it is open, and not after', async () => {
    const stream = await listen({ tables: ['demo.notes', 'system.users'], as: { userId: 'u_alice' } });
    expect(liveQueries().map((q) => [q.user_id, q.connection_id, `${q.namespace_id}.${q.table_name}`, q.status])).toEqual([
      ['u_alice', 'test-connection', 'demo.notes', 'active'],
      ['u_alice', 'test-connection', 'system.users', 'active'],
    ]);
    // the admin's live view of system.live_queries hears about it
    const watcher = await listen({ tables: ['system.live_queries'] });
    expect(liveQueries()).toHaveLength(3);
    await stream.stop();
    // Its live queries go as its generator ends, just after the reader stopped; the watcher hears both.
    const liveQueryOps = () => watcher.seen.filter((e) => e.type === 'change' && e.table === 'system.live_queries').map((e) => e.type === 'change' && e.op);
    await vi.waitFor(() => {
      expect(liveQueries().map((q) => `${q.namespace_id}.${q.table_name}`)).toEqual(['system.live_queries']);
      expect(liveQueryOps()).toEqual(['delete', 'delete']);
    });
    await watcher.stop();
    expect(liveQueries()).toEqual([]);
    expect(liveQueryOps()).toEqual(['delete', 'delete']);
  });

  it('closing the services removes the live queries of open streams at once', async () => {
    await listen({ tables: ['demo.products'] });
    expect(liveQueries()).toHaveLength(1);
    h.services.close();
    expect(liveQueries()).toEqual([]);
  });

  it('watching a table that does not exist, or that the subject may not read, fails the call', async () => {
    await expectError(h.client.events.subscribe({ tables: ['demo.nope'] }), 'NOT_FOUND');
    await expectError(h.client.events.subscribe({ tables: ['system.users'], as: { userId: 'u_bob' } }), 'ACCESS_DENIED');
    await expectError(h.client.events.subscribe({ tables: ['demo.notes'], as: { userId: null, role: 'user' } }), 'ACCESS_DENIED');
    const bad = await expectError(h.client.events.subscribe({ tables: ['nodot'] }), 'VALIDATION');
    expect(bad.data).toMatchObject({ issues: [{ field: 'tables.0' }] });
    expect(liveQueries()).toEqual([]);
  });
});
