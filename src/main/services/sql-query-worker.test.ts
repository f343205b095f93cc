/**
 * The SQL console's queries in the query worker (a worker thread with its own connection), through
 * the contract: the main event loop keeps turning while a long query runs, sql.cancel and the
 * statement timeout stop it, a dead worker is replaced, and results (pages, EXPLAIN, a user's
 * rows, errors with their positions) equal those of the same services running queries in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/logger';
import type { SqlOutcome, SqlRunResult } from '../../shared/sql/sql-results';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import { Engine } from '../engine/engine';
import { runFlush } from '../engine/flush/flush-job';
import { testJobContext } from '../engine/flush/testing/flush.test-support';
import { type AppServices, createServices } from './app-services';
import { seedDemo } from './demo';
import { expectError } from './test-support';

/** The worker's entry runs as TypeScript here (tsx); builds run out/main/query-worker.js. */
const WORKER = join(import.meta.dirname, '../engine/sql/query-worker.ts');
const CRASHING = join(import.meta.dirname, '../engine/sql/testing/query-worker-crash-child.ts');

/** Four copies of a 400-row table: 2.56e10 rows to count, far beyond any test's time. */
const ENDLESS = 'SELECT count(*) FROM app.nums a, app.nums b, app.nums c, app.nums d';

let dir: string;
let engine: Engine;
const logged: string[] = [];
const opened: AppServices[] = [];

function services(workerPath: string | undefined) {
  const s = createServices({
    engine,
    mode: 'web',
    dataDir: dir,
    logPath: '',
    appVersion: 'test',
    logger: { ...silentLogger, error: (message) => logged.push(message) },
    jobs: { scheduleEveryMs: 0 },
    ...(workerPath ? { sql: { workerPath, workerExecArgv: ['--import', 'tsx'] } } : {}),
  });
  opened.push(s);
  return createRouterClient(s.router, { context: s.context('test-connection') });
}

let worker: ReturnType<typeof services>;
let local: ReturnType<typeof services>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-query-worker-'));
  engine = Engine.openDataDir(dir);
  seedDemo(engine);
  engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'app',
    name: 'nums',
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'k', type: 'integer', nullable: false },
    ],
  });
  const nums = engine.data.shared({ namespace: 'app', table: 'nums' } as never);
  nums.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 200 }, (_, i) => ({ id: i, k: i % 7 })),
  );
  // Half of the rows flushed to Parquet, then some of those updated and deleted (hot versions, tombstones).
  await runFlush(engine, { table: 'app.nums', rowGroupRows: 50 }, testJobContext());
  nums.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 200 }, (_, i) => ({ id: 200 + i, k: i % 5 })),
  );
  for (let id = 0; id < 200; id += 9) nums.updateRow(SYSTEM_SUBJECT, id, { k: 100 });
  for (let id = 4; id < 200; id += 11) nums.deleteRow(SYSTEM_SUBJECT, id);
  worker = services(WORKER);
  local = services(undefined);
  await Promise.all(opened.map((s) => s.ready));
  // The worker starts with the first query.
  expect(rowsOf(await worker.sql.run({ script: 'SELECT 1' }))).toEqual([[1]]);
}, 60_000);

