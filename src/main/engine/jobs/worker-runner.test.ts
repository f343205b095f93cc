import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { CleanupJournal, recoverWorkerThread } from '../backup/cleanup-journal';
import { dataDirLayout, Engine } from '../engine';
import { ROOT_USER_ID } from '../migrations';
import { addUsers, as, tid, todoTable } from '../tables/testing.test-support';
import { defaultJobKinds } from './default-kinds';
import { type JobEvent, JobManager } from './job-manager';
import { exportKind } from './kinds/io-kinds';
import { WorkerRunner } from './worker-runner';
import { silentLogger } from '../../../shared/logger';

/** The worker entry runs as TypeScript here (tsx); builds run out/main/job-worker.js. */
const WORKER = join(import.meta.dirname, 'job-worker.ts');
const USERS = ['u1', 'u2', 'u3'];

let dir: string;
let engine: Engine;
let manager: JobManager;
let events: JobEvent[];
let logged: string[];

/** Stream rows written an hour ago with a 1 s TTL: all expired for the worker's real clock. */
function seedExpired(rowsPerUser: number): void {
  const seeding = Engine.openDataDir(dir, { now: () => Date.now() - 3_600_000 });
  try {
    seeding.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
    seeding.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events', { ttl_seconds: 1 }));
    const store = seeding.data.stream(tid('app.events'));
    for (const user of USERS)
      store.appendRows(
        as(user),
        Array.from({ length: rowsPerUser }, (_, i) => ({ id: i, title: `e${i}` })),
      );
  } finally {
    seeding.close();
  }
}

