import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canRead, canWrite, type Role, type TableAccess } from '../../../../shared/access';
import { rowKeyValue } from '../../../../shared/keys/row-id';
import type { Subject } from '../../access/subject';
import type { Engine } from '../../engine';
import { ADMIN, as, errorOf, expectError, issueOf, SYSTEM_SUBJECT, testEngine, tid, todoTable } from '../testing.test-support';
import type { SharedTableStore } from './shared-table-store';

let engine: Engine;
let store: SharedTableStore;
beforeEach(() => {
  engine = testEngine();
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos', { access_level: 'public' }));
  store = engine.data.shared(tid('app.todos'));
});
afterEach(() => engine.close());

const writer: Subject = { userId: null, role: 'service' };
const reader = as('someone');
const keys = (s: SharedTableStore = store, subject: Subject = reader) => [...s.scanRows(subject)].map(([k]) => rowKeyValue(k));

describe('SharedTableStore rows', () => {
  it('inserts with defaults and system columns, and reads back', () => {
    const row = store.insertRow(writer, { id: 1, title: 'first' });
    expect(row).toEqual({ id: 1, title: 'first', done: false, note: null, _seq: row._seq, _deleted: false });
    expect(store.getRow(reader, 1)).toEqual(row);
    expect(store.getRow(reader, 2)).toBeUndefined();
    expect(store.countRows(reader)).toBe(1);
  });

  it('a second insert of a live key is ALREADY_EXISTS and changes nothing', () => {
    const first = store.insertRow(writer, { id: 1, title: 'first' });
    expectError(() => store.insertRow(writer, { id: 1, title: 'again' }), 'ALREADY_EXISTS');
    expect(store.getRow(reader, 1)).toEqual(first);
  });

  it('integer keys scan in numeric order', () => {
    store.insertRows(
      writer,
      [100, 9, -3, 10, 0, 2 ** 40].map((id) => ({ id, title: `t${id}` })),
    );
    expect(keys()).toEqual([-3, 0, 9, 10, 100, 2 ** 40]);
    expect([...store.scanRows(reader, { reverse: true, limit: 2 })].map(([k]) => rowKeyValue(k))).toEqual([2 ** 40, 100]);
    expect([...store.scanRows(reader, { from: 9, before: 100 })].map(([k]) => rowKeyValue(k))).toEqual([9, 10]);
    expect([...store.scanRows(reader, { after: 9 })].map(([k]) => rowKeyValue(k))).toEqual([10, 100, 2 ** 40]);
  });

  it('insertRows is all or nothing and names the bad row and field', () => {
    store.insertRow(writer, { id: 1, title: 'one' });
    const e = expectError(() => store.insertRows(writer, [{ id: 2, title: 'two' }, { id: 3 }, { id: 4, title: 'x', colour: 'red' }]), 'VALIDATION', [
      '1.title',
    ]);
    expect(issueOf(e, '1.title')).toBe('is required');
    expectError(
      () =>
        store.insertRows(writer, [
          { id: 5, title: 'five' },
          { id: 1, title: 'dup' },
        ]),
      'ALREADY_EXISTS',
    );
    expect(keys()).toEqual([1]);
    expect(
      store.insertRows(writer, [
        { id: 2, title: 'two' },
        { id: 3, title: 'three' },
      ]),
    ).toBe(2);
    expect(keys()).toEqual([1, 2, 3]);
  });

  it('insertRows of many rows (several statements, one bulk write) replaces tombstones, refuses a live key and keeps the counts', () => {
    store.insertRow(writer, { id: 10, title: 'ten' });
    store.insertRow(writer, { id: 20, title: 'twenty' });
    store.deleteRow(writer, 20);
    const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, title: `t${from + i}` }));
    // 5,000 rows (past the bulk threshold) and the tombstoned key 20 at the end of a chunk.
    const rows = many(1000, 5000);
    rows.splice(255, 0, { id: 20, title: 'again' });
    expect(store.insertRows(writer, rows)).toBe(5001);
    expect(store.getRow(reader, 20)?.title).toBe('again');
    expect(store.getRow(reader, 5999)?.title).toBe('t5999');
    expect(store.countRows(reader)).toBe(5002);
    // The partitions' counters agree with what is stored (no tombstone left).
    expect(engine.backend.stats(store.partition).rows).toBe(5002);
    expect(engine.backend.stats(store.schema.tombstones).rows).toBe(0);
    // A live key deep in a batch fails the whole batch.
    const bad = many(7000, 300);
    bad[290] = { id: 10, title: 'dup' };
    expectError(() => store.insertRows(writer, bad), 'ALREADY_EXISTS');
    expect(store.countRows(reader)).toBe(5002);
    expect(store.getRow(reader, 7000)).toBeUndefined();
    // So does a key repeated inside the batch.
    const repeated = many(8000, 200);
    repeated[150] = { id: 8000, title: 'twice' };
    expectError(() => store.insertRows(writer, repeated), 'ALREADY_EXISTS');
    expect(engine.backend.stats(store.partition).rows).toBe(5002);
  });

  it('updateRow patches columns, keeps the key and stamps a new _seq', () => {
    const first = store.insertRow(writer, { id: 1, title: 'first', note: 'n' });
    const updated = store.updateRow(writer, 1, { done: true, note: null });
    expect(updated).toEqual({ id: 1, title: 'first', done: true, note: null, _seq: updated._seq, _deleted: false });
    expect(updated._seq).toBeGreaterThan(first._seq);
    expect(store.updateRow(writer, 1, { id: 1, title: 'same key is fine' }).title).toBe('same key is fine');
    expectError(() => store.updateRow(writer, 1, { id: 2 }), 'VALIDATION', ['id']);
    expectError(() => store.updateRow(writer, 1, { title: null }), 'VALIDATION', ['title']);
    expectError(() => store.updateRow(writer, 1, { nope: 1 }), 'VALIDATION', ['nope']);
    expectError(() => store.updateRow(writer, 1, 'x'), 'VALIDATION', ['']);
    expectError(() => store.updateRow(writer, 99, { done: true }), 'NOT_FOUND');
  });

  it('expectedSeq makes updates and deletes conditional on the version', () => {
    const v1 = store.insertRow(writer, { id: 1, title: 'first' })._seq;
    const v2 = store.updateRow(writer, 1, { done: true }, { expectedSeq: v1 })._seq;
    expectError(() => store.updateRow(writer, 1, { done: false }, { expectedSeq: v1 }), 'CONFLICT');
    expectError(() => store.deleteRow(writer, 1, { expectedSeq: v1 }), 'CONFLICT');
    expect(store.deleteRow(writer, 1, { expectedSeq: v2 })).toBe(true);
  });

  it('upsertRow inserts or replaces whole rows', () => {
    const a = store.upsertRow(writer, { id: 1, title: 'a', note: 'n' });
    const b = store.upsertRow(writer, { id: 1, title: 'b' });
    expect(b).toEqual({ id: 1, title: 'b', done: false, note: null, _seq: b._seq, _deleted: false });
    expect(b._seq).toBeGreaterThan(a._seq);
    expect(store.countRows(reader)).toBe(1);
  });

  it('the key column type is enforced on reads and writes', () => {
    expectError(() => store.getRow(reader, 'one'), 'VALIDATION', ['id']);
    expectError(() => store.insertRow(writer, { id: 1.5, title: 'x' }), 'VALIDATION', ['id']);
    expectError(() => store.deleteRow(writer, null), 'VALIDATION', ['id']);
  });
});

