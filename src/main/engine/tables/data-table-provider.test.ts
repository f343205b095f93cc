import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowseRequest, RowPage } from '../../../shared/browse';
import { KeyError } from '../../../shared/keys/key-codec';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { SCAN_BUDGET } from '../provider/entity-table-provider';
import type { DataTableProvider } from './data-table-provider';
import { ADMIN, addUsers, as, expectError, SYSTEM_SUBJECT, testEngine, tid, todoTable, uid } from './testing.test-support';

let engine: Engine;
let shared: DataTableProvider;
beforeEach(() => {
  engine = testEngine();
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos', { access_level: 'public' }));
  // ids 1 … 30; every 3rd done; every 4th has a note; titles T01 … T30
  engine.data.shared(tid('app.todos')).insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 30 }, (_, i) => ({
      id: i + 1,
      title: `T${String(i + 1).padStart(2, '0')}`,
      done: (i + 1) % 3 === 0,
      note: (i + 1) % 4 === 0 ? `n${i + 1}` : null,
    })),
  );
  shared = engine.data.provider(tid('app.todos'));
});
afterEach(() => engine.close());

const reader = as('reader');
const keysOf = (pages: RowPage[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

function walk(provider: DataTableProvider, subject: Subject, request: Omit<BrowseRequest, 'cursor'>): RowPage[] {
  const backward = request.direction === 'backward';
  const pages = [provider.browse(subject, request)];
  for (;;) {
    const cursor = backward ? pages[pages.length - 1]!.prev : pages[pages.length - 1]!.next;
    if (cursor === undefined) return pages;
    pages.push(provider.browse(subject, { ...request, cursor }));
    if (pages.length > 1000) throw new Error('runaway');
  }
}

describe('columns', () => {
  it('shared: the table columns with their key, then _seq', () => {
    expect(shared.kind).toBe('shared');
    expect(shared.access).toBe('public');
    expect(shared.tableId).toEqual({ namespace: 'app', table: 'todos' });
    expect(shared.columns()).toEqual([
      { name: 'id', type: 'integer', nullable: false, primaryKey: true },
      { name: 'title', type: 'text', nullable: false, primaryKey: false },
      { name: 'done', type: 'boolean', nullable: false, primaryKey: false },
      { name: 'note', type: 'text', nullable: true, primaryKey: false },
      { name: '_seq', type: 'integer', nullable: false, primaryKey: false },
    ]);
  });

  it('user tables start with _user (part of the key); stream tables key on (_user, _seq) and show _ts', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
    const user = engine.data.provider(tid('app.mine'));
    const stream = engine.data.provider(tid('app.events'));
    expect(user.access).toBe('public');
    expect(user.columns().map((c) => [c.name, c.primaryKey])).toEqual([
      ['_user', true],
      ['id', true],
      ['title', false],
      ['done', false],
      ['note', false],
      ['_seq', false],
    ]);
    expect(stream.columns().map((c) => [c.name, c.type, c.primaryKey])).toEqual([
      ['_user', 'text', true],
      ['id', 'integer', false],
      ['title', 'text', false],
      ['done', 'boolean', false],
      ['note', 'text', false],
      ['_seq', 'integer', true],
      ['_ts', 'timestamp', false],
    ]);
  });
});

describe('browse', () => {
  it('pages forward in numeric key order with prev/next exactly at the ends', () => {
    const pages = walk(shared, reader, { limit: 8 });
    expect(pages.map((p) => p.rows.length)).toEqual([8, 8, 8, 6]);
    expect(keysOf(pages)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(pages.map((p) => [p.prev !== undefined, p.next !== undefined])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(pages[0]!.rows[2]).toEqual({ key: '3', values: { id: 3, title: 'T03', done: true, note: null, _seq: 3 }, version: '3' });
  });

  it('pages backward from the end, and desc by the key', () => {
    const back = walk(shared, reader, { limit: 7, direction: 'backward' });
    expect([...back].reverse().flatMap((p) => p.rows.map((r) => r.key))).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    const desc = walk(shared, reader, { limit: 7, sort: { column: 'id', order: 'desc' } });
    expect(keysOf(desc)).toEqual(Array.from({ length: 30 }, (_, i) => String(30 - i)));
  });

  it('sorting by a column that is not part of the key is a field error', () => {
    expectError(() => shared.browse(reader, { limit: 5, sort: { column: 'title', order: 'asc' } }), 'VALIDATION', ['sort.column']);
    expectError(() => shared.browse(reader, { limit: 5, sort: { column: 'nope', order: 'asc' } }), 'VALIDATION', ['sort.column']);
    expectError(() => shared.browse(reader, { limit: 5, sort: { column: '_seq', order: 'asc' } }), 'VALIDATION', ['sort.column']);
  });

  it('filters by value, numerically for numbers, on system columns too', () => {
    const keys = (filters: BrowseRequest['filters']) => keysOf(walk(shared, reader, { limit: 4, filters }));
    expect(keys([{ column: 'done', op: 'eq', value: true }])).toEqual(['3', '6', '9', '12', '15', '18', '21', '24', '27', '30']);
    expect(
      keys([
        { column: 'id', op: 'lt', value: '10' },
        { column: 'note', op: 'not_null' },
      ]),
    ).toEqual(['4', '8']);
    expect(keys([{ column: 'title', op: 'starts_with', value: 't2' }])).toEqual(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29']);
    expect(keys([{ column: '_seq', op: 'gte', value: 29 }])).toEqual(['29', '30']);
    expectError(() => shared.browse(reader, { limit: 4, filters: [{ column: 'x', op: 'eq', value: 1 }] }), 'VALIDATION', ['filters.0.column']);
  });

  it('seeks to a key (inclusive), with a way back', () => {
    const page = shared.browse(reader, { limit: 3, seek: '10' });
    expect(page.rows.map((r) => r.key)).toEqual(['10', '11', '12']);
    expect(page.prev).toBeDefined();
    expect(shared.browse(reader, { limit: 3, cursor: page.prev!, direction: 'backward' }).rows.map((r) => r.key)).toEqual(['7', '8', '9']);
    expect(() => shared.browse(reader, { limit: 3, seek: 'ten' })).toThrow(KeyError);
  });

  it('hides tombstones from pages and counts, though they count as scanned', () => {
    const store = engine.data.shared(tid('app.todos'));
    for (let id = 1; id <= 10; id++) store.deleteRow(SYSTEM_SUBJECT, id);
    const page = shared.browse(reader, { limit: 5 });
    expect(page.rows.map((r) => r.key)).toEqual(['11', '12', '13', '14', '15']);
    expect(page.scanned).toBe(15);
    expect(keysOf(walk(shared, reader, { limit: 6 }))).toHaveLength(20);
    expect(shared.count(reader)).toBe(20);
    expect(shared.count(reader, 5)).toBe(5);
    expect(shared.get(reader, '3')).toBeUndefined();
  });

  it('stops after the scan budget with a cursor to go on', () => {
    const store = engine.data.shared(tid('app.todos'));
    store.insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: SCAN_BUDGET + 10 }, (_, i) => ({ id: 1000 + i, title: 'bulk' })),
    );
    const first = shared.browse(reader, { limit: 5, filters: [{ column: 'title', op: 'eq', value: 'nothing' }] });
    expect(first.rows).toEqual([]);
    expect(first.scanned).toBe(SCAN_BUDGET);
    expect(first.next).toBeDefined();
    const second = shared.browse(reader, { limit: 5, cursor: first.next!, filters: [{ column: 'title', op: 'eq', value: 'nothing' }] });
    expect(second.scanned).toBe(40);
    expect(second.next).toBeUndefined();
  });

  it('follows the access level of shared tables', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'ops', { access_level: 'dba' }));
    const ops = engine.data.provider(tid('app.ops'));
    for (const fn of [() => ops.browse(reader, { limit: 5 }), () => ops.count(reader), () => ops.get(reader, '1')]) expectError(fn, 'ACCESS_DENIED');
    expect(ops.browse(ADMIN, { limit: 5 }).rows).toEqual([]);
  });
});

