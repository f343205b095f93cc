import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveQueryIdKey } from '../../../../shared/keys/live-query-id';
import { NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { TableNameSchema } from '../../../../shared/keys/table-id';
import { type UserId, UserIdSchema } from '../../../../shared/keys/user-id';
import type { LiveQuery } from '../../../../shared/system/live-queries';
import { Engine } from '../../engine';
import type { LiveQueriesStore } from './live-queries-store';

const uid = (s: string): UserId => UserIdSchema.parse(s);

let engine: Engine;
let live: LiveQueriesStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  live = engine.system.liveQueries;
});
afterEach(() => engine.close());

function query(user: string, connection: string, subscription: string): LiveQuery {
  return {
    user_id: uid(user),
    connection_id: connection,
    subscription_id: subscription,
    namespace_id: NamespaceIdSchema.parse('app'),
    table_name: TableNameSchema.parse('messages'),
    filter: null,
    status: 'active',
    created_at: 1_000,
    last_update: 1_000,
    changes: 0,
  };
}

const show = (q: LiveQuery) => `${q.user_id}/${q.connection_id}/${q.subscription_id}`;

function seed(): void {
  live.insert(query('alice', 'c2', 's1'));
  live.insert(query('alice', 'c1', 's2'));
  live.insert(query('alice', 'c1', 's1'));
  live.insert(query('alice2', 'c1', 's1'));
  live.insert(query('alic', 'c9', 's9'));
  live.insert(query('bob', 'c3', 's1'));
}

describe('ofUser', () => {
  it('lists one user only, by connection then subscription ("alice" vs "alice2" and "alic")', () => {
    seed();
    expect([...live.ofUser(uid('alice'))].map(show)).toEqual(['alice/c1/s1', 'alice/c1/s2', 'alice/c2/s1']);
    expect([...live.ofUser(uid('alice2'))].map(show)).toEqual(['alice2/c1/s1']);
    expect([...live.ofUser(uid('alic'))].map(show)).toEqual(['alic/c9/s9']);
    expect([...live.ofUser(uid('bob'))].map(show)).toEqual(['bob/c3/s1']);
    expect([...live.ofUser(uid('carol'))]).toEqual([]);
  });

  it('keys a query by (user, connection, subscription)', () => {
    seed();
    expect(live.get(LiveQueryIdKey.parse('alice/c1/s2'))?.subscription_id).toBe('s2');
    expect(live.get(LiveQueryIdKey.parse('alice2/c1/s2'))).toBeUndefined();
    expect(() => live.insert(query('alice', 'c1', 's2'))).toThrow(/already exists/);
  });
});

describe('clearAll', () => {
  it('removes every live query and says how many', () => {
    seed();
    expect(live.clearAll()).toBe(6);
    expect(live.count()).toBe(0);
    expect([...live.ofUser(uid('alice'))]).toEqual([]);
    expect(live.clearAll()).toBe(0);
    // Other system tables are untouched.
    expect(engine.system.users.count()).toBe(1);
  });

  it('clears more than one scan chunk', () => {
    for (let i = 0; i < 300; i++) live.insert(query(`u${i % 7}`, `c${i}`, 's'));
    expect(live.clearAll()).toBe(300);
    expect(live.count()).toBe(0);
  });
});
