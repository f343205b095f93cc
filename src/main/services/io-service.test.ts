import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient, ORPCError } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportResult } from '../../shared/jobs/io-params';
import type { Job } from '../../shared/system/jobs';
import { silentLogger } from '../../shared/logger';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { Engine } from '../engine/engine';
import { type AppServices, createServices } from './app-services';
import { ChangeBus } from './change-bus';
import { seedDemo } from './demo';

let dir: string;
let out: string;
let engine: Engine;
let services: AppServices;
let client: ReturnType<typeof clientOf>;

function clientOf(s: AppServices) {
  return createRouterClient(s.router, { context: s.context('io-test') });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-io-svc-'));
  out = join(dir, 'out');
  mkdirSync(out);
  engine = Engine.openDataDir(join(dir, 'data'));
  services = createServices({ engine, mode: 'web', dataDir: join(dir, 'data'), logPath: join(dir, 'main.log'), appVersion: 'test', logger: silentLogger });
  await services.ready;
  seedDemo(engine);
  client = clientOf(services);
});

afterEach(() => {
  services.close();
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function until(id: string): Promise<Job> {
  return vi.waitFor(
    async () => {
      const job = await client.jobs.get({ id });
      if (['queued', 'running', 'retrying'].includes(job.status)) throw new Error(`${id} is ${job.status}`);
      return job;
    },
    { timeout: 10_000, interval: 10 },
  );
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const e = await call.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ORPCError);
  return (e as ORPCError<string, unknown>).code;
}

const BOB = { userId: 'u_bob' } as const;

describe('io service', () => {
  it('exports as the subject `as` names: only its rows, a job (EX-) recorded and audited', async () => {
    const file = join(out, 'notes.jsonl');
    const { job } = await client.io.export({ table: 'demo.notes', file, format: 'jsonl', as: BOB });
    expect(job.job_id).toMatch(/^EX-/);
    expect(job.parameters).toMatchObject({ subject: { userId: 'u_bob', role: 'user' } });
    expect((await until(job.job_id)).status).toBe('completed');
    const owners = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { _user: string })._user);
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(['u_bob']));
    const audit = [...engine.system.auditLog.scan()].map(([, a]) => a).find((a) => a.target === `system.jobs/${job.job_id}`);
    expect(audit).toMatchObject({ action: 'jobs.start', actor_user_id: 'u_bob', actor_role: 'user' });
  });

  it('refuses at once what would only fail as a job: no access, no such table, a sort the table cannot take, a destination in the data directory', async () => {
    expect(await codeOf(client.io.export({ table: 'system.users', file: join(out, 'u.csv'), format: 'csv', as: BOB }))).toBe('ACCESS_DENIED');
    expect(await codeOf(client.io.export({ table: 'demo.nope', file: join(out, 'u.csv'), format: 'csv' }))).toBe('NOT_FOUND');
    const unsortable = { table: 'demo.products', file: join(out, 'u.csv'), format: 'csv', sort: { column: 'name', order: 'asc' } } as const;
    expect(await codeOf(client.io.export(unsortable))).toBe('VALIDATION');
    expect(await codeOf(client.io.export({ table: 'demo.products', file: join(dir, 'data', 'kalam.sqlite'), format: 'csv' }))).toBe('VALIDATION');
    expect(await codeOf(client.io.import({ table: 'demo.products', file: join(out, 'x.csv'), as: BOB }))).toBe('ACCESS_DENIED');
    expect(await codeOf(client.io.import({ table: 'demo.x', file: join(out, 'x.csv'), create: { type: 'shared' }, as: BOB }))).toBe('ACCESS_DENIED');
    expect((await client.jobs.list({})).jobs.filter((j) => j.job_type === 'export' || j.job_type === 'import')).toEqual([]);
  });

  it("exports a SQL query's result (source: sql) as a job, as the subject: only its rows, the same rows as sql.run", async () => {
    const sql = 'SELECT _user, id, title FROM demo.notes ORDER BY id';
    const file = join(out, 'q.jsonl');
    const { job } = await client.io.export({ source: { kind: 'sql', sql }, file, format: 'jsonl', as: BOB });
    expect(job.job_id).toMatch(/^EX-/);
    expect(job.parameters).toMatchObject({ source: { kind: 'sql', sql }, subject: { userId: 'u_bob', role: 'user' } });
    expect((await until(job.job_id)).status).toBe('completed');
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const run = await client.sql.run({ script: sql, pageSize: 1000, as: BOB });
    const outcome = run.outcomes[0]!;
    if (outcome.kind !== 'rows') throw new Error(outcome.kind);
    expect(lines.map((l) => [l._user, l.id, l.title])).toEqual(outcome.page.rows);
    expect(new Set(lines.map((l) => l._user))).toEqual(new Set(['u_bob']));
    const audit = [...engine.system.auditLog.scan()].map(([, a]) => a).find((a) => a.target === `system.jobs/${job.job_id}`);
    expect(audit).toMatchObject({ action: 'jobs.start', actor_user_id: 'u_bob', actor_role: 'user' });
  });

  it('refuses a SQL source that would not read, before a job or a file exists', async () => {
    const file = join(out, 'w.csv');
    const before = await client.sql.run({ script: 'SELECT * FROM demo.products ORDER BY id', pageSize: 1000 });
    const jobsBefore = (await client.jobs.list({})).jobs.length;
    const refusal = async (input: Record<string, unknown>) => {
      const e = await client.io.export({ file, format: 'csv', ...input } as never).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ORPCError);
      const error = e as ORPCError<string, { issues?: { field: string; message: string }[] }>;
      return { code: error.code, issues: error.data?.issues };
    };
    const sql = (text: string) => ({ source: { kind: 'sql', sql: text } });
    const said = (r: { code: string; issues: { field: string; message: string }[] | undefined }) =>
      `${r.code} ${(r.issues ?? []).map((i) => `${i.field}: ${i.message}`).join('; ')}`;
    expect(await refusal(sql('DELETE FROM demo.products'))).toEqual({
      code: 'VALIDATION',
      issues: [
        {
          field: 'source.sql',
          message: 'only a query (SELECT) can be exported: DELETE is not a query, and an export never changes anything (line 1, column 1)',
        },
      ],
    });
    expect(said(await refusal(sql('SELECT 1;\nUPDATE demo.products SET price = 0')))).toMatch(/^VALIDATION source\.sql: .*one query: .*\(line 2, column 1\)$/);
    expect(await refusal(sql('CREATE NAMESPACE x'))).toMatchObject({ code: 'VALIDATION', issues: [{ field: 'source.sql' }] });
    expect(said(await refusal(sql('SELECT nope FROM demo.products')))).toMatch(/^VALIDATION source\.sql: no such column: nope/);
    expect(await refusal(sql('SELECT * FROM demo.nope'))).toMatchObject({
      code: 'VALIDATION',
      issues: [{ field: 'source.sql', message: 'no table demo.nope (line 1, column 15)' }],
    });
    expect(await refusal({ ...sql('SELECT * FROM system.jobs'), as: BOB })).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(await refusal({ ...sql("EXECUTE AS USER 'alice' (SELECT * FROM demo.notes)"), as: BOB })).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(await refusal(sql("EXECUTE AS USER 'nobody' (SELECT 1)"))).toMatchObject({ code: 'NOT_FOUND' });
    // The input's shape: a table or a query, not both, not neither; the grid's view belongs to a table.
    expect(await refusal({ table: 'demo.products', ...sql('SELECT 1') })).toEqual({
      code: 'VALIDATION',
      issues: [{ field: 'source', message: 'give a table or a SQL query, not both' }],
    });
    expect(await refusal({})).toEqual({ code: 'VALIDATION', issues: [{ field: 'table', message: 'give a table, or a SQL query as `source`' }] });
    expect(await refusal({ ...sql('SELECT 1'), sort: { column: 'id', order: 'asc' } })).toMatchObject({ code: 'VALIDATION', issues: [{ field: 'sort' }] });
    expect(await refusal({ source: { kind: 'sql', sql: 'SELECT 1', extra: 1 } })).toMatchObject({
      code: 'VALIDATION',
      issues: [{ field: 'source', message: 'has an unknown key: "extra"' }],
    });
    expect((await client.jobs.list({})).jobs.length).toBe(jobsBefore);
    expect(await client.sql.run({ script: 'SELECT * FROM demo.products ORDER BY id', pageSize: 1000 })).toMatchObject({
      outcomes: [{ page: before.outcomes[0]!.kind === 'rows' ? before.outcomes[0]!.page : {} }],
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('previews a file, imports it (IM-), and serves the rejected rows of a failed import', async () => {
    const good = join(out, 'good.csv');
    writeFileSync(good, 'id,name,price\n50,Cable,1.5\n');
    expect(await client.io.preview({ file: good })).toMatchObject({
      format: 'csv',
      delimiter: ',',
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
        { name: 'price', type: 'double' },
      ],
      rows: [['50', 'Cable', '1.5']],
    });
    const ok = await client.io.import({ table: 'demo.products', file: good });
    expect(ok.job.job_id).toMatch(/^IM-/);
    const done = await until(ok.job.job_id);
    expect(done.status).toBe('completed');
    expect(done.result as unknown as ImportResult).toMatchObject({ inserted: 1, rejected: 0 });
    expect((await client.rows.get({ table: 'demo.products', key: '50' })).row.values).toMatchObject({ name: 'Cable', price: 1.5 });

    const bad = join(out, 'bad.csv');
    writeFileSync(bad, 'id,name,price\n60,A,x\n61\n');
    const failed = await until((await client.io.import({ table: 'demo.products', file: bad })).job.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/2 rows rejected/);
    expect(await client.io.report({ id: failed.job_id })).toMatchObject({
      rows: [
        { line: 2, column: 'price', value: 'x', reason: '"x" is not a number' },
        { line: 3, column: '', value: '61', reason: 'has 1 fields, the header has 3' },
      ],
      truncated: false,
    });
    expect(await codeOf(client.rows.get({ table: 'demo.products', key: '60' }))).toBe('NOT_FOUND');
  });

  it('an import reaches open views: the event stream hears every imported row once the job commits, and nothing of a failed one', async () => {
    // Every event stream subscribes to the change bus when it starts: the signal that it listens.
    const subscribed = vi.spyOn(ChangeBus.prototype, 'subscribe');
    const abort = new AbortController();
    const stream = await client.events.subscribe(undefined, { signal: abort.signal });
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) seen.push(e);
    })();
    await vi.waitFor(() => expect(subscribed).toHaveBeenCalled(), { interval: 1 });
    const products = () => seen.filter((e) => e.type === 'change' && e.table === 'demo.products');

    const bad = join(out, 'bad.csv');
    writeFileSync(bad, 'id,name,price\n70,A,1\n71,B,x\n');
    expect((await until((await client.io.import({ table: 'demo.products', file: bad })).job.job_id)).status).toBe('failed');
    const good = join(out, 'good.csv');
    writeFileSync(good, 'id,name,price\n80,A,1\n81,B,2\n82,C,3\n');
    expect((await until((await client.io.import({ table: 'demo.products', file: good })).job.job_id)).status).toBe('completed');
    // The rows one by one, then the job's "refetch" for views that keep no per-row state.
    await vi.waitFor(() => expect(products().at(-1)).toMatchObject({ op: 'bulk' }));
    abort.abort();
    await reading;
    expect(products().map((e) => e.type === 'change' && [e.key, e.op])).toEqual([
      ['80', 'insert'],
      ['81', 'insert'],
      ['82', 'insert'],
      [null, 'bulk'],
    ]);
    subscribed.mockRestore();
  });
});
