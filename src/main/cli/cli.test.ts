import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from './cli.test-support';
import { ScheduleIdSchema } from '../../shared/keys/schedule-id';
import { StorageIdSchema } from '../../shared/keys/storage-id';
import { TableIdKey } from '../../shared/keys/table-id';
import type { Job } from '../../shared/system/jobs';
import { jobFixture } from '../../shared/system/jobs.test-support';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import { Engine } from '../engine/engine';
import { appLockPath } from '../engine/process-lock';
import { parseCliArgs, UsageError } from './cli-args';

/** The real CLI (cli.test-support.ts) on a temporary data directory. */
const root = mkdtempSync(join(tmpdir(), 'kalam-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A failure: the exit status, one message line, and no stack trace. */
function expectFailure(r: CliResult, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}

describe('the CLI on a temporary data directory', () => {
  const data = join(root, 'data');

  it('seeds a shared table and counts it', async () => {
    const seeded = await cli(data, 'seed', 'app.items', '--rows', '1200');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/^created app\.items: 1,200 rows in [\d.]+ s\n$/);
    expect((await cli(data, 'count', 'app.items')).stdout).toBe('1200\n');
    // Seeding again adds rows with new ids.
    expect((await cli(data, 'seed', 'app.items', '--rows', '5')).stdout).toMatch(/^added to app\.items: 5 rows/);
    expect((await cli(data, 'count', 'app.items')).stdout).toBe('1205\n');
  }, 60_000);

  it('seeds a user table over several users and counts every user', async () => {
    const r = await cli(data, 'seed', 'app.todos', '--rows', '10', '--users', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created app\.todos: 10 rows over 3 users/);
    expect((await cli(data, 'count', 'app.todos')).stdout).toBe('10\n');
    // A user table without --users is refused with a hint.
    expectFailure(await cli(data, 'seed', 'app.todos', '--rows', '1'), 1, /app\.todos is a user table; pass --users N/);
  }, 60_000);

  it('backs up, and restores the old rows', async () => {
    const folder = join(root, 'backup');
    const backup = await cli(data, 'backup', folder);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^backed up 1 file \([\d.]+ MiB\) into .*backup in [\d.]+ s, [\d.]+ MiB\/s \(job BK-/);
    await cli(data, 'seed', 'app.items', '--rows', '50');
    expect((await cli(data, 'count', 'app.items')).stdout).toBe('1255\n');
    const restore = await cli(data, 'restore', folder);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/^restored the backup of \d{4}-.*\(job RS-/);
    expect((await cli(data, 'count', 'app.items')).stdout).toBe('1205\n');
    // Both jobs are in system.jobs, as the app's Jobs page shows them.
    const jobs = await cli(data, 'jobs');
    expect(jobs.stdout).toMatch(/^RS-\S+ +completed/m);
    expect(jobs.stdout).toMatch(/^BK-\S+ +completed/m);
    expect(jobs.stdout).toMatch(/^2 jobs\n$/m);
    // A backup into a folder that holds one is refused.
    expectFailure(await cli(data, 'backup', folder), 1, /already exists and is not empty/);
  }, 90_000);

  it('refuses a restore while the app runs on the data directory', async () => {
    // This test process stands in for the app: a live pid in app.lock.
    writeFileSync(appLockPath(data), `${process.pid}\n`);
    try {
      expectFailure(
        await cli(data, 'restore', join(root, 'backup')),
        1,
        new RegExp(`the app \\(pid ${process.pid}\\) is running on .*; restore from its Jobs page`),
      );
    } finally {
      rmSync(appLockPath(data));
    }
  }, 30_000);

  it('refuses a folder that is not a backup, with the data untouched', async () => {
    expectFailure(await cli(data, 'restore', join(root, 'nothing-here')), 1, /nothing-here is not a Kalam Studio backup: backup-manifest.json is missing/);
    expect((await cli(data, 'count', 'app.items')).stdout).toBe('1205\n');
  }, 30_000);

  it('verifies the indexes', async () => {
    const r = await cli(data, 'verify-indexes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ indexes verified, no problems\n$/);
  }, 30_000);

  it('compacts a table: one segment per scope, the same rows, and says when there is nothing to do', async () => {
    const dir = join(root, 'compact');
    expect((await cli(dir, 'seed', 'app.items', '--rows', '300')).code).toBe(0);
    expect((await cli(dir, 'flush', 'app.items')).stdout).toMatch(/^flushed app\.items: 300 rows/);
    expect((await cli(dir, 'seed', 'app.items', '--rows', '20')).code).toBe(0);
    expect((await cli(dir, 'flush', 'app.items')).stdout).toMatch(/^flushed app\.items: 20 rows/);
    const r = await cli(dir, 'compact', 'app.items');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^compacted app\.items: 2 segments into 1, 320 rows \(0 tombstones\), [\d.]+ MiB → [\d.]+ MiB in [\d.]+ s \(job CP-\S+\)\n$/);
    expect((await cli(dir, 'count', 'app.items')).stdout).toBe('320\n');
    expect((await cli(dir, 'compact', 'app.items')).stdout).toMatch(/^nothing to compact in app\.items: no scope has two segments or more \(job CP-/);
    expect((await cli(dir, 'jobs', '--status', 'completed')).stdout).toMatch(/^CP-\S+ +completed/m);
    expectFailure(await cli(dir, 'compact', 'app.nope'), 1, /app\.nope/);
  }, 90_000);

  it.each<[string, string[], number, RegExp]>([
    ['no command', [], 2, /no command given/],
    ['an unknown command', ['explode'], 2, /unknown command "explode"/],
    ['a table that does not exist', ['count', 'app.nope'], 1, /table app\.nope/],
  ])(
    '%s: non-zero exit and a clear message',
    async (_what, args, code, message) => {
      expectFailure(await cli(data, ...args), code, message);
    },
    30_000,
  );
});

/** Runs `fn` on the data directory in this process (standing in for the app, or checking the result). */
function withEngine<T>(dir: string, fn: (engine: Engine) => T): T {
  const engine = Engine.openDataDir(dir, { secondary: true });
  try {
    return fn(engine);
  } finally {
    engine.close();
  }
}

/** A job row as another process writes it: this test's parent stands in for a live app, DEAD_PID for a killed CLI. */
function putJob(dir: string, over: Partial<Omit<Job, 'job_id'>> & { job_id: string }): Job {
  return withEngine(dir, (engine) => engine.system.jobs.insert(jobFixture({ created_at: Date.now(), updated_at: Date.now(), max_retries: 0, ...over })));
}
const DEAD_PID = 999_999_999;
const liveApp = { process: 'app', pid: process.ppid } as const;

describe('the CLI and the maintenance planner', () => {
  it('lists schedules and runs one: a backup schedule with retention 2 run three times leaves its two newest backups', async () => {
    const data = join(root, 'planner');
    const backups = join(root, 'planner-backups');
    const engine = Engine.openDataDir(data);
    try {
      const now = engine.now();
      engine.system.schedules.insert({
        schedule_id: ScheduleIdSchema.parse('nightly'),
        kind: 'backup',
        enabled: true,
        interval_seconds: null,
        cron: '0 3 * * *',
        timezone: 'UTC',
        missed: 'skip',
        folder_template: join(backups, 'kalam-{timestamp}'),
        keep_last: 2,
        table: null,
        min_segments: null,
        small_mb: null,
        last_run_at: null,
        last_job_id: null,
        last_outcome: null,
        backups: [],
        created_at: now,
        updated_at: now,
      });
    } finally {
      engine.close();
    }
    const listed = await cli(data, 'schedules', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^nightly +backup +enabled +cron "0 3 \* \* \*" UTC +next \d{4}-\d\d-\d\dT03:00:00\.000Z +last —\n1 schedule\n$/);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ran = await cli(data, 'schedules', 'run', 'nightly');
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(/^schedule nightly: BK-\S+ completed: /);
      made.push(/completed: (\S+?)(;|\s+in )/.exec(ran.stdout)![1]!);
    }
    expect(readdirSync(backups).sort()).toEqual(
      made
        .slice(1)
        .map((f) => basename(f))
        .sort(),
    );
    expectFailure(await cli(data, 'schedules', 'run', 'weekly'), 1, /no schedule "weekly"/);
  }, 120_000);
});

describe('the CLI beside the app and other processes', () => {
  const dir = join(root, 'beside');

  it("refuses a flush of a table the app is flushing, naming the app's job and pid; the app's job is left alone", async () => {
    expect((await cli(dir, 'seed', 'app.items', '--rows', '100')).code).toBe(0);
    const theirs = putJob(dir, {
      job_id: 'FL-app1',
      status: 'running',
      parameters: { table: 'app.items' },
      idempotency_key: 'flush:app.items',
      owner: liveApp,
    });
    expectFailure(
      await cli(dir, 'flush', 'app.items'),
      1,
      new RegExp(`a flush of app\\.items is already running \\(FL-app1\\) in the app \\(pid ${process.ppid}\\)`),
    );
    // The CLI's recovery ran at its start: a live app's job is untouched.
    expect(withEngine(dir, (e) => e.system.jobs.get(theirs.job_id))).toEqual(theirs);
    withEngine(dir, (e) => e.system.jobs.update(theirs.job_id, (j) => ({ ...j, status: 'completed', finished_at: Date.now() })));
  }, 60_000);

  it("a job a killed CLI left running blocks nothing: the next call fails it as interrupted and runs; a dead app's job is recovered too", async () => {
    const appLeft = putJob(dir, {
      job_id: 'BK-deadapp',
      job_type: 'backup',
      status: 'running',
      parameters: { folder: '/x' },
      owner: { process: 'app', pid: DEAD_PID },
    });
    const left = putJob(dir, {
      job_id: 'FL-dead1',
      status: 'running',
      parameters: { table: 'app.items' },
      idempotency_key: 'flush:app.items',
      owner: { process: 'cli', pid: DEAD_PID },
    });
    const r = await cli(dir, 'flush', 'app.items');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^flushed app\.items: 100 rows/);
    expect(withEngine(dir, (e) => e.system.jobs.get(left.job_id))).toMatchObject({
      status: 'failed',
      error: 'interrupted',
      message: `the CLI (pid ${DEAD_PID}) stopped while the job was running; retry it to run it again`,
    });
    expect(withEngine(dir, (e) => e.system.jobs.get(appLeft.job_id))).toMatchObject({ status: 'failed', error: 'interrupted' });
    // The CLI's own job names it as owner.
    const ran = withEngine(dir, (e) => e.system.jobs.list({ status: 'completed', limit: 1 }).items[0]!);
    expect(ran.owner?.process).toBe('cli');
    expect(ran.owner?.pid).not.toBe(process.pid);
  }, 60_000);

  it('waits while the app runs a backup (a compaction never runs beside one), saying so, then compacts', async () => {
    expect((await cli(dir, 'seed', 'app.items', '--rows', '10')).code).toBe(0);
    expect((await cli(dir, 'flush', 'app.items')).code).toBe(0);
    const backup = putJob(dir, { job_id: 'BK-app1', job_type: 'backup', status: 'running', parameters: { folder: '/x' }, owner: liveApp });
    const compacting = cli(dir, 'compact', 'app.items');
    const waiting = () => withEngine(dir, (e) => [...e.system.jobs.withStatus('queued')].find((j) => j.job_type === 'compact'));
    await expect.poll(() => waiting()?.message, { timeout: 30_000 }).toBe(`waiting for BK-app1 (backup) to finish in the app (pid ${process.ppid})`);
    expect(waiting()?.owner?.process).toBe('cli');
    withEngine(dir, (e) => e.system.jobs.update(backup.job_id, (j) => ({ ...j, status: 'completed', finished_at: Date.now() })));
    const r = await compacting;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^compacted app\.items: 2 segments into 1, 110 rows/);
  }, 90_000);

  it('flush-all goes on past a table that fails, and reports it (exit 1)', async () => {
    const broken = join(root, 'not-a-folder');
    writeFileSync(broken, 'a file where a storage folder should be');
    withEngine(dir, (engine) => {
      const now = Date.now();
      engine.system.storages.insert({
        storage_id: StorageIdSchema.parse('broken'),
        storage_name: 'broken',
        description: null,
        storage_type: 'filesystem',
        base_directory: broken,
        shared_tables_template: '{namespace}/{tableName}',
        user_tables_template: '{namespace}/{tableName}/{userId}',
        created_at: now,
        updated_at: now,
      });
      engine.ddl.createTable(SYSTEM_SUBJECT, {
        namespace: 'app',
        name: 'aaa_broken',
        type: 'shared',
        access_level: 'public',
        storage_id: 'broken',
        columns: [{ name: 'id', type: 'integer', primary_key: true }],
      });
      engine.data.shared(TableIdKey.parse('app.aaa_broken')).insertRows(SYSTEM_SUBJECT, [{ id: 1 }]);
    });
    expect((await cli(dir, 'seed', 'app.items', '--rows', '5')).code).toBe(0);
    const r = await cli(dir, 'flush-all');
    expectFailure(r, 1, /^kalam cli: flushed 1 of 2 tables in [\d.]+ s; failed: app\.aaa_broken \(.*not-a-folder.*\)\n$/);
    // The table after the failing one was flushed.
    expect(withEngine(dir, (e) => e.backend.count(e.data.shared(TableIdKey.parse('app.items')).partition))).toBe(0);
    expect((await cli(dir, 'count', 'app.items')).stdout).toBe('115\n');
  }, 90_000);
});

