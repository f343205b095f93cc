import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { EngineError } from '../errors';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { JobCancelledError } from '../jobs/job-context';
import { addUsers, tid } from '../tables/testing.test-support';
import { runExport } from './export-job';
import { ADMIN_SUBJECT, createEveryType, duck, duckTypes, EVERY_TYPE_ROWS, exportTo, outDirBeside, seedEveryType } from './testing/io.test-support';

const env = useTestEngine('each');

const ROWS = EVERY_TYPE_ROWS;
const seed = () => seedEveryType(env.engine);
const outDir = () => outDirBeside(env.data.dir);

describe('export', () => {
  it('writes RFC 4180 CSV: header, CRLF, quoting, empty string apart from null, ISO timestamps; hot and flushed rows merged', async () => {
    await seed();
    expect(env.data.files().some((f) => f.endsWith('.parquet'))).toBe(true);
    const file = join(outDir(), 'items.csv');
    const r = await exportTo(env.engine, 'app.items', file);
    expect(r).toMatchObject({ rows: 4, format: 'csv', columns: ['id', 'title', 'amount', 'done', 'at', 'meta', 'blob', '_seq'] });
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,title,amount,done,at,meta,blob,_seq');
    expect(lines[1]).toMatch(/^1,plain,1\.5,true,2024-01-02T03:04:05\.678Z,"\{""a"":\[1,""x""\]\}",AAEC,\d+$/);
    expect(text).toContain('2,"ünïcødé, ""quoted""\nand a line break",-0.25,false,1970-01-01T00:00:00.000Z,"""just a string""",,');
    expect(text).toContain('\r\n3,"",,,,,"",');
    expect(text).toContain('\r\n4,,1e+21,true,1969-12-31T00:00:00.000Z,"[1,2,3]",/w==,');
    expect(r.bytes).toBe(Buffer.byteLength(text));
  });

  it('CSV with another delimiter and a BOM', async () => {
    await seed();
    const file = join(outDir(), 'items.csv');
    await exportTo(env.engine, 'app.items', file, { delimiter: ';', bom: true, columns: ['title', 'id'] });
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe('title;id');
    expect(bytes.toString('utf8')).toContain('\r\nplain;1\r\n');
  });

  it('an export is readable by its owner only (0600), in every format', async () => {
    await seed();
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      const file = join(outDir(), `items.${format}`);
      await exportTo(env.engine, 'app.items', file, { format });
      expect(statSync(file).mode & 0o777, format).toBe(0o600);
    }
  });

  it('JSON Lines: typed values, ISO timestamps, null', async () => {
    await seed();
    const file = join(outDir(), 'items.jsonl');
    await exportTo(env.engine, 'app.items', file, { format: 'jsonl' });
    const rows = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map(({ _seq, ...r }) => (expect(typeof _seq).toBe('number'), r))).toEqual(
      ROWS.map((r) => ({ ...r, at: r.at === null ? null : new Date(r.at).toISOString() })),
    );
  });

  it('DuckDB reads the CSV, JSONL and Parquet exports with the same values and types', async () => {
    await seed();
    const dir = outDir();
    for (const format of ['csv', 'jsonl', 'parquet'] as const) await exportTo(env.engine, 'app.items', join(dir, `items.${format}`), { format });
    const parquet = `read_parquet('${join(dir, 'items.parquet')}')`;
    expect(await duckTypes(parquet)).toEqual({
      id: 'BIGINT',
      title: 'VARCHAR',
      amount: 'DOUBLE',
      done: 'BOOLEAN',
      at: 'TIMESTAMP WITH TIME ZONE',
      meta: 'JSON',
      blob: 'BLOB',
      _seq: 'BIGINT',
    });
    const csv = `read_csv('${join(dir, 'items.csv')}')`;
    expect(await duckTypes(csv)).toMatchObject({ id: 'BIGINT', title: 'VARCHAR', amount: 'DOUBLE', done: 'BOOLEAN', _seq: 'BIGINT' });
    const jsonl = `read_json('${join(dir, 'items.jsonl')}', format = 'newline_delimited')`;
    expect(await duckTypes(jsonl)).toMatchObject({ id: 'BIGINT', title: 'VARCHAR', amount: 'DOUBLE', done: 'BOOLEAN', _seq: 'BIGINT' });
    const select = (from: string) =>
      duck(`SELECT id, title, amount, done, epoch_ms(CAST("at" AS TIMESTAMPTZ)) AS "at", CAST(meta AS VARCHAR) AS meta FROM ${from} ORDER BY id`);
    const expected = ROWS.map((r) => ({
      id: r.id,
      title: r.title,
      amount: r.amount,
      done: r.done,
      at: r.at,
      meta: r.meta === null ? null : JSON.stringify(r.meta),
    }));
    expect(await select(parquet)).toEqual(expected);
    expect(await select(jsonl)).toEqual(expected);
    // CSV has no empty-string type of its own in DuckDB's reader: "" and empty both read as NULL there.
    expect(await select(csv)).toEqual(expected.map((r) => ({ ...r, title: r.title === '' ? null : r.title })));
    const blobs = await duck(`SELECT id, base64(blob) AS b FROM ${parquet} ORDER BY id`);
    expect(blobs.map((r) => r.b)).toEqual(['AAEC', null, '', '/w==']);
  });

  it('never exports secret columns (system.users password hashes), in any format', async () => {
    addUsers(env.engine, 'alice');
    await env.engine.system.users.setPassword('alice' as never, 'correct horse battery', env.engine.now());
    expect(JSON.stringify(env.engine.system.users.get('alice' as never))).toContain('argon2');
    const dir = outDir();
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      const file = join(dir, `users.${format}`);
      const r = await exportTo(env.engine, 'system.users', file, { format });
      expect(r.columns).not.toContain('password_hash');
      expect(r.rows).toBeGreaterThan(0);
      const bytes = readFileSync(file);
      expect(bytes.includes('argon2')).toBe(false);
      expect(bytes.includes('password_hash')).toBe(false);
    }
  });

  it('exports as a subject: a user gets only its own rows of a user table; a table it may not read is refused, no file', async () => {
    addUsers(env.engine, 'alice', 'bob');
    createEveryType(env.engine, 'notes', 'user');
    const store = env.engine.data.user(tid('app.notes'));
    store.insertRows(SYSTEM_SUBJECT, [ROWS[0]!, ROWS[1]!], { user: 'alice' as never });
    store.insertRows(SYSTEM_SUBJECT, [ROWS[2]!], { user: 'bob' as never });
    const dir = outDir();
    const file = join(dir, 'notes.jsonl');
    const r = await exportTo(env.engine, 'app.notes', file, { format: 'jsonl', subject: { userId: 'alice' as never, role: 'user' } });
    expect(r.rows).toBe(2);
    const owners = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { _user: string })._user);
    expect(owners).toEqual(['alice', 'alice']);
    const denied = join(dir, 'jobs.csv');
    await expect(exportTo(env.engine, 'system.jobs', denied, { subject: { userId: 'alice' as never, role: 'user' } })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    expect(existsSync(denied)).toBe(false);
  });

  it('applies the grid filters', async () => {
    await seed();
    const file = join(outDir(), 'f.jsonl');
    const r = await exportTo(env.engine, 'app.items', file, { format: 'jsonl', filters: [{ column: 'done', op: 'eq', value: true }] });
    expect(r.rows).toBe(2);
    expect(readFileSync(file, 'utf8')).toContain('"id":4');
  });

  it("exports the grid's view: filters and sort (key descending, hot and flushed rows); a sort the table cannot take is refused, no file", async () => {
    await seed();
    const file = join(outDir(), 'view.jsonl');
    const ids = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: number }).id);
    await exportTo(env.engine, 'app.items', file, { format: 'jsonl', sort: { column: 'id', order: 'desc' } });
    expect(ids()).toEqual([4, 3, 2, 1]);
    const r = await exportTo(env.engine, 'app.items', file, {
      format: 'jsonl',
      sort: { column: 'id', order: 'desc' },
      filters: [{ column: 'done', op: 'eq', value: true }],
    });
    expect([r.rows, ids()]).toEqual([2, [4, 1]]);
    const bad = join(outDir(), 'bad-sort.csv');
    const e = await exportTo(env.engine, 'app.items', bad, { sort: { column: 'title', order: 'asc' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('VALIDATION');
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(outDir()).filter((n) => n.includes('bad-sort'))).toEqual([]);
  });

  it("exports the grid's quick search with its filters, in key order and sorted, as the grid pages them", async () => {
    await seed();
    const file = join(outDir(), 'search.jsonl');
    const ids = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { id: number }).id);
    // "QUOTED" in any case, in title or meta: row 2 (title); "1" in meta: rows 1 and 4 (meta holds 1).
    const search = { text: 'QUOTED', columns: ['title', 'meta'] };
    await exportTo(env.engine, 'app.items', file, { format: 'jsonl', search });
    expect(ids()).toEqual([2]);
    await exportTo(env.engine, 'app.items', file, { format: 'jsonl', search: { text: '1', columns: ['meta'] }, sort: { column: 'id', order: 'desc' } });
    expect(ids()).toEqual([4, 1]);
    await exportTo(env.engine, 'app.items', file, {
      format: 'jsonl',
      search: { text: '1', columns: ['meta'] },
      filters: [{ column: 'id', op: 'gt', value: 1 }],
    });
    expect(ids()).toEqual([4]);
    // The same rows the grid pages show for that view.
    const page = env.engine.data
      .provider(tid('app.items'))
      .browse(ADMIN_SUBJECT, { limit: 10, search: { text: '1', columns: ['meta'] }, filters: [{ column: 'id', op: 'gt', value: 1 }] });
    expect(page.rows.map((r) => r.values['id'])).toEqual([4]);
    // A system table (the entity provider's pages) takes it too.
    addUsers(env.engine, 'alice', 'bob');
    const users = join(outDir(), 'users.jsonl');
    await exportTo(env.engine, 'system.users', users, { format: 'jsonl', search: { text: 'ALI', columns: ['username'] } });
    expect(
      readFileSync(users, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { username: string }).username),
    ).toEqual(['alice']);
  });

  it('refuses a destination inside the data directory or in a missing folder, writing nothing', async () => {
    await seed();
    for (const file of [join(env.data.dir, 'kalam.sqlite'), join(env.data.dir, 'storage', 'x.csv'), join(env.data.dir, 'nope', 'x.csv')]) {
      const e = await exportTo(env.engine, 'app.items', file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).code).toBe('VALIDATION');
    }
    expect(existsSync(join(env.data.dir, 'storage', 'x.csv'))).toBe(false);
  });

  it('reports progress as it goes: rows, bytes written, rate', async () => {
    createEveryType(env.engine, 'big');
    env.engine.data.shared(tid('app.big')).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 25_000 }, (_, i) => ({ id: i, title: `row ${i}` })),
    );
    const file = join(outDir(), 'progress.csv');
    const ctx = testJobContext();
    const r = await runExport(env.engine, { table: 'app.big', file, format: 'csv', subject: ADMIN_SUBJECT }, ctx);
    const during = ctx.progress.filter((p) => p.phase === 'exporting');
    expect(during.length).toBeGreaterThanOrEqual(2);
    for (const [a, b] of during.slice(1).map((p, i) => [during[i]!, p] as const)) {
      expect(b.done).toBeGreaterThan(a.done);
      expect(b.bytes!).toBeGreaterThan(a.bytes!);
    }
    // A report after the last batch counts every byte.
    expect(during.every((p) => p.rate! > 0 && p.bytes! > 0 && p.bytes! <= r.bytes)).toBe(true);
    expect(ctx.progress.at(-1)).toMatchObject({ phase: 'done', done: 25_000, bytes: r.bytes });
    expect(r.bytes).toBe(readFileSync(file).length);
  });

  it('cancelled mid-way: the partial file is removed, nothing under the final name', async () => {
    createEveryType(env.engine, 'big');
    env.engine.data.shared(tid('app.big')).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 25_000 }, (_, i) => ({ id: i, title: `row ${i}` })),
    );
    const dir = outDir();
    const file = join(dir, 'big.csv');
    const ctx = testJobContext((p, c) => {
      if (p.done >= 10_000) c.cancel();
    });
    await expect(runExport(env.engine, { table: 'app.big', file, format: 'csv', subject: ADMIN_SUBJECT }, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
