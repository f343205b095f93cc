/**
 * The SQL console through the contract (sql.run, sql.page, sql.close), on the demo data: results
 * and paging, the subject's rights (a plain user, EXECUTE AS), read-only mode, writes through the
 * stores with their audit entry, BEGIN … COMMIT, KalamDB's statements through the dialogs'
 * procedures, and each kind of error with its position.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlOutcome, SqlRunResult } from '../../shared/sql/sql-results';
import { seedDemo } from './demo';
import { auditEntries, expectError, type Harness, openHarness, snapshot } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = openHarness();
  await h.services.ready;
  seedDemo(h.engine);
});
afterEach(() => h.close());

const BOB = { userId: 'u_bob' };

async function run(script: string, extra: { as?: typeof BOB; pageSize?: number; timeoutMs?: number } = {}): Promise<SqlRunResult> {
  return h.client.sql.run({ script, ...extra });
}

/** The rows of a run's only (or `index`th) outcome, which must be rows. */
function rowsOf(result: SqlRunResult, index = 0): unknown[][] {
  expect(result.error).toBeUndefined();
  const outcome = result.outcomes[index] as Extract<SqlOutcome, { kind: 'rows' }>;
  expect(outcome.kind).toBe('rows');
  return outcome.page.rows;
}

describe('queries', () => {
  it('reads data tables with their columns and types, and pages a result with its cursor', async () => {
    const r = await run('SELECT id, name, price, in_stock FROM demo.products ORDER BY id', { pageSize: 2 });
    const outcome = r.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>;
    expect(outcome.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'price', type: 'double' },
      { name: 'in_stock', type: 'boolean' },
    ]);
    expect(outcome.page.rows).toEqual([
      [1, 'Keyboard', 49.9, 1],
      [2, 'Mouse', 19.5, 1],
    ]);
    const next = outcome.page.next!;
    // Another subject cannot read it, and a forged cursor is refused.
    await expectError(h.client.sql.page({ cursor: next, as: BOB }), 'VALIDATION');
    await expectError(h.client.sql.page({ cursor: `${next.slice(0, -2)}AA` }), 'VALIDATION');
    const page = await h.client.sql.page({ cursor: next, pageSize: 2 });
    expect(page).toEqual({ rows: [[3, 'Monitor', 229, 0]] });
    // Read to its end: the result is closed.
    await expectError(h.client.sql.page({ cursor: next }), 'NOT_FOUND');
  });

  it('closes a result on sql.close', async () => {
    const r = await run('SELECT id FROM demo.products', { pageSize: 1 });
    const outcome = r.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>;
    expect(await h.client.sql.close({ resultId: outcome.resultId })).toEqual({ closed: true });
    await expectError(h.client.sql.page({ cursor: outcome.page.next! }), 'NOT_FOUND');
  });

  it('joins, aggregates, windows and CTEs over data and system tables', async () => {
    const r = await run(`
      WITH counts AS (SELECT _user, count(*) AS n FROM demo.notes GROUP BY _user)
      SELECT u.username, c.n, rank() OVER (ORDER BY u.username) AS r
      FROM counts c JOIN system.users u ON u.user_id = c._user ORDER BY u.username`);
    expect(rowsOf(r)).toEqual([
      ['alice', 2, 1],
      ['bob', 2, 2],
    ]);
  });

  it('a plain user sees only its own rows of user tables, in joins and subqueries too', async () => {
    expect(rowsOf(await run('SELECT _user, id FROM demo.notes ORDER BY id', { as: BOB }))).toEqual([
      ['u_bob', 1],
      ['u_bob', 2],
    ]);
    const join = 'SELECT count(*) FROM demo.notes a JOIN demo.notes b ON a.id = b.id WHERE EXISTS (SELECT 1 FROM demo.notes c WHERE c._user <> a._user)';
    expect(rowsOf(await run(join, { as: BOB }))).toEqual([[0]]);
    expect(rowsOf(await run(join))).toEqual([[8]]);
    // A key lookup within its scope: alice's note 1 is not bob's.
    expect(rowsOf(await run('SELECT title FROM demo.notes WHERE id = 1', { as: BOB }))).toEqual([['Groceries']]);
  });

  it('system tables follow the grid’s access rules; password hashes are never selectable', async () => {
    const denied = await run('SELECT username FROM system.users', { as: BOB });
    expect(denied.error).toMatchObject({ code: 'ACCESS_DENIED', statement: 0, message: 'role "user" may not read system.users (access level dba)' });
    const secret = await run('SELECT username,\n  password_hash FROM system.users');
    expect(secret.error).toMatchObject({ code: 'ACCESS_DENIED', position: { line: 2, column: 3, offset: 19, length: 13 } });
    const star = await run('SELECT * FROM system.users');
    const columns = (star.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).columns.map((c) => c.name);
    expect(columns).toContain('username');
    expect(columns).not.toContain('password_hash');
  });

  it('pushes a key predicate down to a key lookup (EXPLAIN), hot and cold', async () => {
    await run('FLUSH TABLE demo.products');
    expect(rowsOf(await run("EXPLAIN SELECT * FROM demo.products p WHERE p.id = 2 AND name <> 'x'"))).toEqual([
      ['demo.products', 'shared', 'key lookup', 'key eq 2', expect.any(Number), expect.any(Number)],
    ]);
    expect(rowsOf(await run('EXPLAIN SELECT * FROM demo.products WHERE id BETWEEN 1 AND 2'))[0]!.slice(2, 4)).toEqual(['key range', 'key ge 1 AND key le 2']);
    expect(rowsOf(await run('EXPLAIN SELECT * FROM demo.products WHERE id = 1 OR id = 2'))[0]![2]).toBe('full scan');
  });

  it('answers an aggregate of one table inside the scan (EXPLAIN: grouped scan), and any other shape with the plain plan', async () => {
    await run('FLUSH TABLE demo.products');
    expect(rowsOf(await run('EXPLAIN SELECT name, count(*), max(id) FROM demo.products GROUP BY name'))[0]!.slice(2, 4)).toEqual([
      'grouped scan',
      'GROUP BY name: count(*), max(id) in the scan',
    ]);
    expect(rowsOf(await run('EXPLAIN SELECT count(*) FROM demo.products'))[0]!.slice(2, 4)).toEqual(['grouped scan', 'count(*) in the scan']);
    // A bare column that is not grouped, a WHERE, an aggregate of an expression: the plain plan.
    for (const q of [
      'SELECT name, id, count(*) FROM demo.products GROUP BY name',
      "SELECT count(*) FROM demo.products WHERE name <> 'x'",
      'SELECT sum(id + 1) FROM demo.products',
    ]) {
      expect(rowsOf(await run(`EXPLAIN ${q}`))[0]![2], q).toBe('full scan');
    }
    // The same groups either way (a WHERE that keeps every row takes the plain plan).
    const grouped = rowsOf(await run('SELECT name, count(*), max(id), min(name) FROM demo.products GROUP BY name ORDER BY 2 DESC, 1'));
    expect(grouped.length).toBeGreaterThan(1);
    expect(grouped).toEqual(rowsOf(await run('SELECT name, count(*), max(id), min(name) FROM demo.products WHERE 1 = 1 GROUP BY name ORDER BY 2 DESC, 1')));
  });

  it('integer, timestamp and boolean columns are INTEGERs to SQL, hot and flushed, in the scan and the grouped scan', async () => {
    const typed = "SELECT typeof(id), id / 2, '#' || id, typeof(in_stock), in_stock + 0 FROM demo.products WHERE id = 3";
    const expected = [['integer', 1, '#3', 'integer', expect.any(Number)]];
    expect(rowsOf(await run(typed))).toEqual(expected);
    // The grouped scan's results too: count, and max and sum of an integer column.
    const [max] = rowsOf(await run('SELECT max(id) FROM demo.products WHERE 1 = 1'))[0]!;
    expect(rowsOf(await run("SELECT '#' || max(id), typeof(max(id)), typeof(sum(id)), '#' || count(*) FROM demo.products"))).toEqual([
      [`#${String(max)}`, 'integer', 'integer', expect.stringMatching(/^#\d+$/)],
    ]);
    await run('FLUSH TABLE demo.products');
    expect(rowsOf(await run(typed))).toEqual(expected);
    expect(rowsOf(await run('SELECT typeof(_seq), typeof(id) FROM demo.products LIMIT 1'))).toEqual([['integer', 'integer']]);
  });

  it('stops a statement past its timeout', async () => {
    const slow =
      'SELECT count(*) FROM demo.products a, demo.products b, demo.products c, demo.products d, demo.products e, demo.products f, demo.products g, demo.products h, demo.products i';
    const r = await run(`SELECT 1; ${slow}; SELECT 2`, { timeoutMs: 100 });
    expect(r.outcomes).toHaveLength(1);
    expect(r.error).toMatchObject({ code: 'TIMEOUT', statement: 1 });
  });
});

