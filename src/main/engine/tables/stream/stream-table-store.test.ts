import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamRowId, StreamRowIdKey } from '../../../../shared/keys/stream-row-id';
import type { Engine } from '../../engine';
import type { ChangeEvent } from '../change-feed';
import { ADMIN, addUsers, as, expectError, SYSTEM_SUBJECT, type TestClock, testClock, testEngine, tid, todoTable, uid } from '../testing.test-support';
import type { StreamTableStore } from './stream-table-store';

const TTL_S = 60;
let clock: TestClock;
let engine: Engine;
let store: StreamTableStore;
beforeEach(() => {
  clock = testClock(1_000_000);
  engine = testEngine(clock);
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events', { ttl_seconds: TTL_S }));
  store = engine.data.stream(tid('app.events'));
  addUsers(engine, 'bob');
});
afterEach(() => engine.close());

const titles = (user: string) => [...store.scanRows(as(user))].map(([, r]) => r.title as string);

describe('StreamTableStore appends', () => {
  it('keys rows by (user, _seq) and stamps the write time', () => {
    const [id, row] = store.appendRow(as('alice'), { id: 1, title: 'hello' });
    expect(id).toEqual(streamRowId(uid('alice'), row._seq));
    expect(row).toEqual({ id: 1, title: 'hello', done: false, note: null, _seq: row._seq, _deleted: false, _ts: 1_000_000 });
    expect(store.getRow(as('alice'), id)).toEqual(row);
    expect(StreamRowIdKey.display(id)).toBe(`alice/${row._seq}`);
  });

  it('keeps rows in arrival order per user; the key column need not be unique', () => {
    store.appendRows(
      as('alice'),
      [1, 1, 2].map((id, i) => ({ id, title: `a${i}` })),
    );
    store.appendRow(as('alice2'), { id: 1, title: 'other' });
    store.appendRow(as('alice'), { id: 3, title: 'a3' });
    expect(titles('alice')).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(titles('alice2')).toEqual(['other']);
    expect([...store.scanRows(as('alice'), { reverse: true, limit: 2 })].map(([, r]) => r.title)).toEqual(['a3', 'a2']);
    expect(store.countRows(as('alice'))).toBe(4);
    expect(store.countRows(ADMIN)).toBe(5);
    expect(store.countRows(ADMIN, { cap: 3 })).toBe(3);
  });

  it('validates rows and names the field, per row in a batch', () => {
    expectError(() => store.appendRow(as('a'), { id: 'x', title: 't' }), 'VALIDATION', ['id']);
    expectError(() => store.appendRows(as('a'), [{ id: 1, title: 't' }, { id: 2 }]), 'VALIDATION', ['1.title']);
    expect(store.countRows(ADMIN)).toBe(0);
  });

  it('follows user-table ownership: own rows, admins name the owner', () => {
    const [id] = store.appendRow(as('alice'), { id: 1, title: 'x' });
    expectError(() => store.getRow(as('bob'), id), 'ACCESS_DENIED');
    expectError(() => store.deleteRow(as('bob'), id), 'ACCESS_DENIED');
    expectError(() => store.appendRow(ADMIN, { id: 1, title: 'x' }), 'VALIDATION', ['user']);
    store.appendRow(ADMIN, { id: 2, title: 'by admin' }, { user: uid('bob') });
    expect(titles('bob')).toEqual(['by admin']);
    expect(store.getRow(ADMIN, id)?.title).toBe('x');
    expectError(() => [...store.scanRows({ userId: null, role: 'anonymous' })], 'ACCESS_DENIED');
  });

  it('deletes remove the row at once (no tombstone)', () => {
    const [id] = store.appendRow(as('alice'), { id: 1, title: 'x' });
    expect(store.deleteRow(as('alice'), id)).toBe(true);
    expect(store.deleteRow(as('alice'), id)).toBe(false);
    expect(store.countHot()).toBe(0);
    expect(engine.backend.hasPartition(store.schema.tombstones)).toBe(false);
  });
});

