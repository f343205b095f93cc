import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowKeyValue } from '../../../../shared/keys/row-id';
import { UserRowIdKey } from '../../../../shared/keys/user-row-id';
import type { Subject } from '../../access/subject';
import type { Engine } from '../../engine';
import { ADMIN, addUsers, as, expectError, SYSTEM_SUBJECT, testEngine, tid, todoTable, uid } from '../testing.test-support';
import type { UserTableStore } from './user-table-store';

let engine: Engine;
let store: UserTableStore;
beforeEach(() => {
  engine = testEngine();
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
  store = engine.data.user(tid('app.todos'));
  addUsers(engine, 'a', 'a2', 'a.b', 'alice', 'alice2', 'b');
  // Users whose ids are prefixes of each other, and the same row keys for several users.
  for (const user of ['a', 'a2', 'a.b', 'alice', 'alice2', 'b']) {
    store.insertRows(
      as(user),
      [1, 2, 3].map((id) => ({ id, title: `${user}:${id}` })),
    );
  }
});
afterEach(() => engine.close());

const titles = (subject: Subject, options = {}) => [...store.scanRows(subject, options)].map(([, row]) => row.title as string);

describe('a user sees and writes only its own rows', () => {
  it('scans, gets and counts one user only ("a" never sees "a2" or "a.b")', () => {
    expect(titles(as('a'))).toEqual(['a:1', 'a:2', 'a:3']);
    expect(titles(as('alice'))).toEqual(['alice:1', 'alice:2', 'alice:3']);
    expect(store.countRows(as('a'))).toBe(3);
    expect(store.getRow(as('a2'), 2)?.title).toBe('a2:2');
    expect(store.getRow(as('nobody'), 2)).toBeUndefined();
    expect(titles(as('nobody'))).toEqual([]);
    expect(store.countRows(as('nobody'))).toBe(0);
  });

  it('the same key belongs to each user separately', () => {
    store.updateRow(as('a'), 1, { done: true });
    store.deleteRow(as('a'), 2);
    expect(store.getRow(as('a2'), 1)?.done).toBe(false);
    expect(store.getRow(as('a2'), 2)?.title).toBe('a2:2');
    expect(store.countRows(as('a'))).toBe(2);
    expect(store.countRows(as('a2'))).toBe(3);
    expect(store.countRows(ADMIN)).toBe(17);
    expectError(() => store.insertRow(as('a'), { id: 1, title: 'dup' }), 'ALREADY_EXISTS');
    store.insertRow(as('newcomer'), { id: 1, title: 'mine' });
    expect(titles(as('newcomer'))).toEqual(['mine']);
  });

  it('naming another user is ACCESS_DENIED for users, whatever their role', () => {
    for (const role of ['user', 'service', 'dba', 'system'] as const) {
      const alice = as('alice', role);
      expectError(() => [...store.scanRows(alice, { user: uid('a') })], 'ACCESS_DENIED');
      expectError(() => store.getRow(alice, 1, { user: uid('a') }), 'ACCESS_DENIED');
      expectError(() => store.countRows(alice, { user: uid('a') }), 'ACCESS_DENIED');
      expectError(() => store.insertRow(alice, { id: 9, title: 'x' }, { user: uid('a') }), 'ACCESS_DENIED');
      expectError(() => store.updateRow(alice, 1, { done: true }, { user: uid('a') }), 'ACCESS_DENIED');
      expectError(() => store.deleteRow(alice, 1, { user: uid('a') }), 'ACCESS_DENIED');
      // naming itself is fine; "view as" alice with any role sees alice's rows only
      expect(titles(alice, { user: uid('alice') })).toEqual(['alice:1', 'alice:2', 'alice:3']);
      expect(titles(alice)).toEqual(['alice:1', 'alice:2', 'alice:3']);
    }
    expect(titles(as('a'))).toEqual(['a:1', 'a:2', 'a:3']);
  });

  it('scans check access when called, not when first iterated', () => {
    expectError(() => store.scanRows({ userId: null, role: 'anonymous' }), 'ACCESS_DENIED');
    expectError(() => store.scanRows(as('a'), { user: uid('b') }), 'ACCESS_DENIED');
    expectError(() => store.scanRows(ADMIN, { from: 1 }), 'VALIDATION', ['user']);
  });

  it('anonymous, and users or services without a user id, are denied', () => {
    for (const subject of [
      { userId: null, role: 'anonymous' },
      { userId: uid('a'), role: 'anonymous' },
      { userId: null, role: 'user' },
      { userId: null, role: 'service' },
    ] as Subject[]) {
      expectError(() => [...store.scanRows(subject)], 'ACCESS_DENIED');
      expectError(() => store.countRows(subject), 'ACCESS_DENIED');
      expectError(() => store.insertRow(subject, { id: 9, title: 'x' }), 'ACCESS_DENIED');
      expectError(() => engine.data.provider(store.tableId).browse(subject, { limit: 5 }), 'ACCESS_DENIED');
    }
  });

  it('bounded scans stay inside the user', () => {
    expect(titles(as('a'), { from: 2 })).toEqual(['a:2', 'a:3']);
    expect(titles(as('a'), { after: 3 })).toEqual([]);
    expect(titles(as('a2'), { before: 2 })).toEqual(['a2:1']);
    expect(titles(as('a'), { reverse: true, limit: 2 })).toEqual(['a:3', 'a:2']);
  });
});