describe('writes', () => {
  it('INSERT, UPDATE and DELETE go through the store, one audit entry each with the SQL and the subject', async () => {
    const r = await run(
      "INSERT INTO demo.products (id, name, price, tags) VALUES (10, 'Cable', 3.5, '[\"x\"]'), (11, 'Hub', 20, NULL);\nUPDATE demo.products SET price = price * 2 WHERE id >= 10;\nDELETE FROM demo.products WHERE id = 11",
    );
    expect(r.error).toBeUndefined();
    expect(r.outcomes.map((o) => (o.kind === 'changed' ? o.affected : o.kind))).toEqual([2, 2, 1]);
    const row = await h.client.rows.get({ table: 'demo.products', key: '10' });
    expect(row.row.values).toMatchObject({ name: 'Cable', price: 7, in_stock: true, tags: ['x'] });
    const audits = auditEntries(h.engine).filter((e) => e.action.startsWith('sql.'));
    expect(audits.map((e) => [e.action, e.target, e.actor_role, (e.after as { sql: string; rows: number }).rows])).toEqual([
      ['sql.insert', 'demo.products', 'system', 2],
      ['sql.update', 'demo.products', 'system', 2],
      ['sql.delete', 'demo.products', 'system', 1],
    ]);
    expect((audits[1]!.after as { sql: string }).sql).toBe('UPDATE demo.products SET price = price * 2 WHERE id >= 10');
  });

  it('a write that fails validation changes nothing and names the column', async () => {
    const before = snapshot(h.engine);
    const r = await run('UPDATE demo.products SET name = NULL WHERE id <= 2');
    expect(r.error).toMatchObject({ code: 'VALIDATION', statement: 0 });
    expect(r.error?.issues?.map((i) => i.field)).toEqual(['name']);
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('read-only mode refuses writes before they run; queries still answer', async () => {
    h.engine.readOnly.set(true);
    const before = snapshot(h.engine);
    for (const sql of [
      "INSERT INTO demo.products (id, name) VALUES (9, 'x')",
      'DELETE FROM demo.products',
      'CREATE NAMESPACE walk',
      'FLUSH TABLE demo.products',
      'DROP TABLE demo.products',
    ]) {
      expect((await run(sql)).error, sql).toMatchObject({ code: 'READ_ONLY' });
    }
    expect(snapshot(h.engine)).toEqual(before);
    expect(rowsOf(await run('SELECT count(*) FROM demo.products'))).toEqual([[3]]);
  });

  it('a plain user may not write a private table; may write its own user-table rows', async () => {
    expect((await run("INSERT INTO demo.products (id, name) VALUES (9, 'x')", { as: BOB })).error).toMatchObject({ code: 'ACCESS_DENIED' });
    await run("INSERT INTO demo.notes (id, title) VALUES (7, 'mine')", { as: BOB });
    expect(rowsOf(await run('SELECT _user, title FROM demo.notes WHERE id = 7'))).toEqual([['u_bob', 'mine']]);
  });

  it('BEGIN … COMMIT is all or nothing; statements outside a block stay', async () => {
    const before = snapshot(h.engine);
    const r = await run("BEGIN;\nINSERT INTO demo.products (id, name) VALUES (50, 'a');\nINSERT INTO demo.products (id, name) VALUES (50, 'b');\nCOMMIT");
    expect(r.error).toMatchObject({ code: 'ALREADY_EXISTS', statement: 2, position: { line: 3, column: 1 } });
    expect(r.rolledBack).toEqual([1, 2]);
    expect(snapshot(h.engine)).toEqual(before);
    const ok = await run("BEGIN; INSERT INTO demo.products (id, name) VALUES (50, 'a'); SELECT count(*) FROM demo.products; COMMIT");
    expect(ok.outcomes.map((o) => o.verb)).toEqual(['BEGIN', 'INSERT', 'SELECT', 'COMMIT']);
    expect(rowsOf(ok, 2)).toEqual([[4]]);
    const rolledBack = await run('BEGIN; DELETE FROM demo.products; ROLLBACK');
    expect(rolledBack.error).toBeUndefined();
    expect(rowsOf(await run('SELECT count(*) FROM demo.products'))).toEqual([[4]]);
    // DDL cannot join a transaction: refused before anything of the block ran.
    const ddl = await run("BEGIN; INSERT INTO demo.products (id, name) VALUES (60, 'a'); CREATE NAMESPACE walk; COMMIT");
    expect(ddl.error).toMatchObject({ code: 'NOT_SUPPORTED', statement: 2 });
    expect(rowsOf(await run('SELECT count(*) FROM demo.products WHERE id = 60'))).toEqual([[0]]);
  });

  it('a script stops at the first error; what ran before stays', async () => {
    const r = await run(
      "INSERT INTO demo.products (id, name) VALUES (70, 'a'); SELECT nope FROM demo.products; INSERT INTO demo.products (id, name) VALUES (71, 'b')",
    );
    expect(r.outcomes).toHaveLength(1);
    expect(r.error).toMatchObject({ code: 'UNKNOWN_COLUMN', statement: 1, position: { line: 1, column: 63, length: 4 } });
    expect(rowsOf(await run('SELECT id FROM demo.products WHERE id >= 70'))).toEqual([[70]]);
  });
});

describe('EXECUTE AS USER', () => {
  it('runs one statement as the user (its rows, its rights), by KalamDB’s target rules', async () => {
    expect(rowsOf(await run("EXECUTE AS USER 'bob' (SELECT count(*) FROM demo.notes)"))).toEqual([[2]]);
    await run("EXECUTE AS USER bob (INSERT INTO demo.notes (id, title) VALUES (9, 'as bob'))");
    expect(rowsOf(await run('SELECT _user FROM demo.notes WHERE id = 9'))).toEqual([['u_bob']]);
    const audit = auditEntries(h.engine).find((e) => e.action === 'sql.insert')!;
    expect([audit.actor_user_id, audit.actor_role]).toEqual(['u_bob', 'user']);
    // A user may target only itself.
    expect((await run("EXECUTE AS USER 'alice' (SELECT 1)", { as: BOB })).error).toMatchObject({ code: 'ACCESS_DENIED', position: { column: 17, length: 7 } });
    expect((await run("EXECUTE AS USER 'nobody' (SELECT 1)")).error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe("KalamDB's statements", () => {
  it('SHOW NAMESPACES, SHOW TABLES IN, DESCRIBE TABLE, SHOW STATS FOR TABLE', async () => {
    expect(rowsOf(await run('SHOW NAMESPACES')).map((r) => r[0])).toEqual(['demo', 'system']);
    expect(rowsOf(await run('SHOW TABLES IN demo'))).toEqual([
      ['demo', 'events', 'stream', 'public'],
      ['demo', 'notes', 'user', 'public'],
      ['demo', 'products', 'shared', 'public'],
    ]);
    expect(rowsOf(await run('DESCRIBE TABLE demo.products')).map((r) => r.slice(0, 4))).toEqual([
      ['id', 'integer', 0, 1],
      ['name', 'text', 0, 0],
      ['price', 'double', 1, 0],
      ['in_stock', 'boolean', 0, 0],
      ['tags', 'json', 1, 0],
      ['_seq', 'integer', 0, 0],
    ]);
    expect(rowsOf(await run('SHOW STATS FOR TABLE demo.products'))).toEqual([['products', 'demo', 1, 3, 3, 0, 0, 0]]);
  });

  it('FLUSH, COMPACT and BACKUP start the same jobs as the buttons; a plain user may not', async () => {
    const r = await run('FLUSH TABLE demo.products; STORAGE FLUSH ALL IN demo');
    expect(r.error).toMatchObject({ code: 'CONFLICT' });
    const [flush] = r.outcomes as Extract<SqlOutcome, { kind: 'job' }>[];
    const job = await h.client.jobs.get({ id: flush!.jobIds[0]! });
    expect([job.job_type, job.parameters]).toEqual(['flush', { table: 'demo.products' }]);
    expect((await run('COMPACT TABLE demo.notes', { as: BOB })).error).toMatchObject({ code: 'ACCESS_DENIED' });
  });
});

/** A message that contains `text`. */
const contains = (text: string): string => expect.stringContaining(text) as string;

describe('errors, with their positions', () => {
  it.each([
    ['SELECT * FROM demo.nope', 'UNKNOWN_TABLE', 'no table demo.nope', 1, 15],
    ['SELECT * FROM nowhere.t', 'UNKNOWN_TABLE', 'no namespace nowhere (for nowhere.t)', 1, 15],
    ['SELECT id,\n  nope FROM demo.products', 'UNKNOWN_COLUMN', 'no such column: nope', 2, 3],
    ['SELECT id FROM demo.products WHERE', 'SYNTAX', 'the statement ends too early', 1, 35],
    // SQLite names the token, not where: the first one of that text.
    ['SELECT id FROM demo.products WHERE id = = 1', 'SYNTAX', 'syntax error near "="', 1, 39],
    ["SELECT 'open", 'SYNTAX', 'unterminated string', 1, 8],
    ['PRAGMA table_info(x)', 'NOT_SUPPORTED', contains('"PRAGMA" does not start'), 1, 1],
    ['SELEC 1', 'SYNTAX', contains('"SELEC" does not start'), 1, 1],
    ['CREATE TABLE demo.t (id UUID PRIMARY KEY)', 'SYNTAX', contains('unknown column type "UUID"'), 1, 25],
    ["CREATE TABLE demo.t (id BIGINT PRIMARY KEY) WITH (COLOR = 'red')", 'SYNTAX', 'unknown option COLOR', 1, 51],
    ['ALTER TABLE demo.products MODIFY COLUMN price TEXT', 'NOT_SUPPORTED', contains('MODIFY COLUMN'), 1, 27],
    ['UPDATE demo.events SET kind = 1', 'NOT_SUPPORTED', contains('stream table'), 1, 8],
    ["INSERT INTO demo.products (id, nope) VALUES (1, 'x')", 'UNKNOWN_COLUMN', 'demo.products has no column nope', 1, 13],
    ["INSERT INTO demo.products (id, name) VALUES ('one', 'x')", 'VALIDATION', contains('id'), 1, 1],
    ['COMMIT', 'SYNTAX', 'COMMIT without BEGIN', 1, 1],
  ])('%s: %s', async (sql, code, message, line, column) => {
    const before = snapshot(h.engine);
    const r = await run(sql);
    expect(r.error).toMatchObject({ code, message, statement: 0, position: { line, column } });
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('an unknown input key is a VALIDATION error of the call', async () => {
    await expectError(h.client.sql.run({ script: 'SELECT 1', surprise: 1 } as never), 'VALIDATION');
  });
});