afterAll(() => {
  for (const s of opened) s.close();
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

function rowsOf(result: SqlRunResult, index = 0): unknown[][] {
  expect(result.error).toBeUndefined();
  const outcome = result.outcomes[index] as Extract<SqlOutcome, { kind: 'rows' }>;
  expect(outcome.kind).toBe('rows');
  return outcome.page.rows;
}

/** A run's outcomes without what differs between two runs of the same script (result ids, cursors, durations). */
async function everything(client: typeof worker, script: string, as?: { userId: string }) {
  const result = await client.sql.run({ script, pageSize: 7, ...(as ? { as } : {}) });
  const outcomes = [];
  for (const o of result.outcomes) {
    if (o.kind !== 'rows') {
      outcomes.push({ kind: o.kind, verb: o.verb });
      continue;
    }
    const rows = [...o.page.rows];
    let next = o.page.next;
    while (next) {
      const page = await client.sql.page({ cursor: next, pageSize: 7, ...(as ? { as } : {}) });
      rows.push(...page.rows);
      next = page.next;
    }
    outcomes.push({ kind: o.kind, verb: o.verb, columns: o.columns, rows });
  }
  return { outcomes, error: result.error };
}

/** Counts turns of the main event loop until stopped. */
function loopTurns() {
  let turns = 0;
  let on = true;
  const turn = () => {
    turns++;
    if (on) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    get turns() {
      return turns;
    },
    stop: () => void (on = false),
  };
}

describe('queries in the query worker', () => {
  it('a long query leaves the main event loop free; sql.cancel ends it with CANCELLED and the next query answers', async () => {
    const loop = loopTurns();
    let settled = false;
    const running = worker.sql.run({ script: `SELECT 1; ${ENDLESS}; SELECT 3`, runId: 'long-one' }).finally(() => (settled = true));
    try {
      // On the main thread the count would hold the loop for hours: here it turns while the count runs.
      await vi.waitFor(() => expect(loop.turns).toBeGreaterThan(200), { timeout: 10_000, interval: 5 });
      expect(settled).toBe(false);
      // Other calls are answered meanwhile (rows.get runs on the main thread).
      expect((await worker.rows.get({ table: 'app.nums', key: '250' })).row.values).toMatchObject({ id: 250, k: 0 });
      expect(settled).toBe(false);
    } finally {
      loop.stop();
      expect(await worker.sql.cancel({ runId: 'long-one' })).toEqual({ cancelled: true });
    }
    const result = await running;
    expect(result.outcomes).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'CANCELLED', statement: 1, position: { line: 1, column: 11 } });
    expect(rowsOf(await worker.sql.run({ script: 'SELECT count(*) FROM app.nums' }))).toEqual([[382]]);
    // A cancel of a run that is not running is a no-op.
    expect(await worker.sql.cancel({ runId: 'long-one' })).toEqual({ cancelled: false });
  });

  it('stops a query past its statement timeout with TIMEOUT', async () => {
    const result = await worker.sql.run({ script: ENDLESS, timeoutMs: 100 });
    expect(result.error).toMatchObject({ code: 'TIMEOUT', statement: 0 });
    expect(rowsOf(await worker.sql.run({ script: 'SELECT max(id) FROM app.nums' }))).toEqual([[399]]);
  });

  it('answers exactly as the in-process path: pages, hot and flushed rows, joins, aggregates, EXPLAIN, a user’s rows, errors', async () => {
    const scripts = [
      'SELECT * FROM app.nums',
      'SELECT k, count(*), sum(id), min(_seq) > 0 FROM app.nums GROUP BY k HAVING count(*) > 1 ORDER BY k',
      'SELECT a.id, b.id FROM app.nums a JOIN app.nums b ON b.id = a.id + 200 WHERE a.id BETWEEN 10 AND 40 ORDER BY 1',
      'SELECT id, name, price FROM demo.products ORDER BY price DESC; SELECT username, role FROM system.users ORDER BY username',
      'EXPLAIN SELECT * FROM app.nums WHERE id = 5',
      'EXPLAIN SELECT * FROM app.nums n JOIN demo.products p ON p.id = n.k WHERE n.id >= 10',
      'SELECT id FROM app.nums WHERE nope = 1',
      'SELECT id FROM app.nowhere',
      'SELECT 1; BEGIN; INSERT INTO app.nums (id, k) VALUES (1000, 1); SELECT count(*) FROM app.nums; ROLLBACK; SELECT count(*) FROM app.nums',
    ];
    for (const script of scripts) {
      const ours = await everything(worker, script);
      expect(ours, script).toEqual(await everything(local, script));
    }
    // As a plain user: its own rows of a user table only, in the worker as in-process.
    const user = { userId: 'u_bob' };
    for (const script of ['SELECT * FROM demo.notes ORDER BY 1, 2', 'SELECT count(*) FROM demo.notes', 'SELECT * FROM app.nums WHERE id < 3']) {
      const ours = await everything(worker, script, user);
      expect(ours, script).toEqual(await everything(local, script, user));
    }
    expect((await everything(worker, 'SELECT * FROM app.nums')).outcomes[0]!.rows).toHaveLength(382);
  });

  it('sees DDL and writes made on the main connection at its next query', async () => {
    await worker.sql.run({ script: 'CREATE SHARED TABLE app.later (id INT PRIMARY KEY, note TEXT)' });
    expect(rowsOf(await worker.sql.run({ script: 'SELECT count(*) FROM app.later' }))).toEqual([[0]]);
    await worker.sql.run({ script: "INSERT INTO app.later (id, note) VALUES (1, 'a'); ALTER TABLE app.later ADD COLUMN extra INT" });
    expect(rowsOf(await worker.sql.run({ script: 'SELECT id, note, extra FROM app.later' }))).toEqual([[1, 'a', null]]);
  });
});

describe('SUBSCRIBE TO with the query worker', () => {
  it('runs its query again in the worker as rows change', async () => {
    const stream = await worker.sql.subscribe({ script: 'SUBSCRIBE TO SELECT id, k FROM app.nums WHERE id >= 398 ORDER BY id' });
    expect((await stream.next()).value).toMatchObject({
      type: 'result',
      keyColumns: [0],
      rows: [
        [398, 3],
        [399, 4],
      ],
    });
    await worker.sql.run({ script: 'INSERT INTO app.nums (id, k) VALUES (400, 9)' });
    expect((await stream.next()).value).toEqual({ type: 'changes', inserted: [[400, 9]], updated: [], deleted: [], truncated: false });
    await stream.return(undefined);
    await worker.sql.run({ script: 'DELETE FROM app.nums WHERE id = 400' });
  });
});

