import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

const tick = () => new Promise((r) => setTimeout(r, 5));

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
    await tick();
    expect(committed).toBe(true);
    expect(seen).toEqual([
      { type: 'change', table: 'system.namespaces', key: 'sales', op: 'insert' },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
    ]);
    abort.abort();
    expect(await reading).toBe('ended');
    // nothing more arrives after the abort
    await h.client.entities.delete({ table: 'system.namespaces', key: 'sales' });
    expect(seen).toHaveLength(2);
  });

  it('failed writes publish nothing', async () => {
    const abort = new AbortController();
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    await h.client.entities.delete({ table: 'system.users', key: 'root' }).catch(() => undefined);
    await h.client.entities.create({ table: 'system.users', values: { username: 'x' } }).catch(() => undefined);
    await tick();
    abort.abort();
    await reading;
    expect(seen).toEqual([]);
  });

  it('every subscriber gets every event; close() ends them all', async () => {
    const streams = await Promise.all([h.client.events.subscribe(), h.client.events.subscribe()]);
    const seen: EngineEvent[][] = [[], []];
    const readers = streams.map(async (stream, i) => {
      for await (const event of stream) seen[i]!.push(event);
      return 'ended';
    });
    await h.client.engine.setReadOnly({ readOnly: true });
    await tick();
    h.services.close();
    expect(await Promise.all(readers)).toEqual(['ended', 'ended']);
    // The toggle, then its audit entry.
    const events = [
      { type: 'engine', readOnly: true },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
    ];
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
