/**
 * SUBSCRIBE TO through the contract (sql.subscribe), on the demo data: the result, then the rows
 * that appear, change and go as the tables it reads are written (by the console and by the row
 * procedures), its rows in system.live_queries while it runs, a user's own rows only, and errors
 * as a typed event at their position.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlLiveEvent, SqlOutcome } from '../../shared/sql/sql-results';
import { seedDemo } from './demo';
import { resultChanges } from './sql-live';
import { type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = openHarness();
  await h.services.ready;
  seedDemo(h.engine);
});
afterEach(() => h.close());

const BOB = { userId: 'u_bob' };
const ALICE = { userId: 'u_alice' };

async function subscribe(script: string, as?: { userId: string }) {
  const stream = await h.client.sql.subscribe({ script, ...(as ? { as } : {}) });
  return {
    next: async (): Promise<SqlLiveEvent> => {
      const r = await stream.next();
      expect(r.done).toBe(false);
      return r.value as SqlLiveEvent;
    },
    end: () => stream.return(undefined),
  };
}

async function rows(script: string, as?: { userId: string }): Promise<unknown[][]> {
  const r = await h.client.sql.run({ script, ...(as ? { as } : {}) });
  expect(r.error).toBeUndefined();
  return (r.outcomes.at(-1) as Extract<SqlOutcome, { kind: 'rows' }>).page.rows;
}

async function write(script: string, as?: { userId: string }): Promise<void> {
  expect((await h.client.sql.run({ script, ...(as ? { as } : {}) })).error).toBeUndefined();
}

describe('SUBSCRIBE TO', () => {
  it('sends the result, then rows inserted, updated and deleted as they change; listed in system.live_queries while it runs', async () => {
    const statement = 'SUBSCRIBE TO SELECT id, name, price FROM demo.products WHERE price < 100 ORDER BY id';
    const live = await subscribe(statement);
    const first = await live.next();
    expect(first).toMatchObject({
      type: 'result',
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
        { name: 'price', type: 'double' },
      ],
      keyColumns: [0],
      rows: [
        [1, 'Keyboard', 49.9],
        [2, 'Mouse', 19.5],
      ],
      truncated: false,
    });
    const ids = (first as Extract<SqlLiveEvent, { type: 'result' }>).liveQueryIds;
    expect(ids).toHaveLength(1);
    expect(await rows("SELECT namespace_id, table_name, filter FROM system.live_queries WHERE filter LIKE 'SUBSCRIBE%'")).toEqual([
      ['demo', 'products', statement],
    ]);

    await write("INSERT INTO demo.products (id, name, price) VALUES (4, 'Cable', 5)");
    expect(await live.next()).toEqual({ type: 'changes', inserted: [[4, 'Cable', 5]], updated: [], deleted: [], truncated: false });
    // Through the row procedures as well (the same change feed).
    const { version } = await h.client.rows.get({ table: 'demo.products', key: '2' });
    await h.client.rows.update({ table: 'demo.products', key: '2', version, values: { price: 25 } });
    expect(await live.next()).toEqual({ type: 'changes', inserted: [], updated: [[2, 'Mouse', 25]], deleted: [], truncated: false });
    // A row that leaves the WHERE goes; a deleted one too.
    await write('UPDATE demo.products SET price = 500 WHERE id = 1; DELETE FROM demo.products WHERE id = 4');
    const gone: unknown[][] = [];
    while (gone.length < 2) {
      const e = await live.next();
      expect(e).toMatchObject({ type: 'changes', inserted: [], updated: [] });
      gone.push(...(e as Extract<SqlLiveEvent, { type: 'changes' }>).deleted);
    }
    expect(gone).toEqual([
      [1, 'Keyboard', 49.9],
      [4, 'Cable', 5],
    ]);

    await live.end();
    expect(await rows("SELECT count(*) FROM system.live_queries WHERE filter LIKE 'SUBSCRIBE%'")).toEqual([[0]]);
  });

  it('as a user (or EXECUTE AS): that user’s rows only; other users’ writes change nothing', async () => {
    const live = await subscribe('SUBSCRIBE TO SELECT _user, id, title FROM demo.notes ORDER BY id', BOB);
    expect(await live.next()).toMatchObject({
      type: 'result',
      keyColumns: [0, 1],
      rows: [
        ['u_bob', 1, 'Groceries'],
        ['u_bob', 2, 'Call the plumber'],
      ],
    });
    // Alice's note re-runs the query (same table) but changes nothing in Bob's result: the next event is Bob's own row.
    await write("INSERT INTO demo.notes (id, title) VALUES (3, 'alice only')", ALICE);
    await write("INSERT INTO demo.notes (id, title) VALUES (5, 'bob''s')", BOB);
    expect(await live.next()).toEqual({ type: 'changes', inserted: [['u_bob', 5, "bob's"]], updated: [], deleted: [], truncated: false });
    await live.end();

    const as = await subscribe('EXECUTE AS USER bob (SUBSCRIBE TO SELECT count(*) FROM demo.notes)');
    expect(await as.next()).toMatchObject({ type: 'result', keyColumns: [], rows: [[3]] });
    await write("INSERT INTO demo.notes (id, title) VALUES (6, 'again')", BOB);
    // Without a key, a row that changed is the old one gone and the new one come.
    expect(await as.next()).toEqual({ type: 'changes', inserted: [[4]], updated: [], deleted: [[3]], truncated: false });
    await as.end();
  });

  it('a result past the limit is cut and says so', async () => {
    const stream = await h.client.sql.subscribe({ script: 'SUBSCRIBE TO SELECT id FROM demo.products ORDER BY id', limit: 2 });
    expect((await stream.next()).value).toMatchObject({ type: 'result', rows: [[1], [2]], truncated: true });
    await stream.return(undefined);
  });

  it('ends with a typed error at its position: bad SQL, not a query, another statement, no right to read, a table dropped under it', async () => {
    const cases: [string, string, number][] = [
      ['SUBSCRIBE TO SELECT nope FROM demo.products', 'UNKNOWN_COLUMN', 21],
      ['SUBSCRIBE TO INSERT INTO demo.products (id) VALUES (9)', 'SYNTAX', 14],
      ['SELECT 1', 'NOT_SUPPORTED', 1],
      ['SUBSCRIBE TO SELECT 1; SELECT 2', 'NOT_SUPPORTED', 24],
    ];
    for (const [script, code, column] of cases) {
      const live = await subscribe(script);
      expect(await live.next(), script).toMatchObject({ type: 'error', error: { code, statement: 0, position: { line: 1, column } } });
      await live.end();
    }
    const denied = await subscribe('SUBSCRIBE TO SELECT * FROM system.users', BOB);
    expect(await denied.next()).toMatchObject({ type: 'error', error: { code: 'ACCESS_DENIED' } });

    const live = await subscribe('SUBSCRIBE TO SELECT id FROM demo.products');
    expect((await live.next()).type).toBe('result');
    await write('DROP TABLE demo.products');
    expect(await live.next()).toMatchObject({ type: 'error', error: { code: 'UNKNOWN_TABLE' } });
    // sql.run refuses it: a result that stays open needs the stream.
    expect((await h.client.sql.run({ script: 'SUBSCRIBE TO SELECT 1' })).error).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(await rows('SELECT count(*) FROM system.live_queries')).toEqual([[0]]);
  });
});

describe('resultChanges', () => {
  it('pairs rows by key, or by the whole row (repeats in order)', () => {
    expect(
      resultChanges(
        [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ],
        [
          [1, 'a'],
          [2, 'B'],
          [4, 'd'],
        ],
        [0],
      ),
    ).toEqual({
      inserted: [[4, 'd']],
      updated: [[2, 'B']],
      deleted: [[3, 'c']],
    });
    expect(resultChanges([['x'], ['x'], ['y']], [['x'], ['y'], ['y']], [])).toEqual({ inserted: [['y']], updated: [], deleted: [['x']] });
  });
});
