import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SqlCell } from '../../../shared/sql/sql-results';
import { type Subject, SYSTEM_SUBJECT } from '../access/subject';
import { ValidationError } from '../errors';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { JobCancelledError } from '../jobs/job-context';
import { SqlQueries } from '../sql/sql-queries';
import { SqlStatementError } from '../sql/sql-statement-error';
import { addUsers, tid } from '../tables/testing.test-support';
import { runExport } from './export-job';
import { checkExportQuery, exportQuery } from './query-rows';
import { ADMIN_SUBJECT, createEveryType, duck, duckTypes, EVERY_TYPE_ROWS, outDirBeside, seedEveryType } from './testing/io.test-support';

const env = useTestEngine('each');

const ROWS = EVERY_TYPE_ROWS;
const seed = () => seedEveryType(env.engine);
const outDir = () => outDirBeside(env.data.dir);

function exportSql(
  sql: string,
  file: string,
  more: { format?: 'csv' | 'jsonl' | 'parquet'; subject?: Subject; columns?: string[] } = {},
  ctx = testJobContext(),
) {
  const { subject = ADMIN_SUBJECT, format = 'csv', columns } = more;
  return runExport(env.engine, { source: { kind: 'sql', sql }, file, format, subject, ...(columns ? { columns } : {}) }, ctx);
}

/** The query's own rows, as the console's engine returns them. */
function consoleRows(sql: string, subject: Subject = ADMIN_SUBJECT): SqlCell[][] {
  const queries = new SqlQueries(env.engine);
  try {
    const q = exportQuery(env.engine, sql, subject);
    const open = queries.open(q.tokens, q.script, q.subject);
    return open.next(100_000, 60_000).rows;
  } finally {
    queries.close();
  }
}

function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const ITEMS = 'SELECT id, title, amount, done, at, meta, blob FROM app.items WHERE id > 1 ORDER BY id DESC';

