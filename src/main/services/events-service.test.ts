import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { ChangeBus } from './change-bus';
import { type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

/** Every event stream subscribes to the change bus when its generator starts: the ready signal of a subscription. */
const busSubscriptions = vi.spyOn(ChangeBus.prototype, 'subscribe');
/** Resolves once `count` streams more than `before` have subscribed. */
const subscribed = (before: number, count = 1) =>
  vi.waitFor(() => expect(busSubscriptions.mock.calls.length).toBeGreaterThanOrEqual(before + count), { interval: 1 });

describe('events.subscribe', () => {
  it('yields the change of a write (after it committed), then its audit entry; stops when aborted', async () => {
    const abort = new AbortController();
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const seen: EngineEvent[] = [];
    let committed: boolean | undefined;
    const reading = (async () => {
      for await (const event of stream) {
        if (committed === undefined) committed = h.engine.system.namespaces.exists('sales' as never);
        seen.push(event);
      }
      return 'ended';
    })();
    await h.client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'sales', comment: null, options: {} } });
    const published = [
      { type: 'change', table: 'system.namespaces', key: 'sales', op: 'insert' },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
    ];
    await vi.waitFor(() => expect(seen).toEqual(published));
    expect(committed).toBe(true);
    expect(seen).toEqual(published);
    abort.abort();
    expect(await reading).toBe('ended');
    // nothing more arrives after the abort
    await h.client.entities.delete({ table: 'system.namespaces', key: 'sales' });
    expect(seen).toHaveLength(2);
  });

  it('failed writes publish nothing', async () => {
    const abort = new AbortController();
    const before = busSubscriptions.mock.calls.length;
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    await subscribed(before);
    await h.client.entities.delete({ table: 'system.users', key: 'root' }).catch(() => undefined);
    await h.client.entities.create({ table: 'system.users', values: { username: 'x' } }).catch(() => undefined);
    // A barrier: events reach a stream in the order they were published, so once this one is in,
    // anything the failed writes had published would be in too.
    const barrier = [
      { type: 'engine', readOnly: true },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
    ];
    await h.client.engine.setReadOnly({ readOnly: true });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    abort.abort();
    await reading;
    expect(seen).toEqual(barrier);
  });

  it('every subscriber gets every event; close() ends them all', async () => {
    const before = busSubscriptions.mock.calls.length;
    const streams = await Promise.all([h.client.events.subscribe(), h.client.events.subscribe()]);
    const seen: EngineEvent[][] = [[], []];
    const readers = streams.map(async (stream, i) => {
      for await (const event of stream) seen[i]!.push(event);
      return 'ended';
    });
    await subscribed(before, 2);
    await h.client.engine.setReadOnly({ readOnly: true });
    // The toggle, then its audit entry.
    const events = [
      { type: 'engine', readOnly: true },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
    ];
    await vi.waitFor(() => expect(seen).toEqual([events, events]));
    h.services.close();
    expect(await Promise.all(readers)).toEqual(['ended', 'ended']);
    expect(seen).toEqual([events, events]);
    // a subscription after close ends at once
    const late = await h.client.events.subscribe();
    expect(await late.next()).toMatchObject({ done: true });
  });

  it('an already aborted subscription ends at once; return() ends a stream too', async () => {
    const abort = new AbortController();
    abort.abort();
    const aborted = await h.client.events.subscribe(undefined, { signal: abort.signal });
    expect(await aborted.next()).toMatchObject({ done: true });
    const open = await h.client.events.subscribe();
    const pending = open.next();
    await open.return?.(undefined);
    expect(await pending).toMatchObject({ done: true });
  });
});