describe('TTL', () => {
  it('a row is visible until ttl after its write, and invisible from that very millisecond', () => {
    const [id] = store.appendRow(as('alice'), { id: 1, title: 'x' });
    clock.advance(TTL_S * 1000 - 1);
    expect(store.getRow(as('alice'), id)).toBeDefined();
    expect(store.countRows(as('alice'))).toBe(1);
    clock.advance(1);
    expect(store.getRow(as('alice'), id)).toBeUndefined();
    expect(titles('alice')).toEqual([]);
    expect(store.countRows(as('alice'))).toBe(0);
    expect(engine.data.provider(store.tableId).browse(ADMIN, { limit: 10 }).rows).toEqual([]);
    expect(engine.data.provider(store.tableId).get(ADMIN, StreamRowIdKey.display(id))).toBeUndefined();
    // still stored until eviction
    expect(store.countHot()).toBe(1);
  });

  it('rows of different ages expire one by one', () => {
    for (let i = 0; i < 5; i++) {
      store.appendRow(as('alice'), { id: i, title: `t${i}` });
      clock.advance(10_000);
    }
    // written at +0, +10s, … +40s; now +50s: all visible. At +65s t0 has gone, at +75s t1 too.
    expect(titles('alice')).toHaveLength(5);
    clock.advance(15_000);
    expect(titles('alice')).toEqual(['t1', 't2', 't3', 't4']);
    clock.advance(10_000);
    expect(titles('alice')).toEqual(['t2', 't3', 't4']);
  });

  it('evict removes exactly the expired rows, reports how many, and emits deletes', () => {
    const events: ChangeEvent[] = [];
    engine.changes.subscribe((e) => events.push(e));
    const users = ['a', 'a2', 'a.b', 'b', 'é'];
    for (let round = 0; round < 4; round++) {
      for (const u of users)
        store.appendRows(
          as(u),
          [0, 1, 2].map((i) => ({ id: i, title: `${u}:${round}:${i}` })),
        );
      clock.advance(20_000);
    }
    // rounds written at 0, 20, 40, 60 s; now 80 s: rounds 0 and 1 (ages 80, 60) are expired.
    events.length = 0;
    expect(store.evict()).toBe(2 * users.length * 3);
    expect(store.countHot()).toBe(2 * users.length * 3);
    expect(events).toHaveLength(30);
    expect(events.every((e) => e.op === 'delete' && e.table === 'app.events')).toBe(true);
    expect(new Set(events.map((e) => e.user))).toEqual(new Set(users));
    expect(titles('a')).toEqual(['a:2:0', 'a:2:1', 'a:2:2', 'a:3:0', 'a:3:1', 'a:3:2']);
    expect(store.evict()).toBe(0);
    // evict(now) with an explicit time
    expect(store.evict(clock.now() + 60_000)).toBe(30);
    expect(store.countHot()).toBe(0);
  });

  it('evicts in batches of the given size, across many users', () => {
    for (let u = 0; u < 40; u++)
      store.appendRows(
        as(`u${u}`),
        [0, 1, 2, 3, 4].map((i) => ({ id: i, title: 't' })),
      );
    clock.advance(30_000);
    store.appendRows(as('u7'), [{ id: 99, title: 'fresh' }]);
    clock.advance(30_000);
    const batches: number[] = [];
    const tx = engine.backend.transaction.bind(engine.backend);
    const del = engine.backend.delete.bind(engine.backend);
    engine.backend.transaction = <T>(fn: () => T): T => {
      batches.push(0);
      return tx(fn);
    };
    engine.backend.delete = (p, k) => {
      batches[batches.length - 1]!++;
      del(p, k);
    };
    expect(store.evict(clock.now(), 7)).toBe(200);
    // Full batches of 7, except where a user's unexpired row ends one early (u7) and at the end.
    expect(batches.every((n) => n >= 1 && n <= 7)).toBe(true);
    expect(batches.length).toBe(Math.ceil(200 / 7) + 1);
    expect(store.countHot()).toBe(1);
    expect(titles('u7')).toEqual(['fresh']);
  });

  it("the ttl in force is the table's current one (ALTER … ttl)", () => {
    store.appendRow(as('alice'), { id: 1, title: 'x' });
    clock.advance(90_000);
    expect(titles('alice')).toEqual([]);
    engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.events', { action: 'set_options', ttl_seconds: 120 });
    const longer = engine.data.stream(tid('app.events'));
    expect([...longer.scanRows(as('alice'))]).toHaveLength(1);
    expect(longer.evict()).toBe(0);
    clock.advance(30_000);
    expect(longer.evict()).toBe(1);
  });

  it('engine.data.evictStreams evicts every stream table', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'other', { ttl_seconds: 1 }));
    engine.data.stream(tid('app.other')).appendRow(as('x'), { id: 1, title: 't' });
    store.appendRow(as('x'), { id: 1, title: 't' });
    clock.advance(2_000);
    expect(Object.fromEntries(engine.data.evictStreams())).toEqual({ 'app.events': 0, 'app.other': 1 });
  });
});