describe('CLI arguments', () => {
  it.each<[string, string[], RegExp]>([
    ['seed without --rows', ['seed', 'app.items'], /seed needs --rows N/],
    ['a bad row count', ['seed', 'app.items', '--rows', 'many'], /--rows must be a whole number/],
    ['a zero row count', ['seed', 'app.items', '--rows', '0'], /--rows must be at least 1/],
    ['a table without a namespace', ['count', 'items'], /table: must look like namespace\.table/],
    ['an option of another command', ['count', 'app.items', '--rows', '3'], /--rows does not apply to count/],
    ['an unknown option', ['count', 'app.items', '--fast'], /Unknown option '--fast'/],
    ['an extra argument', ['backup', 'a', 'b'], /backup takes one folder; unexpected "b"/],
    ['compact without a table', ['compact'], /compact takes one table \(namespace\.table\)/],
    ['a bad job status', ['jobs', '--status', 'done'], /--status: Invalid option/],
    ['an empty data directory', ['--data-dir', '', 'jobs'], /--data-dir must not be empty/],
    ['schedules without list or run', ['schedules', 'show'], /schedules takes "list" or "run <id>"/],
    ['export --sql with a table too', ['export', '--sql', 'SELECT 1', 'app.t', 'x.csv'], /export takes a file with --sql "<query>"; unexpected "x.csv"/],
    [
      'export --sql with --where',
      ['export', '--sql', 'SELECT 1', 'x.csv', '--where', 'id = 1'],
      /--where filters a table: with --sql, put the condition in the query/,
    ],
    ['export with an empty --sql', ['export', '--sql', ' ', 'x.csv'], /--sql needs a query/],
    ['--sql for another command', ['sql', '--sql', 'SELECT 1'], /--sql does not apply to sql/],
    ['schedules run without an id', ['schedules', 'run'], /schedules takes "list" or "run <id>"/],
  ])('%s → UsageError', (_what, args, message) => {
    expect(() => parseCliArgs(args, {}, '/work')).toThrow(UsageError);
    expect(() => parseCliArgs(args, {}, '/work')).toThrow(message);
  });

  it('export: a table with --where, or a query with --sql; the format from the extension', () => {
    expect(parseCliArgs(['export', '--sql', 'SELECT 1', 'out/q.parquet', '--as', 'bob'], {}, '/work').command).toEqual({
      name: 'export',
      from: { sql: 'SELECT 1' },
      file: '/work/out/q.parquet',
      format: 'parquet',
      as: 'bob',
      delimiter: undefined,
      bom: false,
    });
    expect(parseCliArgs(['export', 'app.t', 'q.csv', '--where', 'id = 1'], {}, '/work').command).toMatchObject({
      from: { table: 'app.t', where: 'id = 1' },
      format: 'csv',
    });
  });

  it('resolves folders and the data directory against the working directory, and reads KALAM_DATA_DIR', () => {
    expect(parseCliArgs(['--data-dir', 'd', 'restore', 'bk', '--allow-foreign'], {}, '/work')).toEqual({
      dataDir: '/work/d',
      command: { name: 'restore', folder: '/work/bk', allowForeign: true },
      help: false,
    });
    expect(parseCliArgs(['seed', 'app.t', '--rows', '10', '--users', '2'], { KALAM_DATA_DIR: '/data' }, '/work')).toEqual({
      dataDir: '/data',
      command: { name: 'seed', table: 'app.t', rows: 10, users: 2 },
      help: false,
    });
  });
});