describe('a dead query worker', () => {
  it('is replaced: the query it was running fails with a typed error, its open results are gone, the next query answers', async () => {
    const client = services(CRASHING);
    const open = await client.sql.run({ script: 'SELECT id FROM app.nums ORDER BY id', pageSize: 10 });
    const cursor = (open.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).page.next!;
    const crashed = await client.sql.run({ script: "SELECT 'crash-the-worker' FROM app.nums" });
    expect(crashed.error).toMatchObject({ code: 'EXECUTION', statement: 0 });
    expect(crashed.error?.message).toMatch(/query worker stopped .*exit code 7/);
    await expectError(client.sql.page({ cursor }), 'NOT_FOUND');
    const again = 'SELECT count(*) FROM app.nums WHERE k = 100';
    expect(rowsOf(await client.sql.run({ script: again }))).toEqual(rowsOf(await local.sql.run({ script: again })));
    expect(logged).toEqual([]);
  });
});

describe('primary-key point lookups', () => {
  /** The same query through the plain plan: a WHERE with one more conjunct is no point lookup. */
  const plain = (q: string) => `${q} AND 1 = 1`;
  const explained = async (q: string, as?: { userId: string }) =>
    rowsOf(await worker.sql.run({ script: `EXPLAIN ${q}`, ...(as ? { as } : {}) }))[0]!.slice(2, 4);
  const seq: unknown = expect.any(Number);

  it('read hot, flushed, updated and deleted after the flush, and missing keys in place, byte-identical to the plain plan', async () => {
    const cases: [string, unknown[][]][] = [
      // Hot.
      ['SELECT * FROM app.nums WHERE id = 250', [[250, 0, seq]]],
      // Flushed.
      ['SELECT * FROM app.nums WHERE id = 10', [[10, 3, seq]]],
      // Flushed, then updated: the hot version.
      ['SELECT k, id FROM app.nums WHERE id = 9', [[100, 9]]],
      // Flushed, then deleted: the tombstone hides it.
      ['SELECT * FROM app.nums WHERE id = 15', []],
      ['SELECT * FROM app.nums WHERE id = 5000', []],
      ['SELECT * FROM app.nums WHERE id = -1', []],
      // Projections: aliases, qualified columns and stars, a column twice, the key on the right.
      ['SELECT n.k AS "the k", id, n.*, k FROM app.nums AS n WHERE 10 = n.id', [[3, 10, 10, 3, seq, 3]]],
      ['SELECT _seq, id FROM app.nums WHERE id == 399', [[seq, 399]]],
    ];
    for (const [q, rows] of cases) {
      const ours = await everything(worker, q);
      expect(ours.outcomes[0]?.rows, q).toEqual(rows);
      // Same names, types and values (INTEGERs as integers) as the plain plan.
      expect(ours, q).toEqual(await everything(worker, plain(q)));
      expect((await explained(q))[0], q).toBe('key lookup');
      expect((await explained(q))[1], q).toMatch(/^key eq -?\d+, one read of the key in place$/);
      expect((await explained(plain(q)))[1], q).not.toMatch(/in place/);
    }
    const columns = (await everything(worker, cases[6]![0])).outcomes[0]!.columns;
    expect(columns).toEqual([
      { name: 'the k', type: 'integer' },
      { name: 'id', type: 'integer' },
      { name: 'id', type: 'integer' },
      { name: 'k', type: 'integer' },
      { name: '_seq', type: 'integer' },
      { name: 'k', type: 'integer' },
    ]);
  });

  it('are answered in the main process while the query worker is busy', async () => {
    let settled = false;
    const running = worker.sql.run({ script: ENDLESS, runId: 'busy-worker' }).finally(() => (settled = true));
    try {
      // Another query would wait for the worker's running count: a point lookup does not.
      expect(rowsOf(await worker.sql.run({ script: 'SELECT k FROM app.nums WHERE id = 250' }))).toEqual([[0]]);
      expect(rowsOf(await worker.sql.run({ script: 'SELECT title FROM demo.notes WHERE id = 2', as: { userId: 'u_bob' } }))).toEqual([['Call the plumber']]);
      expect(settled).toBe(false);
    } finally {
      await worker.sql.cancel({ runId: 'busy-worker' });
    }
    expect((await running).error).toMatchObject({ code: 'CANCELLED' });
  });

  it('read only the subject’s own row of a user table (view-as and EXECUTE AS); the admin’s lookup reads every user’s row through the plan', async () => {
    const notes = engine.data.user({ namespace: 'demo', table: 'notes' } as never);
    notes.insertRow(SYSTEM_SUBJECT, { id: 3, title: 'only alice' }, { user: 'u_alice' as never });
    const bob = { userId: 'u_bob' };
    try {
      const q = 'SELECT * FROM demo.notes WHERE id = 1';
      const mine = await everything(worker, q, bob);
      expect(mine.outcomes[0]!.rows).toEqual([['u_bob', 1, 'Groceries', 'Milk, eggs, coffee', 0, expect.any(Number), seq]]);
      expect(mine).toEqual(await everything(worker, plain(q), bob));
      expect(await explained(q, bob)).toEqual(['key lookup', 'key eq 1, one read of the key in place']);
      // Alice's note 3 has no row for bob, whatever key he names.
      expect(rowsOf(await worker.sql.run({ script: 'SELECT title FROM demo.notes WHERE id = 3', as: bob }))).toEqual([]);
      expect(rowsOf(await worker.sql.run({ script: 'SELECT title FROM demo.notes WHERE id = 3', as: { userId: 'u_alice' } }))).toEqual([['only alice']]);
      expect(rowsOf(await worker.sql.run({ script: "EXECUTE AS USER 'alice' (SELECT _user, title FROM demo.notes WHERE id = 3)" }))).toEqual([
        ['u_alice', 'only alice'],
      ]);
      expect(rowsOf(await worker.sql.run({ script: "EXECUTE AS USER 'bob' (SELECT title FROM demo.notes WHERE id = 3)" }))).toEqual([]);
      // The admin reads every user's rows: a key names one row per user, so the plain plan answers, in the worker.
      expect(rowsOf(await worker.sql.run({ script: 'SELECT _user, title FROM demo.notes WHERE id = 1 ORDER BY 1' }))).toEqual([
        ['u_alice', 'Rotate the backup keys'],
        ['u_bob', 'Groceries'],
      ]);
      const admin = await everything(worker, 'SELECT _user, title FROM demo.notes WHERE id = 1');
      expect(admin.outcomes[0]!.rows).toHaveLength(2);
      expect((await explained('SELECT _user, title FROM demo.notes WHERE id = 1'))[1]).toBe('key eq 1');
    } finally {
      notes.deleteRow(SYSTEM_SUBJECT, 3, { user: 'u_alice' as never });
    }
  });

  it('keep the plain plan where a key read would differ: another literal type, system tables, secrets, refused access', async () => {
    // SQLite's `=` on an integer key: 10.0 equals 10, '10' does not (no affinity on either side).
    expect(rowsOf(await worker.sql.run({ script: 'SELECT id FROM app.nums WHERE id = 10.0' }))).toEqual([[10]]);
    expect(rowsOf(await worker.sql.run({ script: "SELECT id FROM app.nums WHERE id = '10'" }))).toEqual([]);
    for (const q of ['SELECT id FROM app.nums WHERE id = 10.0', "SELECT id FROM app.nums WHERE id = '10'"])
      expect((await explained(q))[1], q).not.toMatch(/in place/);
    // System tables have no key lookup; password hashes stay unselectable, by key too.
    const users = await everything(worker, "SELECT * FROM system.users WHERE user_id = 'u_bob'");
    expect(users.outcomes[0]!.rows).toHaveLength(1);
    expect(users.outcomes[0]!.columns!.map((c) => c.name)).not.toContain('password_hash');
    const secret = await worker.sql.run({ script: "SELECT password_hash FROM system.users WHERE user_id = 'u_bob'" });
    expect(secret.error).toMatchObject({ code: 'ACCESS_DENIED' });
    // A column the table does not have is the plan's error, at its position.
    expect((await worker.sql.run({ script: 'SELECT nope FROM app.nums WHERE id = 1' })).error).toMatchObject({
      code: 'UNKNOWN_COLUMN',
      position: { line: 1, column: 8 },
    });
    // A table the subject may not read: the same refusal as the plain plan's.
    expect((await worker.sql.run({ script: "CREATE SHARED TABLE app.vault (id INT PRIMARY KEY, v TEXT) WITH (ACCESS_LEVEL = 'dba')" })).error).toBeUndefined();
    const bob = { userId: 'u_bob' };
    const refused = await worker.sql.run({ script: 'SELECT * FROM app.vault WHERE id = 1', as: bob });
    const { code, message } = (await worker.sql.run({ script: plain('SELECT * FROM app.vault WHERE id = 1'), as: bob })).error!;
    expect(refused.error).toMatchObject({ code: 'ACCESS_DENIED', message, position: { line: 1, column: 1, length: 36 } });
    expect(code).toBe('ACCESS_DENIED');
  });
});