describe('tombstones', () => {
  beforeEach(() => {
    store.insertRows(
      writer,
      [1, 2, 3, 4].map((id) => ({ id, title: `t${id}` })),
    );
  });

  it('a delete writes a tombstone that reads hide', () => {
    expect(store.deleteRow(writer, 2)).toBe(true);
    expect(store.getRow(reader, 2)).toBeUndefined();
    expect(keys()).toEqual([1, 3, 4]);
    // The tombstone is stored: the key and a new _seq, nothing else.
    const tomb = store.get(store.schema.rowIdOf(2))!;
    expect(tomb).toEqual({ id: 2, _seq: tomb._seq, _deleted: true });
    expect(store.deleteRow(writer, 2)).toBe(false);
    expect(store.deleteRow(writer, 99)).toBe(false);
  });

  it('count excludes tombstones, with and without a cap', () => {
    store.deleteRow(writer, 1);
    store.deleteRow(writer, 3);
    expect(store.countRows(reader)).toBe(2);
    expect(store.countRows(reader, { cap: 1 })).toBe(1);
    expect(store.countRows(reader, { cap: 2 })).toBe(2);
    expect(store.countRows(reader, { cap: 10 })).toBe(2);
    expect(store.countRows(reader, { cap: 0 })).toBe(0);
    expect(store.countHot()).toBe(4); // the engine-internal count sees every stored key
  });

  it('update of a deleted row is NOT_FOUND; insert and upsert bring it back', () => {
    store.deleteRow(writer, 2);
    expectError(() => store.updateRow(writer, 2, { done: true }), 'NOT_FOUND');
    const back = store.insertRow(writer, { id: 2, title: 'back' });
    expect(store.getRow(reader, 2)).toEqual(back);
    expect(store.countRows(reader)).toBe(4);
    store.deleteRow(writer, 3);
    store.upsertRow(writer, { id: 3, title: 'up' });
    expect(store.countRows(reader)).toBe(4);
    expect(keys()).toEqual([1, 2, 3, 4]);
  });

  it('the tombstone list stays in step with the rows', () => {
    store.deleteRow(writer, 1);
    store.deleteRow(writer, 4);
    store.insertRow(writer, { id: 1, title: 'again' });
    const tombstoneKeys = [...engine.backend.scanKeys(store.schema.tombstones)].map((k) => rowKeyValue(k as never));
    expect(tombstoneKeys).toEqual([4]);
  });
});