describe('CLI export and import', () => {
  const data = join(root, 'io-data');
  const out = join(root, 'io-out');

  it('exports a table (CSV by default, the format from the extension), filtered and as a user, then imports it into a new table', async () => {
    expect((await cli(data, 'seed', 'app.notes', '--rows', '300', '--users', '2')).code).toBe(0);
    mkdirSync(out, { recursive: true });
    const all = await cli(data, 'export', 'app.notes', join(out, 'notes.csv'));
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^exported 300 rows of app\.notes to .*notes\.csv \(csv, [\d.]+ MiB\) in [\d.]+ s, [\d,]+ rows\/s \(job EX-[\w-]+\)\n$/);
    expect(readFileSync(join(out, 'notes.csv'), 'utf8').split('\r\n')[0]).toBe('_user,id,name,amount,active,created_at,note,_seq');
    const mine = await cli(data, 'export', 'app.notes', join(out, 'mine.parquet'), '--as', 'seed_user_0001', '--where', 'id < 100');
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout).toMatch(/exported \d+ rows .*\(parquet,/);
    const imported = await cli(data, 'import', 'app.copy', join(out, 'notes.csv'), '--create', '--key', 'id');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(
      /^imported 300 rows into new table app\.copy \(read 300, rejected 0; report .*import-reports.*\.csv\) in [\d.]+ s \(job IM-[\w-]+\)\n$/,
    );
    expect((await cli(data, 'count', 'app.copy')).stdout).toBe('300\n');
    // The same file again: every key exists. Abort (the default) fails and writes nothing; skip and replace go through.
    expectFailure(await cli(data, 'import', 'app.copy', join(out, 'notes.csv')), 1, /rejected|already exists/);
    const skipped = await cli(data, 'import', 'app.copy', join(out, 'notes.csv'), '--on-conflict', 'skip');
    expect(skipped.stdout).toMatch(/imported 0 rows .*skipped 300 existing/);
  }, 120_000);

  it("exports a query's result (--sql), as a user; a write statement is refused with its position and nothing is written", async () => {
    mkdirSync(out, { recursive: true });
    const sql = 'SELECT _user, count(*) AS n, min(id) AS first FROM app.notes GROUP BY _user ORDER BY _user';
    const all = await cli(data, 'export', '--sql', sql, join(out, 'per-user.jsonl'));
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^exported 2 rows of the query to .*per-user\.jsonl \(jsonl, [\d.]+ MiB\) in [\d.]+ s, [\d,]+ rows\/s \(job EX-[\w-]+\)\n$/);
    const lines = readFileSync(join(out, 'per-user.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { _user: string; n: number });
    expect(lines.map((l) => l._user)).toEqual(['seed_user_0001', 'seed_user_0002']);
    expect(lines.reduce((sum, l) => sum + l.n, 0)).toBe(300);
    // The same query as a user: only its own rows.
    const mine = await cli(data, 'export', '--sql', sql, join(out, 'mine.csv'), '--as', 'seed_user_0002');
    expect(mine.code, mine.stderr).toBe(0);
    const csv = readFileSync(join(out, 'mine.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('_user,n,first');
    expect(
      csv
        .slice(1)
        .filter((l) => l !== '')
        .map((l) => l.split(',')[0]),
    ).toEqual(['seed_user_0002']);
    const before = (await cli(data, 'count', 'app.notes')).stdout;
    expectFailure(
      await cli(data, 'export', '--sql', 'SELECT 1;\nDELETE FROM app.notes', join(out, 'w.csv')),
      1,
      /--sql: NOT_SUPPORTED at line 2, column 1: an export runs one query/,
    );
    expectFailure(await cli(data, 'export', '--sql', 'DELETE FROM app.notes', join(out, 'w.csv')), 1, /DELETE is not a query/);
    expectFailure(
      await cli(data, 'export', '--sql', "EXECUTE AS USER 'seed_user_0001' (SELECT 1)", join(out, 'w.csv'), '--as', 'seed_user_0002'),
      1,
      /ACCESS_DENIED/,
    );
    expect(existsSync(join(out, 'w.csv'))).toBe(false);
    expect((await cli(data, 'count', 'app.notes')).stdout).toBe(before);
  }, 120_000);

  it('refuses bad import and export command lines and files with one clear message', async () => {
    expectFailure(await cli(data, 'import', 'app.copy', join(out, 'missing.csv')), 1, /missing\.csv does not exist/);
    expectFailure(await cli(data, 'export', 'app.notes', join(out, 'x.csv'), '--where', 'id ~ 3'), 1, /--where: /);
    expectFailure(await cli(data, 'export', 'app.notes', join(out, 'x.csv'), '--as', 'nobody'), 1, /no user is named "nobody"/);
    expectFailure(await cli(data, 'export', 'app.notes', join(out, 'x.csv'), '--on-error', 'skip'), 2, /--on-error does not apply to export/);
    expectFailure(await cli(data, 'import', 'app.copy', join(out, 'x.csv'), '--format', 'xml'), 2, /--format/);
  }, 60_000);
});