describe('get by display key', () => {
  it('reads integer, text and quoted keys', () => {
    expect(shared.get(reader, '7')?.values.title).toBe('T07');
    expect(shared.get(reader, '99')).toBeUndefined();
    expect(() => shared.get(reader, 'abc')).toThrow(KeyError);
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'app',
      name: 'dict',
      type: 'shared',
      access_level: 'public',
      columns: [
        { name: 'word', type: 'text', primary_key: true },
        { name: 'meaning', type: 'json' },
      ],
    });
    const store = engine.data.shared(tid('app.dict'));
    store.insertRows(SYSTEM_SUBJECT, [
      { word: '42', meaning: { n: 42 } },
      { word: 'apple', meaning: ['fruit'] },
      { word: 'a/b', meaning: null },
    ]);
    const dict = engine.data.provider(tid('app.dict'));
    const rows = dict.browse(reader, { limit: 10 }).rows;
    expect(rows.map((r) => r.key)).toEqual(['"42"', 'a/b', 'apple']);
    for (const r of rows) expect(dict.get(reader, r.key)).toEqual(r);
    expect(dict.get(reader, '42')?.values.meaning).toEqual({ n: 42 });
  });

  it('user tables: "<user>/<key>", only within the subject\'s own rows', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = engine.data.user(tid('app.mine'));
    store.insertRow(as('alice'), { id: 1, title: 'a1' });
    store.insertRow(as('alice2'), { id: 1, title: 'b1' });
    const mine = engine.data.provider(tid('app.mine'));
    const a1 = mine.get(as('alice'), 'alice/1');
    expect(a1).toEqual({
      key: 'alice/1',
      values: { _user: 'alice', id: 1, title: 'a1', done: false, note: null, _seq: expect.any(Number) as number },
      version: String(a1?.values._seq),
    });
    expect(mine.get(as('alice'), 'alice2/1')).toBeUndefined();
    expect(mine.get(ADMIN, 'alice2/1')?.values.title).toBe('b1');
    expect(() => mine.get(ADMIN, '1')).toThrow(KeyError);
    expect(mine.browse(as('alice'), { limit: 10 }).rows.map((r) => r.key)).toEqual(['alice/1']);
    expect(mine.browse(ADMIN, { limit: 10, filters: [{ column: '_user', op: 'eq', value: 'alice2' }] }).rows.map((r) => r.key)).toEqual(['alice2/1']);
    expect(mine.count(as('alice'))).toBe(1);
    expect(mine.count(ADMIN)).toBe(2);
    expect(mine.browse(ADMIN, { limit: 10, sort: { column: '_user', order: 'desc' } }).rows.map((r) => r.key)).toEqual(['alice2/1', 'alice/1']);
    addUsers(engine, 'alice');
    store.insertRow(ADMIN, { id: 2, title: 'a2' }, { user: uid('alice') });
    expect(mine.browse(as('alice'), { limit: 10, seek: 'alice/2' }).rows.map((r) => r.key)).toEqual(['alice/2']);
  });

  it('stream tables: "<user>/<seq>"', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
    const [id, row] = engine.data.stream(tid('app.events')).appendRow(as('bob'), { id: 5, title: 'e' });
    const events = engine.data.provider(tid('app.events'));
    const key = `bob/${id.seq}`;
    expect(events.get(as('bob'), key)).toEqual({
      key,
      values: { _user: 'bob', id: 5, title: 'e', done: false, note: null, _seq: row._seq, _ts: row._ts },
      version: String(row._seq),
    });
    expect(events.get(as('carol'), key)).toBeUndefined();
    expect(events.browse(as('bob'), { limit: 5, sort: { column: '_seq', order: 'desc' } }).rows.map((r) => r.key)).toEqual([key]);
  });
});
