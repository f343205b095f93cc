import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../shared/contract/events-contract';
import type { BackupCheckEvent } from '../../shared/contract/jobs-contract';
import type { Job } from '../../shared/system/jobs';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import { CleanupJournal } from '../engine/backup/cleanup-journal';
import { Engine } from '../engine/engine';
import { as, tid, todoTable } from '../engine/tables/testing.test-support';
import { defaultJobKinds } from '../engine/jobs/default-kinds';
import { runFlush } from '../engine/flush/flush-job';
import { testJobContext as testContext } from '../engine/flush/testing/flush.test-support';
import { JobCancelledError } from '../engine/jobs/job-context';
import { jobKind, type JobKind, jobKinds } from '../engine/jobs/job-kind';
import { EngineError } from '../engine/errors';
import type { z } from 'zod';
import { type AppServices, createServices } from './app-services';
import { expectError, snapshot } from './test-support';
import { silentLogger } from '../../shared/logger';

let dir: string;
let engine: Engine;
let services: AppServices;
let client: ReturnType<typeof clientOf>;
let events: EngineEvent[];
let abort: AbortController;
/** What the services logged as unexpected: nothing, in every test. */
let logged: string[];

/** Every event of a checkBackup stream (rejects with the stream's error). */
async function checkEvents(input: { folder: string; allow_foreign?: boolean }): Promise<BackupCheckEvent[]> {
  const out: BackupCheckEvent[] = [];
  for await (const event of await client.jobs.checkBackup(input)) out.push(event);
  return out;
}

function clientOf(s: AppServices) {
  return createRouterClient(s.router, { context: s.context('test') });
}

/**
 * Flushes wait here until the test releases them (or they are cancelled), so what is queued or
 * running when is up to the test; the real flush body has its own tests.
 */
let gate: { release: () => void; wait: Promise<void> };
function newGate(): void {
  let release!: () => void;
  gate = { wait: new Promise<void>((r) => (release = r)), release: () => release() };
}
const gatedFlush = jobKind({
  ...(defaultJobKinds().get('flush') as JobKind<{ table: string }>),
  thread: 'main',
  run: async (_engine, p, ctx) => {
    await Promise.race([gate.wait, new Promise<void>((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new JobCancelledError())))]);
    return { table: p.table };
  },
});

function open(readOnly = false, flush: JobKind = gatedFlush): void {
  engine.readOnly.set(readOnly);
  services = createServices({
    engine,
    mode: 'web',
    dataDir: dir,
    logPath: join(dir, 'logs', 'main.log'),
    appVersion: '1.0.0-test',
    logger: { ...silentLogger, error: (message) => logged.push(message) },
    jobs: { scheduleEveryMs: 0, kinds: jobKinds(...defaultJobKinds().values(), flush) },
  });
  client = clientOf(services);
}

