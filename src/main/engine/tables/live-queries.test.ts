import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveQueryIdKey } from '../../../shared/keys/live-query-id';
import type { Engine } from '../engine';
import { expectError, SYSTEM_SUBJECT, type TestClock, testClock, testEngine, tid, todoTable, uid } from './testing.test-support';

const dir = mkdtempSync(join(tmpdir(), 'kalam-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clock: TestClock;
let engine: Engine;
beforeEach(() => {
  clock = testClock(7_000);
  engine = testEngine(clock);
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
});
afterEach(() => engine.close());

const rows = () => [...engine.system.liveQueries.scan()].map(([id]) => LiveQueryIdKey.display(id));
const reg = (user: string, connectionId: string, subscriptionId: string, table = 'app.todos') =>
  engine.liveQueries.register({ user: uid(user), connectionId, subscriptionId, table: tid(table), filter: 'done = false' });

describe('live queries', () => {
  it('a registration is a system.live_queries row while it lives', () => {
    const handle = reg('alice', 'win-1', 'sub-1');
    expect(handle.id).toEqual({ user: 'alice', connection: 'win-1', subscription: 'sub-1' });
    expect(engine.system.liveQueries.get(handle.id)).toEqual({
      user_id: 'alice',
      connection_id: 'win-1',
      subscription_id: 'sub-1',
      namespace_id: 'app',
      table_name: 'todos',
      filter: 'done = false',
      status: 'active',
      created_at: 7_000,
      last_update: 7_000,
      changes: 0,
    });
    expect(engine.liveQueries.active).toBe(1);
    handle.close();
    expect(handle.closed).toBe(true);
    expect(rows()).toEqual([]);
    handle.close(); // idempotent
    expect(engine.liveQueries.active).toBe(0);
  });

  it('closing a connection removes all of its subscriptions and only those', () => {
    const a = reg('alice', 'win-1', 's1');
    reg('alice', 'win-1', 's2');
    reg('bob', 'win-1', 's1');
    const other = reg('alice', 'win-2', 's1');
    reg('alice', 'win-10', 's1');
    expect(engine.liveQueries.closeConnection('win-1')).toBe(3);
    expect(rows()).toEqual(['alice/win-10/s1', 'alice/win-2/s1']);
    expect(a.closed).toBe(true);
    expect(other.closed).toBe(false);
    expect(engine.liveQueries.closeConnection('win-1')).toBe(0);
    expect(engine.liveQueries.active).toBe(2);
  });

  it('refuses duplicates, unknown tables and invalid ids, with fields', () => {
    reg('alice', 'c', 's');
    expectError(() => reg('alice', 'c', 's'), 'ALREADY_EXISTS');
    expectError(() => reg('alice', 'c', 's2', 'app.nope'), 'NOT_FOUND');
    expectError(() => reg('alice', 'c/x', 's3'), 'VALIDATION', ['connection_id']);
    // system tables can be watched too
    expect(reg('alice', 'c', 'sys', 'system.users').closed).toBe(false);
    expectError(() => reg('alice', 'c', 'sys2', 'system.nope'), 'NOT_FOUND');
  });

  it('rows left by a crash are cleared when the engine opens again', () => {
    const path = join(dir, 'crash.sqlite');
    const first = testEngine(clock, path);
    first.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
    first.liveQueries.register({ user: uid('alice'), connectionId: 'w', subscriptionId: 's1', table: tid('app.todos') });
    first.liveQueries.register({ user: uid('bob'), connectionId: 'w', subscriptionId: 's2', table: tid('app.todos') });
    expect(first.system.liveQueries.count()).toBe(2);
    // no close(): the process "dies" with its subscriptions open
    first.close();
    const second = testEngine(clock, path);
    expect(second.system.liveQueries.count()).toBe(0);
    expect(second.liveQueries.active).toBe(0);
    // and the data survived
    expect(second.data.user(tid('app.todos')).countRows(SYSTEM_SUBJECT)).toBe(0);
    second.close();
  });
});
