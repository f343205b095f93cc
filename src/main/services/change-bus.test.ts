import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { ChangeBus } from './change-bus';

const change = (key: string): EngineEvent => ({ type: 'change', table: 'system.users', key, op: 'update' });

describe('ChangeBus', () => {
  it('delivers events queued while the reader was busy, in order', async () => {
    const bus = new ChangeBus();
    const stream = bus.stream();
    const first = stream.next();
    bus.publish(change('a'));
    bus.publish(change('b'));
    bus.publish(change('c'));
    expect((await first).value).toEqual(change('a'));
    expect((await stream.next()).value).toEqual(change('b'));
    expect((await stream.next()).value).toEqual(change('c'));
    bus.close();
    expect(await stream.next()).toMatchObject({ done: true });
  });

  it('ends a stream that falls too far behind instead of buffering without bound', async () => {
    const bus = new ChangeBus();
    const stream = bus.stream(undefined, 2);
    const first = stream.next();
    for (const k of ['a', 'b', 'c', 'd', 'e']) bus.publish(change(k));
    // It ends at once (queued events are moot: the client refetches everything when it reconnects).
    expect(await first).toMatchObject({ done: true });
    expect(await stream.next()).toMatchObject({ done: true });
  });

  it('unsubscribes listeners and ignores publishes after close', () => {
    const bus = new ChangeBus();
    const seen: EngineEvent[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    bus.publish(change('a'));
    off();
    bus.publish(change('b'));
    bus.subscribe((e) => seen.push(e));
    bus.close();
    bus.publish(change('c'));
    expect(seen).toEqual([change('a')]);
    expect(bus.isClosed).toBe(true);
  });
});