beforeEach(() => {
  newGate();
  logged = [];
  dir = mkdtempSync(join(tmpdir(), 'kalam-jobs-svc-'));
  // Stream rows written an hour ago with a 1 s TTL are expired by now.
  const past = Engine.openDataDir(dir, { now: () => Date.now() - 3_600_000 });
  past.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  past.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events', { ttl_seconds: 1 }));
  past.data.stream(tid('app.events')).appendRows(as('alice'), [
    { id: 1, title: 'a' },
    { id: 2, title: 'b' },
  ]);
  past.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'notes'));
  past.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
  past.close();
  engine = Engine.openDataDir(dir);
  open();
  events = [];
  abort = new AbortController();
  void (async () => {
    for await (const e of await client.events.subscribe(undefined, { signal: abort.signal })) events.push(e);
  })().catch(() => {});
});
afterEach(() => {
  expect(logged).toEqual([]);
  abort.abort();
  services.close();
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The job once it is in one of `statuses` (polled through the contract). */
function until(id: string, statuses: Job['status'][]): Promise<Job> {
  return vi.waitFor(
    async () => {
      const job = await client.jobs.get({ id });
      if (!statuses.includes(job.status)) throw new Error(`job ${id} is ${job.status}, never reached ${statuses.join('/')}`);
      return job;
    },
    { timeout: 10_000, interval: 10 },
  );
}

describe('jobs service', () => {
  it('starts an eviction, streams its events, lists it, and announces the changed table', async () => {
    const { jobs } = await client.jobs.start({ type: 'evict' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.job_id).toMatch(/^EV-/);
    const done = await until(jobs[0]!.job_id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', result: { evicted: 2, tables: { 'app.events': 2 } } });

    const list = await client.jobs.list({});
    expect(list.jobs.map((j) => j.job_id)).toEqual([done.job_id]);
    expect(list.active).toBe(0);
    expect((await client.jobs.list({ status: 'failed' })).jobs).toEqual([]);

    // The stream's reader takes the job's last events in after the job ended.
    await vi.waitFor(() => {
      const jobEvents = events.filter((e) => e.type === 'job');
      expect(jobEvents.map((e) => e.job.status)).toContain('completed');
      expect(events).toContainEqual({ type: 'change', table: 'app.events', key: null, op: 'bulk' });
    });
  });

  it('refuses bad input with field errors, writing nothing', async () => {
    const before = snapshot(engine);
    let e = await expectError(client.jobs.start({ type: 'backup', folder: 'relative/dir' }), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'folder', message: 'must be an absolute path' }] });
    e = await expectError(client.jobs.start({ type: 'restore', folder: '/tmp/a\0b' }), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'folder', message: 'must not contain NUL characters' }] });
    e = await expectError(client.jobs.start({ type: 'flush', table: 'nodot' }), 'VALIDATION');
    expect((e.data as { issues: { field: string }[] }).issues[0]!.field).toBe('table');
    e = await expectError(client.jobs.start({ type: 'flush', table: 'app.events' }), 'VALIDATION');
    expect(e.message).toContain('app.events is a stream table; only shared and user tables are flushed');
    await expectError(client.jobs.start({ type: 'flush', table: 'app.missing' }), 'NOT_FOUND');
    await expectError(client.jobs.start({ type: 'index_rebuild', table: 'system.users', index: '' }), 'VALIDATION');
    await expectError(client.jobs.cancel({ id: 'FL-nope' }), 'NOT_FOUND');
    await expectError(client.jobs.get({ id: 'XX-1' }), 'VALIDATION');
    expect(snapshot(engine)).toEqual(before);
  });

  it('refuses a second flush of a table while the first is active, naming it', async () => {
    const { jobs } = await client.jobs.start({ type: 'flush', table: 'app.notes' });
    const first = jobs[0]!;
    const e = await expectError(client.jobs.start({ type: 'flush', table: 'app.notes' }), 'CONFLICT');
    expect(e.message).toBe(`a flush of app.notes is already running (${first.job_id})`);
    gate.release();
    await until(first.job_id, ['completed']);
    // Once it ended, the table can be flushed again.
    const again = (await client.jobs.start({ type: 'flush', table: 'app.notes' })).jobs[0]!;
    expect(again.job_id).not.toBe(first.job_id);
    await until(again.job_id, ['completed']);
  });

  it('flush_all queues one flush per shared and user table, and records a skip for a table already being flushed', async () => {
    const {
      jobs: [running],
    } = await client.jobs.start({ type: 'flush', table: 'app.notes' });
    const { jobs } = await client.jobs.start({ type: 'flush_all' });
    const byTable = new Map(jobs.map((j): [string, Job] => [j.parameters['table'] as string, j]));
    expect([...byTable.keys()].sort()).toEqual(['app.notes', 'app.todos']);
    expect(byTable.get('app.notes')).toMatchObject({ status: 'skipped', message: `a flush of app.notes is already running (${running!.job_id})` });
    expect(byTable.get('app.todos')!.status).not.toBe('skipped');
    gate.release();
    for (const j of [running!, byTable.get('app.todos')!]) await until(j.job_id, ['completed']);
  });

  it('compacts a table: skipped with nothing to compact, refused beside a flush, run and audited otherwise', async () => {
    // Stream tables have no segments; a table with at most one segment per scope is skipped, saying so.
    let e = await expectError(client.jobs.start({ type: 'compact', table: 'app.events' }), 'VALIDATION');
    expect(e.message).toContain('app.events is a stream table; only shared and user tables are compacted');
    const {
      jobs: [skipped],
    } = await client.jobs.start({ type: 'compact', table: 'app.notes' });
    expect(skipped).toMatchObject({ job_type: 'compact', status: 'skipped', message: 'app.notes has nothing to compact (no scope has two segments or more)' });
    expect(skipped!.job_id).toMatch(/^CP-/);

    const store = engine.data.shared(tid('app.notes'));
    for (const id of [1, 2]) {
      store.insertRow(SYSTEM_SUBJECT, { id, title: `n${id}` });
      await runFlush(engine, { table: 'app.notes' }, testContext());
    }
    // A flush of the table holds the key a compaction needs.
    const {
      jobs: [flushing],
    } = await client.jobs.start({ type: 'flush', table: 'app.notes' });
    e = await expectError(client.jobs.start({ type: 'compact', table: 'app.notes' }), 'CONFLICT');
    expect(e.message).toBe(`a flush of app.notes is already running (${flushing!.job_id})`);
    gate.release();
    await until(flushing!.job_id, ['completed']);

    const {
      jobs: [compact],
    } = await client.jobs.start({ type: 'compact', table: 'app.notes' });
    const done = await until(compact!.job_id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', result: { table: 'app.notes', scopes: 1, segmentsBefore: 2, rows: 2 } });
    expect([...engine.system.manifest.segmentsOf(tid('app.notes'))]).toHaveLength(1);
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(2);
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'change', table: 'app.notes', key: null, op: 'bulk' }));
    const audits = [...engine.system.auditLog.scan()].map(([, a]) => [a.action, a.target]);
    expect(audits).toContainEqual(['jobs.start', `system.jobs/${compact!.job_id}`]);
    expect(audits).toContainEqual(['jobs.start', `system.jobs/${skipped!.job_id}`]);
  });

  it('cancels a queued job and retries it as a new job', async () => {
    // Four flushes: two run, the rest wait in the queue.
    for (const t of ['a1', 'a2', 'a3']) engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', t));
    const started = [];
    for (const t of ['app.a1', 'app.a2', 'app.a3', 'app.notes']) started.push((await client.jobs.start({ type: 'flush', table: t })).jobs[0]!);
    const last = started[3]!;
    const cancelled = await client.jobs.cancel({ id: last.job_id });
    expect(cancelled).toMatchObject({ status: 'cancelled', message: 'cancelled before it ran' });
    await expectError(client.jobs.cancel({ id: last.job_id }), 'CONFLICT');
    const again = await client.jobs.retry({ id: last.job_id });
    expect(again).toMatchObject({ parameters: { table: 'app.notes' }, message: `retry of ${last.job_id}` });
    expect((await client.jobs.list({ status: 'running' })).jobs).toHaveLength(2);
    // Cancelling a running one aborts its body.
    expect((await client.jobs.cancel({ id: started[0]!.job_id })).message).toBe('cancelling: stopping at the next batch');
    await until(started[0]!.job_id, ['cancelled']);
    gate.release();
    for (const j of [started[1]!, started[2]!, again]) await until(j.job_id, ['completed']);
    await expectError(client.jobs.retry({ id: again.job_id }), 'CONFLICT');

    // Who started, cancelled and retried what is on record, oldest first.
    const audited = [...engine.system.auditLog.scan()].map(([, e]) => [e.action, e.target] as const).filter(([a]) => a.startsWith('jobs.'));
    expect(audited).toEqual([
      ...started.map((j) => ['jobs.start', `system.jobs/${j.job_id}`]),
      ['jobs.cancel', `system.jobs/${last.job_id}`],
      ['jobs.retry', `system.jobs/${again.job_id}`],
      ['jobs.cancel', `system.jobs/${started[0]!.job_id}`],
    ]);
  });

  it('in read-only mode refuses jobs that write', async () => {
    services.close();
    open(true);
    await expectError(client.jobs.start({ type: 'evict' }), 'READ_ONLY');
    await expectError(client.jobs.start({ type: 'flush_all' }), 'READ_ONLY');
    await expectError(client.jobs.start({ type: 'compact', table: 'app.notes' }), 'READ_ONLY');
    expect(engine.system.jobs.count()).toBe(0);
  });

  it('in read-only mode a backup still runs (it only reads), and a writing job can be neither retried nor started', async () => {
    const {
      jobs: [flush],
    } = await client.jobs.start({ type: 'flush', table: 'app.notes' });
    await client.jobs.cancel({ id: flush!.job_id });
    await until(flush!.job_id, ['cancelled']);
    services.close();
    open(true);
    const {
      jobs: [backup],
    } = await client.jobs.start({ type: 'backup', folder: join(dir, 'ro-backup') });
    expect(await until(backup!.job_id, ['completed', 'failed'])).toMatchObject({ status: 'completed' });
    await expectError(client.jobs.retry({ id: flush!.job_id }), 'READ_ONLY');
    await expectError(client.jobs.start({ type: 'flush', table: 'app.notes' }), 'READ_ONLY');
    expect((await client.jobs.list({})).jobs.map((j) => j.job_id)).toEqual([backup!.job_id, flush!.job_id]);
  });

  it('flush_all goes on past a table that fails: the others are flushed, the failure is on record, and its automatic flush is paused', async () => {
    services.close();
    // app.todos cannot be queued (its parameters are refused here); app.notes' flush fails when it runs.
    const picky = jobKind({
      ...gatedFlush,
      params: (gatedFlush.params as z.ZodType<{ table: string }>).refine((p) => p.table !== 'app.todos', 'app.todos is locked for this test'),
      run: async (_engine, p) => {
        if (p.table === 'app.notes') throw new EngineError('CONFLICT', 'the storage of app.notes is unreachable');
        return Promise.resolve({ table: p.table });
      },
    });
    open(false, picky);
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'zeta'));
    // Tables with a flush policy (an automatic flush to pause).
    for (const t of ['notes', 'todos']) engine.ddl.alterTable(SYSTEM_SUBJECT, `app.${t}`, { action: 'set_options', flush_policy: { interval_seconds: 3600 } });
    const { jobs } = await client.jobs.start({ type: 'flush_all' });
    const byTable = new Map(jobs.map((j): [string, Job] => [j.parameters['table'] as string, j]));
    expect([...byTable.keys()].sort()).toEqual(['app.notes', 'app.todos', 'app.zeta']);
    expect(byTable.get('app.todos')).toMatchObject({ status: 'failed', error: expect.stringContaining('app.todos is locked for this test') as string });
    expect(await until(byTable.get('app.notes')!.job_id, ['failed'])).toMatchObject({ error: 'the storage of app.notes is unreachable' });
    expect(await until(byTable.get('app.zeta')!.job_id, ['completed'])).toMatchObject({ status: 'completed' });
    // The scheduler counts failed flushes per table and pauses them.
    const { paused } = await client.jobs.flushSchedule();
    expect(paused.map((p) => [p.table, p.failures, p.last_error])).toEqual([
      ['app.notes', 1, 'the storage of app.notes is unreachable'],
      ['app.todos', 1, expect.stringContaining('app.todos is locked for this test')],
    ]);
    for (const p of paused) expect(p.next_try_at).toBeGreaterThan(Date.now());
  });

  it("backs up, then restores on the app's own engine: the old rows are back and every view is told to refetch", async () => {
    const notes = () => engine.data.shared(tid('app.notes'));
    notes().insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'kept' }]);
    const folder = join(dir, 'backup-1');
    const {
      jobs: [backup],
    } = await client.jobs.start({ type: 'backup', folder });
    expect(await until(backup!.job_id, ['completed', 'failed'])).toMatchObject({ status: 'completed', error: null });

    notes().insertRows(SYSTEM_SUBJECT, [{ id: 2, title: 'after the backup' }]);
    const checked = await checkEvents({ folder });
    expect(checked.at(-1)).toMatchObject({ type: 'summary' });
    const summary = (checked.at(-1) as Extract<BackupCheckEvent, { type: 'summary' }>).summary;
    expect(summary.tables.find((t) => t.table === 'app.notes')).toMatchObject({ hot_rows: 1 });
    expect(summary.storages).toEqual([
      { storage_id: 'local', backup_directory: join(dir, 'storage'), directory: join(dir, 'storage'), confirmable: false, reason: null, files: 0, bytes: 0 },
    ]);

    const {
      jobs: [restore],
    } = await client.jobs.start({ type: 'restore', folder });
    expect(restore!.job_id).toMatch(/^RS-/);
    expect(await until(restore!.job_id, ['completed', 'failed'])).toMatchObject({ status: 'completed', error: null });
    expect([...notes().scanRows(SYSTEM_SUBJECT)].map(([, r]) => r['title'])).toEqual(['kept']);
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'reset' }));
    // The jobs list survived the restore (system.jobs is kept), with both jobs in it.
    expect((await client.jobs.list({})).jobs.map((j) => j.job_id)).toEqual([restore!.job_id, backup!.job_id]);
  });

  it('checkBackup refuses a folder that is not a backup with a clear message', async () => {
    const e = await expectError(checkEvents({ folder: dir }), 'VALIDATION');
    expect(e.message).toContain('is not a Kalam Studio backup');
  });

  it('checkBackup streams its progress while it verifies every checksum, then the summary; a tampered file is refused there', async () => {
    const folder = join(dir, 'backup-2');
    const {
      jobs: [backup],
    } = await client.jobs.start({ type: 'backup', folder });
    expect(await until(backup!.job_id, ['completed', 'failed'])).toMatchObject({ status: 'completed' });
    const manifest = JSON.parse(readFileSync(join(folder, 'backup-manifest.json'), 'utf8')) as { files: { size: number }[] };
    const bytes = manifest.files.reduce((a, f) => a + f.size, 0);

    const checked = await checkEvents({ folder });
    const phases = checked.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    // Every byte of every file was read before the summary came.
    expect(phases.filter((p) => p.phase === 'verifying').at(-1)).toMatchObject({ done: bytes, total: bytes });
    expect([...new Set(phases.map((p) => p.phase))]).toEqual(['verifying', 'checking', 'checking files']);
    expect(checked.at(-1)).toMatchObject({ type: 'summary', summary: { folder, files: manifest.files.length, bytes } });
    expect(readdirSync(dir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);

    // Same size, other bytes: only a checksum tells, and the check does.
    const db = join(folder, 'kalam.sqlite');
    const content = readFileSync(db);
    content[content.length >> 1]! ^= 0xff;
    writeFileSync(db, content);
    const before = snapshot(engine);
    const e = await expectError(checkEvents({ folder }), 'VALIDATION');
    expect(e.message).toBe('the backup is corrupt: the checksum of kalam.sqlite does not match its manifest');
    expect(snapshot(engine)).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('checkBackup stops, and removes its staging copy, when the caller aborts', async () => {
    const folder = join(dir, 'backup-3');
    const {
      jobs: [backup],
    } = await client.jobs.start({ type: 'backup', folder });
    expect(await until(backup!.job_id, ['completed', 'failed'])).toMatchObject({ status: 'completed' });
    const controller = new AbortController();
    const stream = await client.jobs.checkBackup({ folder }, { signal: controller.signal });
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: 'progress', progress: { phase: 'verifying' } });
    controller.abort();
    await stream.return?.(undefined).catch(() => undefined);
    await vi.waitFor(() => expect(readdirSync(dir).filter((n) => n.startsWith('restore-staging'))).toEqual([]));
    expect([...new CleanupJournal(engine.backend).entries()]).toEqual([]);
  });
});