describe('export of a SQL query', () => {
  it("writes the query's rows (hot and flushed merged, its order) in every format, with the table columns' types; DuckDB reads the same", async () => {
    await seed();
    expect(env.data.files().some((f) => f.endsWith('.parquet'))).toBe(true);
    const dir = outDir();
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      const r = await exportSql(ITEMS, join(dir, `q.${format}`), { format });
      expect(r).toMatchObject({ table: 'SQL query', rows: 3, format, columns: ['id', 'title', 'amount', 'done', 'at', 'meta', 'blob'] });
    }
    // The same rows as the console returns, in its order, typed as the table types them.
    expect(consoleRows(ITEMS).map((r) => r[0])).toEqual([4, 3, 2]);
    const expected = [...ROWS].reverse().filter((r) => r.id > 1);
    expect(jsonLines(join(dir, 'q.jsonl'))).toEqual(expected.map((r) => ({ ...r, at: r.at === null ? null : new Date(r.at).toISOString() })));
    const csv = readFileSync(join(dir, 'q.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,title,amount,done,at,meta,blob');
    expect(csv[1]).toBe('4,,1e+21,true,1969-12-31T00:00:00.000Z,"[1,2,3]",/w==');
    expect(csv[2]).toBe('3,"",,,,,""');

    const parquet = `read_parquet('${join(dir, 'q.parquet')}')`;
    expect(await duckTypes(parquet)).toEqual({
      id: 'BIGINT',
      title: 'VARCHAR',
      amount: 'DOUBLE',
      done: 'BOOLEAN',
      at: 'TIMESTAMP WITH TIME ZONE',
      meta: 'JSON',
      blob: 'BLOB',
    });
    const select = (from: string) =>
      duck(`SELECT id, title, amount, done, epoch_ms(CAST("at" AS TIMESTAMPTZ)) AS "at", CAST(meta AS VARCHAR) AS meta FROM ${from}`);
    const typed = expected.map((r) => ({
      id: r.id,
      title: r.title,
      amount: r.amount,
      done: r.done,
      at: r.at,
      meta: r.meta === null ? null : JSON.stringify(r.meta),
    }));
    expect(await select(parquet)).toEqual(typed);
    expect(await select(`read_json('${join(dir, 'q.jsonl')}', format = 'newline_delimited')`)).toEqual(typed);
    expect(await select(`read_csv('${join(dir, 'q.csv')}')`)).toEqual(typed.map((r) => ({ ...r, title: r.title === '' ? null : r.title })));
  });

  it("SELECT * FROM a table writes the very bytes of the table's own export (CSV and JSON Lines), hot and flushed rows", async () => {
    await seed();
    const dir = outDir();
    for (const format of ['csv', 'jsonl'] as const) {
      await runExport(env.engine, { table: 'app.items', file: join(dir, `t.${format}`), format, subject: ADMIN_SUBJECT }, testJobContext());
      await exportSql('SELECT * FROM app.items', join(dir, `q.${format}`), { format });
      expect(readFileSync(join(dir, `q.${format}`)).equals(readFileSync(join(dir, `t.${format}`))), format).toBe(true);
    }
  });

  it('types computed columns from their values: counts as integers, averages as doubles, text as text; repeated names made unique', async () => {
    await seed();
    const dir = outDir();
    const sql =
      'SELECT count(*) AS n, avg(a.amount) AS mean, upper(a.title) AS label, a.id, b.id FROM app.items a JOIN app.items b ON a.id = b.id GROUP BY a.id ORDER BY a.id';
    for (const format of ['jsonl', 'parquet'] as const) await exportSql(sql, join(dir, `c.${format}`), { format });
    expect(await duckTypes(`read_parquet('${join(dir, 'c.parquet')}')`)).toEqual({
      n: 'BIGINT',
      mean: 'DOUBLE',
      label: 'VARCHAR',
      id: 'BIGINT',
      'id (2)': 'BIGINT',
    });
    const rows = jsonLines(join(dir, 'c.jsonl'));
    expect(rows.map((r) => [r.n, r.label, r.id, r['id (2)']])).toEqual(consoleRows(sql).map((r) => [r[0], r[2], r[3], r[4]]));
    expect(rows[0]).toMatchObject({ n: 1, mean: 1.5, label: 'PLAIN', id: 1 });
    expect(await duck(`SELECT n, mean, label FROM read_parquet('${join(dir, 'c.parquet')}') ORDER BY "id"`)).toEqual(
      rows.map((r) => ({ n: r.n, mean: r.mean, label: r.label })),
    );
  });

  it('Parquet: a later value of another type than the first page gave the column is refused, naming the way out; CSV takes it', async () => {
    createEveryType(env.engine, 'big');
    env.engine.data.shared(tid('app.big')).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 1_500 }, (_, i) => ({ id: i })),
    );
    const sql = 'SELECT CASE WHEN id < 1200 THEN id ELSE id + 0.5 END AS v FROM app.big';
    const dir = outDir();
    const e = await exportSql(sql, join(dir, 'v.parquet'), { format: 'parquet' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      "columns.v: 1200.5 is not integer like the rows before it (a query's column takes the type of its first rows: CAST it in the query, or export CSV or JSON Lines)",
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const r = await exportSql(sql, join(dir, 'v.csv'));
    expect(r.rows).toBe(1_500);
    expect(readFileSync(join(dir, 'v.csv'), 'utf8')).toContain('\r\n1199\r\n1200.5\r\n');
  });

  it('writes the chosen columns in their order; an unknown one is refused, no file', async () => {
    await seed();
    const file = join(outDir(), 'cols.csv');
    await exportSql(ITEMS, file, { columns: ['title', 'id'] });
    expect(readFileSync(file, 'utf8').split('\r\n').slice(0, 2)).toEqual(['title,id', ',4']);
    const bad = join(outDir(), 'bad.csv');
    await expect(exportSql(ITEMS, bad, { columns: ['nope'] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(existsSync(bad)).toBe(false);
  });

  it("as a plain user: only that user's rows, also through EXECUTE AS; a user may not execute as another", async () => {
    addUsers(env.engine, 'alice', 'bob');
    createEveryType(env.engine, 'notes', 'user');
    const store = env.engine.data.user(tid('app.notes'));
    store.insertRows(SYSTEM_SUBJECT, [ROWS[0]!, ROWS[1]!], { user: 'alice' as never });
    store.insertRows(SYSTEM_SUBJECT, [ROWS[2]!], { user: 'bob' as never });
    const dir = outDir();
    const alice: Subject = { userId: 'alice' as never, role: 'user' };
    const mine = join(dir, 'mine.jsonl');
    const r = await exportSql('SELECT _user, id FROM app.notes ORDER BY id', mine, { format: 'jsonl', subject: alice });
    expect(r.rows).toBe(2);
    expect(jsonLines(mine)).toEqual([
      { _user: 'alice', id: 1 },
      { _user: 'alice', id: 2 },
    ]);
    const executed = join(dir, 'executed.jsonl');
    await exportSql("EXECUTE AS USER 'bob' (SELECT _user, id FROM app.notes)", executed, { format: 'jsonl' });
    expect(jsonLines(executed)).toEqual([{ _user: 'bob', id: 3 }]);
    const denied = join(dir, 'denied.jsonl');
    await expect(exportSql("EXECUTE AS USER 'bob' (SELECT * FROM app.notes)", denied, { subject: alice })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(exportSql('SELECT * FROM system.jobs', denied, { subject: alice })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(existsSync(denied)).toBe(false);
  });

  it('never exports secret columns: password hashes cannot be selected', async () => {
    addUsers(env.engine, 'alice');
    await env.engine.system.users.setPassword('alice' as never, 'correct horse battery', env.engine.now());
    const dir = outDir();
    const file = join(dir, 'users.parquet');
    const r = await exportSql('SELECT * FROM system.users', file, { format: 'parquet' });
    expect(r.rows).toBeGreaterThan(0);
    expect(r.columns).not.toContain('password_hash');
    expect(readFileSync(file).includes('argon2')).toBe(false);
    await expect(exportSql('SELECT password_hash FROM system.users', join(dir, 'hash.csv'))).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(readdirSync(dir)).toEqual(['users.parquet']);
  });

  it('refuses a write, DDL, a job, several statements or a non-query before anything runs: the table unchanged, no file', async () => {
    await seed();
    const before = consoleRows('SELECT * FROM app.items ORDER BY id');
    const dir = outDir();
    const refused: [string, RegExp][] = [
      ["INSERT INTO app.items (id, title) VALUES (9, 'x')", /only a query \(SELECT\) can be exported: INSERT is not a query/],
      ['DELETE FROM app.items', /DELETE is not a query/],
      ["EXECUTE AS USER 'root' (UPDATE app.items SET title = 'y')", /UPDATE is not a query/],
      ['DROP TABLE app.items', /DROP TABLE is not a query/],
      ['FLUSH TABLE app.items', /FLUSH TABLE is not a query/],
      ['EXPLAIN SELECT * FROM app.items', /EXPLAIN is not a query/],
      ['SELECT 1; DELETE FROM app.items', /one query/],
    ];
    for (const [sql, message] of refused) {
      const e = (() => {
        try {
          exportQuery(env.engine, sql, ADMIN_SUBJECT);
        } catch (x) {
          return x;
        }
        return undefined;
      })();
      expect(e, sql).toBeInstanceOf(SqlStatementError);
      expect((e as SqlStatementError).message, sql).toMatch(message);
      const file = join(dir, 'w.csv');
      await expect(exportSql(sql, file), sql).rejects.toBeInstanceOf(SqlStatementError);
    }
    // A WITH … DELETE parses as a query but returns no rows: refused when prepared, before any file.
    const sneaky = 'WITH x AS (SELECT 1) DELETE FROM app.items';
    const queries = new SqlQueries(env.engine);
    try {
      expect(() => checkExportQuery(env.engine, queries, exportQuery(env.engine, sneaky, ADMIN_SUBJECT))).toThrow(SqlStatementError);
    } finally {
      queries.close();
    }
    await expect(exportSql(sneaky, join(dir, 'w.csv'))).rejects.toBeInstanceOf(SqlStatementError);
    expect(consoleRows('SELECT * FROM app.items ORDER BY id')).toEqual(before);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports progress by pages, and a cancel mid-way removes the partial file', async () => {
    createEveryType(env.engine, 'big');
    env.engine.data.shared(tid('app.big')).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 25_000 }, (_, i) => ({ id: i, title: `row ${i}` })),
    );
    const dir = outDir();
    const done = join(dir, 'all.csv');
    const ctx = testJobContext();
    const r = await exportSql('SELECT id, title FROM app.big', done, {}, ctx);
    expect(r.rows).toBe(25_000);
    expect(ctx.progress.filter((p) => p.phase === 'exporting').length).toBeGreaterThanOrEqual(2);
    expect(ctx.progress.at(-1)).toMatchObject({ phase: 'done', done: 25_000, bytes: r.bytes });
    expect(readFileSync(done, 'utf8').split('\r\n').length).toBe(25_002);

    const file = join(dir, 'big.csv');
    const cancelling = testJobContext((p, c) => {
      if (p.done >= 10_000) c.cancel();
    });
    await expect(exportSql('SELECT id, title FROM app.big', file, {}, cancelling)).rejects.toBeInstanceOf(JobCancelledError);
    expect(readdirSync(dir)).toEqual(['all.csv']);
  });

  it('a cancel while the query is still computing its first page stops it: JobCancelledError, no file', async () => {
    createEveryType(env.engine, 'big');
    env.engine.data.shared(tid('app.big')).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 5_000 }, (_, i) => ({ id: i, title: `row ${i}` })),
    );
    const file = join(outDir(), 'agg.csv');
    const ctx = testJobContext();
    ctx.cancel();
    await expect(exportSql('SELECT count(*) FROM app.big', file, {}, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(existsSync(file)).toBe(false);
  });
});