describe('access levels, role by role, through the store', () => {
  const ROLES: Role[] = ['anonymous', 'user', 'service', 'dba', 'system'];
  const LEVELS: TableAccess[] = ['public', 'private', 'restricted', 'dba'];
  const subjectOf = (role: Role): Subject => ({ userId: null, role });

  it.each(LEVELS)('a %s table', (level) => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', `t_${level}`, { access_level: level }));
    const t = engine.data.shared(tid(`app.t_${level}`));
    expect(t.tableAccess()).toBe(level);
    t.insertRow(SYSTEM_SUBJECT, { id: 1, title: 'seed' });
    let next = 100;
    for (const role of ROLES) {
      const who = subjectOf(role);
      const reads: (() => unknown)[] = [
        () => t.getRow(who, 1),
        () => [...t.scanRows(who)],
        () => t.countRows(who),
        () => engine.data.provider(t.tableId).browse(who, { limit: 5 }),
      ];
      for (const read of reads) {
        if (canRead(role, level)) read();
        else expectError(read, 'ACCESS_DENIED');
      }
      if (canRead(role, level)) {
        expect(t.getRow(who, 1)?.title).toBe('seed');
        expect(t.countRows(who)).toBeGreaterThanOrEqual(1);
      }
      const id = next++;
      const writes: (() => unknown)[] = [
        () => t.insertRow(who, { id, title: 'w' }),
        () => t.insertRows(who, [{ id: id + 1000, title: 'w' }]),
        () => t.upsertRow(who, { id, title: 'w2' }),
        () => t.updateRow(who, id, { done: true }),
        () => t.deleteRow(who, id),
      ];
      for (const write of writes) {
        if (canWrite(role, level)) write();
        else expectError(write, 'ACCESS_DENIED');
      }
      const message = canWrite(role, level) ? undefined : (errorOf(() => t.insertRow(who, { id: 1, title: 'x' })) as Error).message;
      if (message) expect(message).toContain(`app.t_${level}`);
    }
    // what was written by the roles that may write, and nothing else
    const writers = ROLES.filter((r) => canWrite(r, level)).length;
    expect(t.countRows(SYSTEM_SUBJECT)).toBe(1 + writers);
  });

  it('the admin view (dba, no user) reads and writes a dba table', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'secret', { access_level: 'dba' }));
    const t = engine.data.shared(tid('app.secret'));
    t.insertRow(ADMIN, { id: 1, title: 'x' });
    expect(t.getRow(ADMIN, 1)?.title).toBe('x');
    expectError(() => t.getRow(as('alice', 'service'), 1), 'ACCESS_DENIED');
  });
});
