import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { ADMIN, addUsers, as, expectError, SYSTEM_SUBJECT, testEngine, tid, todoTable, uid } from './testing.test-support';

let engine: Engine;
beforeEach(() => {
  engine = testEngine();
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'items', { access_level: 'public' }));
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'notes'));
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
  addUsers(engine, 'alice');
});
afterEach(() => engine.close());

describe('data-table stores hold their hot rows, they are not EntityStores', () => {
  it('offer no EntityStore write or read that would skip _seq, tombstones, the change feed or flushed rows', () => {
    const stores = [engine.data.shared(tid('app.items')), engine.data.user(tid('app.notes')), engine.data.stream(tid('app.events'))];
    for (const store of stores) {
      // Each of these compiled (and ran) on the stores when they extended EntityStore.
      // @ts-expect-error put would store a row without _seq and without an event
      expect(store.put, store.kind).toBeUndefined();
      // @ts-expect-error putMany, likewise
      expect(store.putMany, store.kind).toBeUndefined();
      // @ts-expect-error delete would remove a row without a tombstone
      expect(store.delete, store.kind).toBeUndefined();
      // @ts-expect-error deleteMany, likewise
      expect(store.deleteMany, store.kind).toBeUndefined();
      // @ts-expect-error scan would see hot rows only, tombstones included
      expect(store.scan, store.kind).toBeUndefined();
      // @ts-expect-error exists would miss flushed rows and count tombstones
      expect(store.exists, store.kind).toBeUndefined();
      // @ts-expect-error count would count hot keys, not visible rows (countRows; countHot says what it counts)
      expect(store.count, store.kind).toBeUndefined();
      // @ts-expect-error data tables have no secondary indexes
      expect(store.indexes, store.kind).toBeUndefined();
    }
  });

  it('shared and user tables are one implementation: the same row rules, different key spaces', () => {
    const items = engine.data.shared(tid('app.items'));
    const notes = engine.data.user(tid('app.notes'));
    expect(Object.getPrototypeOf(items)).toBe(Object.getPrototypeOf(notes));
    const item = items.insertRow(ADMIN, { id: 1, title: 'shared' });
    const note = notes.insertRow(as('alice'), { id: 1, title: 'mine' });
    expect(items.getRow(as('bob'), 1)).toEqual(item);
    expect(notes.getRow(as('alice'), 1)).toEqual(note);
    expect(notes.getRow(ADMIN, 1, { user: uid('alice') })).toEqual(note);
    expect(items.parseDisplayKey('1')).toEqual(items.schema.rowIdOf(1));
    expect(notes.ownerOf(notes.parseDisplayKey('alice/1'))).toBe('alice');
    expect(items.ownerOf(items.parseDisplayKey('1'))).toBeUndefined();
    expect([items.tableAccess(), notes.tableAccess()]).toEqual(['public', 'public']);
  });

  it('a shared table refuses an owner: its rows have none (VALIDATION on "user", nothing written)', () => {
    const items = engine.data.shared(tid('app.items'));
    expectError(() => items.insertRow(ADMIN, { id: 1, title: 'x' }, { user: uid('alice') }), 'VALIDATION', ['user']);
    expectError(() => items.getRow(ADMIN, 1, { user: uid('alice') }), 'VALIDATION', ['user']);
    expectError(() => items.countRows(ADMIN, { user: uid('alice') }), 'VALIDATION', ['user']);
    expect(items.countRows(ADMIN)).toBe(0);
    expect(items.countHot()).toBe(0);
  });
});