describe('the admin view (no user id, role dba or system)', () => {
  it('reads across users in (user, key) order, or one named user', () => {
    const all = [...store.scanRows(ADMIN)].map(([k]) => UserRowIdKey.display(k));
    // by user (tuple order: "a" < "a.b" < "a2" < "alice" < "alice2" < "b"), then by key
    expect(all).toEqual(['a', 'a.b', 'a2', 'alice', 'alice2', 'b'].flatMap((u) => [1, 2, 3].map((id) => `${u}/${id}`)));
    expect(all).toHaveLength(18);
    expect(titles(SYSTEM_SUBJECT, { user: uid('a2') })).toEqual(['a2:1', 'a2:2', 'a2:3']);
    expect(store.countRows(ADMIN)).toBe(18);
    expect(store.countRows(ADMIN, { user: uid('alice') })).toBe(3);
    expect(store.countRows(ADMIN, { cap: 5 })).toBe(5);
  });

  it('point reads and writes must name the owner', () => {
    expectError(() => store.getRow(ADMIN, 1), 'VALIDATION', ['user']);
    expect(store.getRow(ADMIN, 1, { user: uid('b') })?.title).toBe('b:1');
    expectError(() => store.insertRow(ADMIN, { id: 7, title: 'x' }), 'VALIDATION', ['user']);
    const row = store.insertRow(ADMIN, { id: 7, title: 'for b' }, { user: uid('b') });
    expect(store.getRow(as('b'), 7)).toEqual(row);
    expect(store.deleteRow(SYSTEM_SUBJECT, 7, { user: uid('b') })).toBe(true);
    expect(store.getRow(as('b'), 7)).toBeUndefined();
    expectError(() => [...store.scanRows(ADMIN, { from: 1 })], 'VALIDATION', ['user']);
  });

  it('keys carry their owner', () => {
    const [first] = [...store.scanRows(as('alice2'), { limit: 1 })];
    const key = first![0];
    expect(key.user).toBe('alice2');
    expect(rowKeyValue(key.row)).toBe(1);
  });
});

describe('tombstones and versions per user', () => {
  it('deletes hide rows from their owner, counts follow', () => {
    expect(store.deleteRow(as('alice'), 2)).toBe(true);
    expect(store.deleteRow(as('alice'), 2)).toBe(false);
    expect(titles(as('alice'))).toEqual(['alice:1', 'alice:3']);
    expect(store.countRows(as('alice'))).toBe(2);
    expect(store.countRows(as('alice2'))).toBe(3);
    expect(store.countRows(ADMIN)).toBe(17);
    expect(store.countRows(ADMIN, { cap: 17 })).toBe(17);
    expectError(() => store.updateRow(as('alice'), 2, { done: true }), 'NOT_FOUND');
    store.upsertRow(as('alice'), { id: 2, title: 'back' });
    expect(store.countRows(as('alice'))).toBe(3);
  });

  it('updates check the expected version', () => {
    const v = store.getRow(as('b'), 1)!._seq;
    const next = store.updateRow(as('b'), 1, { note: 'n' }, { expectedSeq: v });
    expect(next._seq).toBeGreaterThan(v);
    expectError(() => store.updateRow(as('b'), 1, { note: 'm' }, { expectedSeq: v }), 'CONFLICT');
  });
});