const storedRows = () => engine.backend.count(engine.data.stream(tid('app.events')).partition);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-worker-'));
  events = [];
  logged = [];
});
afterEach(async () => {
  expect(logged).toEqual([]);
  await manager.close(5_000);
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<void> {
  engine = Engine.openDataDir(dir);
  const layout = dataDirLayout(dir);
  manager = new JobManager({
    engine,
    kinds: defaultJobKinds(),
    runner: new WorkerRunner({ workerPath: WORKER, ...layout, execArgv: ['--import', 'tsx'], onLost: (thread) => recoverWorkerThread(engine, thread) }),
    progressIntervalMs: 0,
    logger: { ...silentLogger, error: (message) => logged.push(message) },
  });
  manager.subscribe((e) => events.push(e));
  await manager.start();
}

describe('jobs in worker threads', () => {
  it("evicts through the worker's own connection, streams progress, and announces the changed table", async () => {
    seedExpired(2000);
    await open();
    expect(storedRows()).toBe(6000);
    engine.liveQueries.register({ user: ROOT_USER_ID, connectionId: 'window-1', subscriptionId: 's1', table: tid('app.events') });
    const job = manager.startJob('evict', { batch_size: 500 });
    await manager.idle();

    expect(manager.get(job.job_id)).toMatchObject({ status: 'completed', result: { evicted: 6000, tables: { 'app.events': 6000 } }, error: null });
    // The main connection sees the worker's committed deletes.
    expect(storedRows()).toBe(0);
    const progress = events.filter((e) => e.type === 'job' && e.reportedAt !== undefined);
    expect(progress.length).toBeGreaterThan(1);
    expect(events).toContainEqual({ type: 'tables', jobId: job.job_id, tables: ['app.events'] });
    // The worker's engine left this process's live subscriptions alone (a secondary engine).
    expect(engine.system.liveQueries.count()).toBe(1);
  });

  it('cancel reaches a body busy in synchronous work: it stops at the next batch, committed batches stay', async () => {
    seedExpired(20_000);
    await open();
    const job = manager.startJob('evict', { batch_size: 50 });
    await new Promise<void>((resolve) => {
      const off = manager.subscribe((e) => {
        if (e.type === 'job' && e.job.job_id === job.job_id && (e.job.progress?.done ?? 0) >= 500) {
          off();
          resolve();
        }
      });
    });
    manager.cancel(job.job_id);
    await manager.idle();

    const done = manager.get(job.job_id);
    expect(done).toMatchObject({ status: 'cancelled', error: null, message: 'cancelled' });
    const left = storedRows();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60_000);
    // Whole batches only: what is gone was removed 50 rows at a time.
    expect((60_000 - left) % 50).toBe(0);
  });

  it('a report held back by the post interval still reaches the manager when the body then waits', async () => {
    // The flush reports "scan", then "write" a few ms later, then waits at its hold point: the
    // "write" report used to stay in the worker until the next report, which never came.
    const holds = mkdtempSync(join(tmpdir(), 'kalam-holds-'));
    vi.stubEnv('KALAM_HOLD_DIR', holds);
    try {
      writeFileSync(join(holds, 'flush-write'), '');
      await open();
      engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
      engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared'));
      engine.data.shared(tid('app.todos_shared')).insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'one' }]);
      const job = manager.startJob('flush', { table: 'app.todos_shared' });
      await new Promise<void>((resolve) => {
        const off = manager.subscribe((e) => {
          if (e.type === 'job' && e.job.job_id === job.job_id && e.job.progress?.phase === 'write') {
            off();
            resolve();
          }
        });
      });
      expect(manager.get(job.job_id)).toMatchObject({ status: 'running', progress: { phase: 'write', done: 1 } });
      manager.cancel(job.job_id);
      await manager.idle();
      expect(manager.get(job.job_id)).toMatchObject({ status: 'cancelled' });
    } finally {
      vi.unstubAllEnvs();
      rmSync(holds, { recursive: true, force: true });
    }
  });

  it('carries engine errors back with their message, and the job fails', async () => {
    await open();
    const job = manager.startJob('index_rebuild', { table: 'system.users', index: 'nope' });
    await manager.idle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'failed', error: 'index "nope" does not exist on system.users' });

    const ok = manager.startJob('index_rebuild', { table: 'system.users', index: 'username' });
    await manager.idle();
    expect(manager.get(ok.job_id)).toMatchObject({ status: 'completed', result: { entities: engine.system.users.count() } });
  });

  it("runs an export under its kind's heap cap; a large export of wide rows completes in every format, and one past the cap runs again without it", async () => {
    // 80 rows of 2 MB each: 160 MB of text, more than the export worker's whole old generation.
    const cap = exportKind.workerHeapMb!;
    const rows = 80;
    const NARROW = 5000;
    const width = 2_000_000;
    expect(rows * width).toBeGreaterThan(cap * 1_000_000);
    const wide = (i: number) => ({ id: i, title: `${i} `.padEnd(width, 'wide row ') });
    const seeding = Engine.openDataDir(dir);
    try {
      seeding.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
      addUsers(seeding, 'alice');
      seeding.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'wide_shared', { access_level: 'public' }));
      seeding.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'wide_user'));
      // The user table's first pages (narrow rows) fit the cap: the export's file exists when it runs out.
      seeding.data.user(tid('app.wide_user')).insertRows(
        as('alice'),
        Array.from({ length: NARROW }, (_, i) => ({ id: i, title: `narrow ${i}` })),
      );
      for (let i = 0; i < rows; i += 8) {
        const batch = Array.from({ length: 8 }, (_, j) => wide(i + j));
        seeding.data.shared(tid('app.wide_shared')).insertRows(SYSTEM_SUBJECT, batch);
        seeding.data.user(tid('app.wide_user')).insertRows(
          as('alice'),
          batch.map((r) => ({ ...r, id: NARROW + r.id })),
        );
      }
    } finally {
      seeding.close();
    }
    await open();
    const out = mkdtempSync(join(tmpdir(), 'kalam-export-'));
    const exported = async (table: string, format: 'csv' | 'jsonl' | 'parquet', expected = rows) => {
      const file = join(out, `${table}.${format}`);
      const job = manager.startJob('export', { table, file, format, subject: { userId: null, role: 'system' } });
      await manager.idle();
      expect(manager.get(job.job_id), `${table} ${format}`).toMatchObject({ status: 'completed', error: null, result: { rows: expected } });
      return file;
    };
    try {
      // A shared table is read in chunks of at most ~4M characters: well under the cap.
      for (const format of ['csv', 'jsonl', 'parquet'] as const) {
        const file = await exported('app.wide_shared', format);
        if (format === 'jsonl') {
          const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
          expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(Array.from({ length: rows }, (_, i) => i));
        } else if (format === 'csv') {
          expect(statSync(file).size).toBeGreaterThan(rows * width);
        }
      }
      // A user table's rows come 1,000 at a time (keys and all): past the cap, then run again without it.
      const file = await exported('app.wide_user', 'jsonl', NARROW + rows);
      expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(NARROW + rows);
      // The lost worker's partial file was removed before the run again, not left for the next start.
      expect(readdirSync(out).sort()).toEqual(['app.wide_shared.csv', 'app.wide_shared.jsonl', 'app.wide_shared.parquet', 'app.wide_user.jsonl']);
      expect([...new CleanupJournal(engine.backend).entries()]).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
