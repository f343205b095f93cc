import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { type ChangeEvent, ChangeFeed } from './change-feed';
import { ADMIN, addUsers, as, SYSTEM_SUBJECT, testEngine, tid, todoTable, uid } from './testing.test-support';
import { silentLogger } from '../../../shared/logger';

let engine: Engine;
let events: ChangeEvent[];
let unsubscribe: () => void;
beforeEach(() => {
  engine = testEngine();
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'docs'));
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'clicks'));
  addUsers(engine, 'bob');
  events = [];
  unsubscribe = engine.changes.subscribe((e) => events.push(e));
});
afterEach(() => engine.close());

const shared = () => engine.data.shared(tid('app.docs'));
const user = () => engine.data.user(tid('app.todos'));
const brief = (e: ChangeEvent) => `${e.table} ${e.op} ${e.key}${e.user ? ` @${e.user}` : ''}`;

describe('change feed', () => {
  it('emits (table, key, op, _seq) for every committed write, in order', () => {
    const a = shared().insertRow(SYSTEM_SUBJECT, { id: 1, title: 'a' });
    const b = shared().updateRow(SYSTEM_SUBJECT, 1, { done: true });
    const c = shared().upsertRow(SYSTEM_SUBJECT, { id: 2, title: 'c' });
    const d = shared().upsertRow(SYSTEM_SUBJECT, { id: 2, title: 'd' });
    shared().deleteRow(SYSTEM_SUBJECT, 1);
    expect(events).toEqual([
      { table: 'app.docs', key: '1', op: 'insert', seq: a._seq },
      { table: 'app.docs', key: '1', op: 'update', seq: b._seq },
      { table: 'app.docs', key: '2', op: 'insert', seq: c._seq },
      { table: 'app.docs', key: '2', op: 'update', seq: d._seq },
      { table: 'app.docs', key: '1', op: 'delete', seq: d._seq + 1 },
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it('names the owner of user and stream rows, and keys them by display form', () => {
    user().insertRows(as('alice'), [
      { id: 1, title: 'x' },
      { id: 2, title: 'y' },
    ]);
    user().insertRow(ADMIN, { id: 1, title: 'z' }, { user: uid('bob') });
    const [id] = engine.data.stream(tid('app.clicks')).appendRow(as('carol'), { id: 1, title: 'c' });
    expect(events.map(brief)).toEqual([
      'app.todos insert alice/1 @alice',
      'app.todos insert alice/2 @alice',
      'app.todos insert bob/1 @bob',
      `app.clicks insert carol/${id.seq} @carol`,
    ]);
  });

  it('emits nothing for failed writes, deletes of nothing, or reads', () => {
    shared().insertRow(SYSTEM_SUBJECT, { id: 1, title: 'a' });
    events.length = 0;
    expect(() => shared().insertRow(SYSTEM_SUBJECT, { id: 1, title: 'again' })).toThrow();
    expect(() => shared().insertRows(SYSTEM_SUBJECT, [{ id: 5, title: 'ok' }, { id: 6 }])).toThrow();
    expect(shared().deleteRow(SYSTEM_SUBJECT, 99)).toBe(false);
    shared().getRow(SYSTEM_SUBJECT, 1);
    expect([...shared().scanRows(SYSTEM_SUBJECT)]).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it("inside a caller's transaction: after the outermost commit, and never for what rolled back", () => {
    engine.backend.transaction(() => {
      shared().insertRow(SYSTEM_SUBJECT, { id: 1, title: 'a' });
      try {
        engine.backend.transaction(() => {
          shared().insertRow(SYSTEM_SUBJECT, { id: 2, title: 'rolled back' });
          throw new Error('inner');
        });
      } catch {
        // the outer transaction goes on
      }
      user().insertRow(as('alice'), { id: 1, title: 'b' });
      expect(events).toEqual([]); // nothing before the commit
    });
    expect(events.map(brief)).toEqual(['app.docs insert 1', 'app.todos insert alice/1 @alice']);
    events.length = 0;
    expect(() =>
      engine.backend.transaction(() => {
        shared().insertRow(SYSTEM_SUBJECT, { id: 3, title: 'c' });
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(events).toEqual([]);
    expect(shared().getRow(SYSTEM_SUBJECT, 3)).toBeUndefined();
  });

  it('a bulk insert emits one event per row after its commit', () => {
    user().insertRows(
      as('a'),
      Array.from({ length: 500 }, (_, i) => ({ id: i, title: 't' })),
    );
    expect(events).toHaveLength(500);
    expect(events[499]!.key).toBe('a/499');
    expect(events[499]!.seq - events[0]!.seq).toBe(499);
  });

  it('unsubscribe stops delivery; each subscription is independent', () => {
    const second: ChangeEvent[] = [];
    const off = engine.changes.subscribe((e) => second.push(e));
    expect(engine.changes.subscribers).toBe(2);
    shared().insertRow(SYSTEM_SUBJECT, { id: 1, title: 'a' });
    unsubscribe();
    shared().insertRow(SYSTEM_SUBJECT, { id: 2, title: 'b' });
    off();
    off();
    shared().insertRow(SYSTEM_SUBJECT, { id: 3, title: 'c' });
    expect(events.map((e) => e.key)).toEqual(['1']);
    expect(second.map((e) => e.key)).toEqual(['1', '2']);
    expect(engine.changes.subscribers).toBe(0);
  });

  it('a throwing listener is reported and does not starve the others or fail the write', () => {
    const reported: unknown[] = [];
    const feed = new ChangeFeed({ ...silentLogger, error: (_message, fields) => reported.push(fields?.['error']) });
    const seen: string[] = [];
    feed.subscribe(() => {
      throw new Error('listener bug');
    });
    feed.subscribe((e) => seen.push(e.key));
    feed.publishAll([
      { table: 't', key: 'a', op: 'insert', seq: 1 },
      { table: 't', key: 'b', op: 'insert', seq: 2 },
    ]);
    expect(seen).toEqual(['a', 'b']);
    expect(reported).toHaveLength(2);
  });
});
