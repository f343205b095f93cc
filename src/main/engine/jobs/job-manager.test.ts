import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JobId, JobIdSchema, type JobType } from '../../../shared/keys/job-id';
import { isRetryable, type Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { ReadOnlyError } from '../read-only';
import { holdWriteLock } from '../storage/sqlite/sqlite.test-support';
import { type JobContext, JobCancelledError, throwIfCancelled, TransientJobError } from './job-context';
import { jobKind, type JobKind, jobKinds } from './job-kind';
import { type JobEvent, JobManager, type JobManagerOptions } from './job-manager';
import { READ_ONLY_WAIT } from './job-queue';
import { STORAGE_FULL_JOB_ERROR } from '../storage/storage-full';
import { FakeClock } from './testing/fake-clock';
import { silentLogger } from '../../../shared/logger';

/** A body the test drives: each run waits until the test settles it. */
interface Control {
  runs: { params: { table: string }; ctx: JobContext; resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
  cleaned: string[];
  recovered: number;
}

function controlledKind(type: JobType, control: Control, extra: Partial<JobKind> = {}): JobKind {
  return jobKind({
    type,
    params: z.object({ table: z.string().min(1) }),
    idempotencyKey: (p) => `${type}:${p.table}`,
    conflictMessage: (p, active) => `a ${type} of ${p.table} is already ${active.status} (${active.job_id})`,
    thread: 'main',
    writes: true,
    describe: (p) => `${type} ${p.table}`,
    run: (_engine, params, ctx) =>
      new Promise((resolve, reject) => {
        const run = { params, ctx, resolve, reject };
        control.runs.push(run);
        ctx.signal.addEventListener('abort', () => {
          control.cleaned.push(params.table);
          reject(new JobCancelledError());
        });
      }),
    changedTables: (p) => [p.table],
    recover: () => {
      control.recovered++;
    },
    ...extra,
  } as JobKind<{ table: string }>);
}

/** A pid no process has (Linux pids stay below 2^22). */
const DEAD_PID = 999_999_999;

const tick = () => new Promise<void>((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

let clock: FakeClock;
let engine: Engine;
let control: Control;
let events: JobEvent[];
let manager: JobManager;
/** What the manager reported through onError: nothing, unless a test expects it. */
let logged: string[];

function makeManager(options: Partial<JobManagerOptions> = {}): JobManager {
  const m = new JobManager({
    engine,
    kinds: jobKinds(controlledKind('flush', control), controlledKind('backup', control, { exclusive: true })),
    clock,
    concurrency: 2,
    logger: { ...silentLogger, error: (message) => logged.push(message) },
    ...options,
  });
  m.subscribe((e) => events.push(e));
  return m;
}

beforeEach(() => {
  clock = new FakeClock();
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/kalam-jobs-test', now: clock.now });
  control = { runs: [], cleaned: [], recovered: 0 };
  events = [];
  logged = [];
  manager = makeManager();
});
afterEach(async () => {
  expect(logged).toEqual([]);
  await manager.close(100);
  engine.close();
});

const jid = (s: string): JobId => JobIdSchema.parse(s);
const status = (id: JobId) => manager.get(id).status;
const statuses = (jobs: Job[]) => jobs.map((j) => status(j.job_id));

describe('queue and concurrency', () => {
  it('runs queued jobs oldest first, at most `concurrency` at once', async () => {
    await manager.start();
    const jobs = ['a.t1', 'a.t2', 'a.t3'].map((table) => {
      clock.advance(1);
      return manager.startJob('flush', { table });
    });
    await settle();
    expect(statuses(jobs)).toEqual(['running', 'running', 'queued']);
    expect(control.runs.map((r) => r.params.table)).toEqual(['a.t1', 'a.t2']);

    control.runs[1]!.resolve({ rows: 5 });
    await settle();
    expect(statuses(jobs)).toEqual(['running', 'completed', 'running']);
    expect(manager.get(jobs[1]!.job_id)).toMatchObject({ result: { rows: 5 }, error: null, finished_at: clock.now() });
    expect(events).toContainEqual({ type: 'tables', jobId: jobs[1]!.job_id, tables: ['a.t2'] });
  });

  it('does not run anything before start() (recovery comes first)', async () => {
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    expect(status(job.job_id)).toBe('queued');
    await manager.start();
    await settle();
    expect(status(job.job_id)).toBe('running');
  });

  it('runs an exclusive job alone: it waits for the others and nothing overtakes it', async () => {
    await manager.start();
    const f1 = manager.startJob('flush', { table: 'a.t1' });
    clock.advance(1);
    const b = manager.startJob('backup', { table: 'x' });
    clock.advance(1);
    const f2 = manager.startJob('flush', { table: 'a.t2' });
    await settle();
    expect(statuses([f1, b, f2])).toEqual(['running', 'queued', 'queued']);
    control.runs[0]!.resolve(null);
    await settle();
    expect(statuses([f1, b, f2])).toEqual(['completed', 'running', 'queued']);
    control.runs[1]!.resolve(null);
    await settle();
    expect(statuses([f1, b, f2])).toEqual(['completed', 'completed', 'running']);
  });
});

describe('excluded kinds', () => {
  it('never run side by side, whichever started first; nothing overtakes the one waiting', async () => {
    await manager.close(0);
    manager = makeManager({
      kinds: jobKinds(controlledKind('flush', control), controlledKind('evict', control), controlledKind('compact', control, { excludes: ['evict'] })),
    });
    await manager.start();
    const e1 = manager.startJob('evict', { table: 'a.s1' });
    clock.advance(1);
    const c = manager.startJob('compact', { table: 'a.t1' });
    clock.advance(1);
    const e2 = manager.startJob('evict', { table: 'a.s2' });
    await settle();
    // The compaction waits for the eviction (a free slot notwithstanding); nothing overtakes it.
    expect(statuses([e1, c, e2])).toEqual(['running', 'queued', 'queued']);
    control.runs[0]!.resolve(null);
    await settle();
    expect(statuses([e1, c, e2])).toEqual(['completed', 'running', 'queued']);
    const f = manager.startJob('flush', { table: 'a.t2' });
    await settle();
    // The eviction waits for the compaction, and the flush queued behind it does not overtake it.
    expect(statuses([c, e2, f])).toEqual(['running', 'queued', 'queued']);
    control.runs[1]!.resolve(null);
    await settle();
    expect(statuses([c, e2, f])).toEqual(['completed', 'running', 'running']);
  });
});

describe('start', () => {
  it('refuses bad parameters and unknown types, writing nothing', async () => {
    await manager.start();
    expect(() => manager.startJob('flush', { table: '' })).toThrow(ValidationError);
    expect(() => manager.startJob('flush', {})).toThrow(/table/);
    expect(() => manager.startJob('evict', {})).toThrow(/no job type "evict"/);
    expect(engine.system.jobs.count()).toBe(0);
  });

  it('gives ids with the type prefix and stores the parameters', () => {
    const job = manager.startJob('flush', { table: 'demo.orders' });
    expect(job.job_id).toMatch(/^FL-/);
    expect(job).toMatchObject({ status: 'queued', parameters: { table: 'demo.orders' }, idempotency_key: 'flush:demo.orders', max_retries: 3, retries: 0 });
  });
});

describe('idempotency', () => {
  it('refuses a second flush of a table while one is queued or running, with the active job named', async () => {
    const first = manager.startJob('flush', { table: 'demo.orders' });
    let e: unknown;
    try {
      manager.startJob('flush', { table: 'demo.orders' });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('CONFLICT');
    expect((e as EngineError).message).toBe(`a flush of demo.orders is already queued (${first.job_id})`);

    await manager.start();
    await settle();
    expect(() => manager.startJob('flush', { table: 'demo.orders' })).toThrow(`a flush of demo.orders is already running (${first.job_id})`);
    // Another table is fine.
    manager.startJob('flush', { table: 'demo.other' });
    expect(engine.system.jobs.count()).toBe(2);

    control.runs[0]!.resolve(null);
    await settle();
    expect(manager.startJob('flush', { table: 'demo.orders' }).status).toBe('queued');
  });
});

describe('retries', () => {
  it('retries a transient failure with exponential backoff, then completes', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(new TransientJobError('database is busy'));
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'retrying', retries: 1, error: 'database is busy', message: 'retrying in 1 s (attempt 2 of 4)' });
    expect(clock.pending()).toEqual([1000]);
    // Still holds its key while waiting.
    expect(() => manager.startJob('flush', { table: 'a.t' })).toThrow(/already retrying/);

    clock.advance(999);
    await settle();
    expect(control.runs).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(control.runs).toHaveLength(2);
    expect(manager.get(job.job_id)).toMatchObject({ status: 'running', message: 'attempt 2 of 4' });

    control.runs[1]!.reject(new TransientJobError('busy again'));
    await settle();
    expect(clock.pending()).toEqual([2000]);
    clock.advance(2000);
    await settle();
    control.runs[2]!.resolve({ ok: true });
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'completed', retries: 2, error: null, result: { ok: true } });
  });

  it('fails after max_retries transient failures, and at once on any other error', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' }, { maxRetries: 1 });
    await settle();
    control.runs[0]!.reject(new TransientJobError('busy'));
    await settle();
    clock.advance(1000);
    await settle();
    control.runs[1]!.reject(new TransientJobError('still busy'));
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'failed', retries: 1, error: 'still busy' });

    const other = manager.startJob('flush', { table: 'a.u' });
    await settle();
    control.runs[2]!.reject(new Error('disk full'));
    await settle();
    expect(manager.get(other.job_id)).toMatchObject({ status: 'failed', retries: 0, error: 'disk full' });

    // A full disk keeps a sentence a user can act on, not SQLite's text; the raw error goes to the log.
    const full = manager.startJob('flush', { table: 'a.v' });
    await settle();
    control.runs[3]!.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    await settle();
    expect(manager.get(full.job_id)).toMatchObject({ status: 'failed', retries: 0, error: STORAGE_FULL_JOB_ERROR });
    // An unexpected error is logged with its stack; engine errors and transient ones are not.
    expect(logged.splice(0)).toEqual(['job failed', 'job failed']);
    expect(clock.pending()).toEqual([]);
    // Both may be retried: the failure may not happen again.
    expect(isRetryable(manager.get(job.job_id))).toBe(true);
    expect(isRetryable(manager.get(other.job_id))).toBe(true);
  });

  it('a job whose input the engine refused (a corrupt backup) is failed as not retryable', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(new ValidationError('backup', [{ field: '', message: 'the backup is corrupt' }], 'the backup is corrupt'));
    await settle();
    const failed = manager.get(job.job_id);
    expect(failed).toMatchObject({ status: 'failed', error: 'the backup is corrupt', result: { retryable: false } });
    expect(isRetryable(failed)).toBe(false);
  });

  it('treats SQLite busy and locked errors (another connection holding the lock) as transient', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'retrying', retries: 1, error: 'database is locked' });
  });

  it('retry() queues a failed or cancelled job again as a new job; other statuses are refused', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(new EngineError('NOT_FOUND', 'table a.t does not exist'));
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'failed', error: 'table a.t does not exist' });
    const again = manager.retry(job.job_id);
    expect(again.job_id).not.toBe(job.job_id);
    expect(again).toMatchObject({ status: 'queued', parameters: { table: 'a.t' }, message: `retry of ${job.job_id}` });
    await settle();
    expect(() => manager.retry(again.job_id)).toThrow(`only failed or cancelled jobs can be retried; ${again.job_id} is running`);
  });
});

describe('cancel', () => {
  it('cancels a queued job at once, without running it', async () => {
    const job = manager.startJob('flush', { table: 'a.t' });
    const cancelled = manager.cancel(job.job_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', message: 'cancelled before it ran', finished_at: clock.now() });
    await manager.start();
    await settle();
    expect(control.runs).toHaveLength(0);
    // The key is free again.
    manager.startJob('flush', { table: 'a.t' });
  });

  it('aborts a running job: it ends cancelled once the body stops (after cleaning up)', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    const marked = manager.cancel(job.job_id);
    expect(marked).toMatchObject({ status: 'running', message: 'cancelling: stopping at the next batch' });
    expect(control.runs[0]!.ctx.signal.aborted).toBe(true);
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'cancelled', error: null, message: 'cancelled' });
    expect(control.cleaned).toEqual(['a.t']);
    expect(() => manager.cancel(job.job_id)).toThrow(`job ${job.job_id} is already cancelled`);
  });

  it('cancels a job waiting to retry and drops its timer', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(new TransientJobError('busy'));
    await settle();
    expect(manager.cancel(job.job_id).status).toBe('cancelled');
    expect(clock.pending()).toEqual([]);
  });

  it('a body that honours throwIfCancelled stops at its next batch', async () => {
    let batches = 0;
    const loop = jobKind({
      type: 'evict',
      params: z.object({}),
      thread: 'main',
      writes: true,
      describe: () => 'loop',
      run: async (_e, _p, ctx) => {
        for (;;) {
          throwIfCancelled(ctx);
          batches++;
          await tick();
        }
      },
    });
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(loop) });
    await manager.start();
    const job = manager.startJob('evict', {});
    await settle();
    manager.cancel(job.job_id);
    const at = batches;
    await manager.idle();
    expect(status(job.job_id)).toBe('cancelled');
    expect(batches - at).toBeLessThanOrEqual(1);
  });
});

describe('recovery', () => {
  it('fails jobs a dead process left running or retrying as "interrupted", runs the recovery hooks, then runs queued jobs', async () => {
    const base = manager.startJob('flush', { table: 'a.running' });
    engine.system.jobs.update(base.job_id, (j) => ({ ...j, status: 'running', started_at: clock.now() }));
    const retrying = manager.startJob('flush', { table: 'a.retrying' });
    engine.system.jobs.update(retrying.job_id, (j) => ({ ...j, status: 'retrying', retries: 1 }));
    const queued = manager.startJob('flush', { table: 'a.queued' });

    const { interrupted } = await manager.start();
    expect(interrupted.map((j) => j.job_id).sort()).toEqual([base.job_id, retrying.job_id].sort());
    for (const id of [base.job_id, retrying.job_id]) {
      expect(manager.get(id)).toMatchObject({ status: 'failed', error: 'interrupted', finished_at: clock.now() });
    }
    // One hook per kind.
    expect(control.recovered).toBe(2);
    await settle();
    expect(status(queued.job_id)).toBe('running');
    // Interrupted jobs are retryable, and released their keys.
    expect(manager.retry(base.job_id).status).toBe('queued');
  });
});

describe('recovery comes first', () => {
  it('a job started while recovery hooks run waits until they are done', async () => {
    let finishRecovery!: () => void;
    const slow = controlledKind('backup', control, { recover: () => new Promise<void>((r) => (finishRecovery = r)) });
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(controlledKind('flush', control), slow) });
    const starting = manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    expect(status(job.job_id)).toBe('queued');
    expect(control.runs).toHaveLength(0);
    finishRecovery();
    await starting;
    await settle();
    expect(status(job.job_id)).toBe('running');
  });
});

describe('jobs of a CLI process', () => {
  it('leaves a job a live CLI process runs alone at recovery, and refuses to cancel it here', async () => {
    const job = manager.startJob('flush', { table: 'a.cli' });
    // process.ppid: a live process other than this one, standing in for the CLI.
    engine.system.jobs.update(job.job_id, (j) => ({ ...j, status: 'running', owner: { process: 'cli', pid: process.ppid } }));
    const dead = manager.startJob('flush', { table: 'a.dead' });
    engine.system.jobs.update(dead.job_id, (j) => ({ ...j, status: 'running', owner: { process: 'cli', pid: DEAD_PID } }));
    const { interrupted } = await manager.start();
    expect(interrupted.map((j) => j.job_id)).toEqual([dead.job_id]);
    expect(status(job.job_id)).toBe('running');
    expect(() => manager.cancel(job.job_id)).toThrow(`job ${job.job_id} runs in the CLI (pid ${process.ppid}); stop it there (Ctrl+C)`);
  });
});

describe('progress', () => {
  it('persists and streams at most one update per interval, always the latest, with a rate', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    const ctx = control.runs[0]!.ctx;
    const progressEvents = () => events.filter((e): e is Extract<JobEvent, { type: 'job' }> => e.type === 'job' && e.reportedAt !== undefined);

    for (let i = 1; i <= 50; i++) ctx.report({ phase: 'writing', done: i, total: 1000 });
    // The first report goes out at once; the other 49 wait for the interval.
    expect(progressEvents().map((e) => e.job.progress?.done)).toEqual([1]);
    expect(manager.get(job.job_id).progress).toMatchObject({ phase: 'writing', done: 1, total: 1000 });
    clock.advance(50);
    for (let i = 51; i <= 100; i++) ctx.report({ phase: 'writing', done: i, total: 1000 });
    clock.advance(50);
    expect(progressEvents().map((e) => e.job.progress?.done)).toEqual([1, 100]);
    // Reported at 50 ms: 99 items since the phase began.
    expect(manager.get(job.job_id).progress).toEqual({ phase: 'writing', done: 100, total: 1000, rate: 1980 });

    // A report given with its own rate keeps it.
    clock.advance(500);
    ctx.report({ phase: 'syncing', done: 1, total: 1, rate: 7 });
    expect(manager.get(job.job_id).progress).toEqual({ phase: 'syncing', done: 1, total: 1, rate: 7 });

    // A pending report is not lost when the job ends.
    ctx.report({ phase: 'syncing', done: 1, total: 1, rate: 8 });
    control.runs[0]!.resolve(null);
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'completed', progress: { phase: 'syncing', rate: 8 } });
  });
});

describe('progress while another connection holds the write lock', () => {
  it('streams progress at once without waiting for the lock, and stores it with the outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalam-jobs-lock-'));
    await manager.close(0);
    engine.close();
    // A minute of busy timeout: a progress write that waited for the lock would outlast the test's timeout.
    engine = Engine.open({ databasePath: join(dir, 'k.sqlite'), storageDirectory: join(dir, 'storage'), now: clock.now, sqlite: { busyTimeoutMs: 60_000 } });
    manager = makeManager();
    let other: { release(): void } | undefined;
    try {
      await manager.start();
      const job = manager.startJob('flush', { table: 'a.t' });
      await settle();
      other = holdWriteLock(join(dir, 'k.sqlite'));
      control.runs[0]!.ctx.report({ phase: 'writing', done: 5, total: 10 });
      expect(engine.backend.settings().busyTimeoutMs).toBe(60_000);
      const last = events.filter((e) => e.type === 'job').at(-1);
      expect(last).toMatchObject({ job: { job_id: job.job_id, progress: { phase: 'writing', done: 5 } } });
      expect(engine.system.jobs.get(job.job_id)?.progress).toBeNull();
      other.release();
      control.runs[0]!.resolve(null);
      await settle();
      expect(manager.get(job.job_id)).toMatchObject({ status: 'completed', progress: { phase: 'writing', done: 5 } });
    } finally {
      other?.release();
      await manager.close(0);
      engine.close();
      engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/kalam-jobs-test', now: clock.now });
      manager = makeManager();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('list', () => {
  it('lists newest first, by status, in pages', () => {
    const made: Job[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(10);
      made.push(manager.startJob('flush', { table: `a.t${i}` }));
    }
    manager.cancel(made[2]!.job_id);
    manager.cancel(made[5]!.job_id);
    const ids = (jobs: Job[]) => jobs.map((j) => j.job_id);
    const newestFirst = ids([...made].reverse());

    const first = manager.list({ limit: 3 });
    expect(ids(first.jobs)).toEqual(newestFirst.slice(0, 3));
    const second = manager.list({ limit: 3, cursor: first.next });
    expect(ids(second.jobs)).toEqual(newestFirst.slice(3, 6));
    const third = manager.list({ limit: 3, cursor: second.next });
    expect(ids(third.jobs)).toEqual(newestFirst.slice(6));
    expect(third.next).toBeUndefined();

    expect(ids(manager.list({ status: 'cancelled', limit: 10 }).jobs)).toEqual([made[5]!.job_id, made[2]!.job_id]);
    expect(manager.activeCount()).toBe(5);
    expect(() => manager.list({ limit: 3, cursor: 'nonsense' })).toThrow(ValidationError);
  });
});

/** Puts a job row of another process in the store, as that process would have written it. */
function foreignJob(id: string, over: Partial<Job>): Job {
  return engine.system.jobs.insert(
    jobFixture({ job_id: id, parameters: { table: 'x.other' }, created_at: clock.now(), updated_at: clock.now(), max_retries: 0, ...over }),
  );
}
const liveApp = { process: 'app', pid: process.ppid } as const;

describe('owners', () => {
  it('every job this process queues or records names it as its owner', async () => {
    expect(manager.startJob('flush', { table: 'a.t' }).owner).toEqual({ process: 'app', pid: process.pid });
    expect(manager.recordSkipped('flush', { table: 'a.u' }, 'nothing to do').owner).toEqual({ process: 'app', pid: process.pid });
    await manager.close(0);
    manager = makeManager({ process: 'cli' });
    expect(manager.startJob('flush', { table: 'a.v' }).owner).toEqual({ process: 'cli', pid: process.pid });
  });

  it('recovery fails exactly the jobs whose owner is dead, whatever their message says, and leaves a live process alone', async () => {
    const ran = [
      foreignJob('FL-liveapp', { status: 'running', owner: liveApp, parameters: { table: 'x.a' } }),
      foreignJob('FL-livequeued', { status: 'queued', owner: { process: 'cli', pid: process.ppid }, parameters: { table: 'x.b' } }),
      // Its message claims a live CLI: only the owner field counts.
      foreignJob('FL-deadapp', {
        status: 'running',
        owner: { process: 'app', pid: DEAD_PID },
        message: `run by the CLI (pid ${process.ppid})`,
        parameters: { table: 'x.c' },
      }),
      foreignJob('FL-deadretry', { status: 'retrying', owner: { process: 'cli', pid: DEAD_PID }, parameters: { table: 'x.d' } }),
      foreignJob('FL-deadqueued', { status: 'queued', owner: { process: 'cli', pid: DEAD_PID }, parameters: { table: 'x.e' } }),
      // Written by an earlier version: no owner, so no live one.
      foreignJob('FL-legacy', { status: 'running', owner: null, parameters: { table: 'x.f' } }),
    ];
    const { interrupted } = await manager.start();
    expect(interrupted.map((j) => j.job_id).sort()).toEqual(['FL-deadapp', 'FL-deadqueued', 'FL-deadretry', 'FL-legacy']);
    expect(statuses(ran)).toEqual(['running', 'queued', 'failed', 'failed', 'failed', 'failed']);
    expect(manager.get(ran[2]!.job_id)).toMatchObject({
      error: 'interrupted',
      message: `the app (pid ${DEAD_PID}) stopped while the job was running; retry it to run it again`,
    });
    expect(manager.get(ran[4]!.job_id).message).toBe(`the CLI (pid ${DEAD_PID}) stopped before the job ran; retry it to run it again`);
    // Another live process's queued job is its to run, not this one's.
    await settle();
    expect(control.runs).toHaveLength(0);
    expect(() => manager.cancel(ran[1]!.job_id)).toThrow(`job FL-livequeued runs in the CLI (pid ${process.ppid}); stop it there (Ctrl+C)`);
    expect(() => manager.cancel(ran[0]!.job_id)).toThrow(`job FL-liveapp runs in the app (pid ${process.ppid}); cancel it there`);
  });

  it("a key held by a dead process's job does not block: it is interrupted, and the new job runs after its leftovers are cleaned", async () => {
    await manager.start();
    expect(control.recovered).toBe(2);
    const blocker = manager.startJob('flush', { table: 'a.busy' });
    await settle();
    const dead = foreignJob('FL-dead', { status: 'running', idempotency_key: 'flush:a.t', owner: { process: 'cli', pid: DEAD_PID } });
    const job = manager.startJob('flush', { table: 'a.t' });
    expect(manager.get(dead.job_id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    await settle();
    // The recovery hooks count this pid's leftovers as dead: they wait until nothing runs here.
    expect(status(job.job_id)).toBe('queued');
    expect(control.recovered).toBe(2);
    control.runs[0]!.resolve(null);
    await settle();
    expect(control.recovered).toBe(4);
    expect(statuses([blocker, job])).toEqual(['completed', 'running']);
    // A live process's key still refuses, naming it.
    foreignJob('FL-live', { status: 'running', idempotency_key: 'flush:a.live', owner: liveApp });
    expect(() => manager.startJob('flush', { table: 'a.live' })).toThrow(`a flush of a.live is already running (FL-live) in the app (pid ${process.ppid})`);
  });

  it("cancelling a dead process's running job fails it as interrupted", async () => {
    await manager.start();
    const dead = foreignJob('FL-dead', { status: 'running', owner: { process: 'app', pid: DEAD_PID } });
    expect(manager.cancel(dead.job_id)).toMatchObject({ status: 'failed', error: 'interrupted' });
  });
});

describe('exclusion across processes', () => {
  it('a job waits, saying for what, while another process runs one it may not run beside; it starts once that ends', async () => {
    await manager.start();
    // Another app runs a backup (exclusive here): nothing may run beside it.
    const theirs = foreignJob('BK-theirs', { job_type: 'backup', status: 'running', owner: liveApp });
    const mine = manager.startJob('flush', { table: 'a.t' }, { message: 'by policy' });
    await settle();
    expect(manager.get(mine.job_id)).toMatchObject({
      status: 'queued',
      message: `waiting for BK-theirs (backup) to finish in the app (pid ${process.ppid})`,
    });
    expect(control.runs).toHaveLength(0);
    // It looks again on its own: the other process will not tell it.
    clock.advance(500);
    await settle();
    expect(status(mine.job_id)).toBe('queued');
    engine.system.jobs.update(theirs.job_id, (j) => ({ ...j, status: 'completed', finished_at: clock.now() }));
    clock.advance(500);
    await settle();
    // Its own message is back.
    expect(manager.get(mine.job_id)).toMatchObject({ status: 'running', message: 'by policy' });
  });

  it("a dead process's running job blocks nothing: it is interrupted and its leftovers cleaned first", async () => {
    await manager.start();
    foreignJob('BK-dead', { job_type: 'backup', status: 'running', owner: { process: 'cli', pid: DEAD_PID } });
    const mine = manager.startJob('flush', { table: 'a.t' });
    await settle();
    expect(status(jid('BK-dead'))).toBe('failed');
    expect(control.recovered).toBe(4);
    expect(status(mine.job_id)).toBe('running');
  });
});

describe('read-only mode', () => {
  const reading = () => controlledKind('evict', control, { writes: false });

  it('refuses to start a kind that writes, writing nothing; a kind that only reads starts', async () => {
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(controlledKind('flush', control), reading()) });
    await manager.start();
    engine.readOnly.set(true);
    expect(() => manager.startJob('flush', { table: 'a.t' })).toThrow(ReadOnlyError);
    expect(() => manager.recordSkipped('flush', { table: 'a.t' }, 'x')).toThrow(ReadOnlyError);
    expect(engine.system.jobs.count()).toBe(0);
    manager.startJob('evict', { table: 'a.s' });
    await settle();
    expect(control.runs.map((r) => r.params.table)).toEqual(['a.s']);
  });

  it('holds queued writing jobs back, saying why, lets reading ones overtake them, and starts them when it is turned off', async () => {
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(controlledKind('flush', control), reading()) });
    const flush = manager.startJob('flush', { table: 'a.t' }, { message: 'by policy' });
    engine.readOnly.set(true);
    const read = manager.startJob('evict', { table: 'a.s' });
    await manager.start();
    await settle();
    expect(manager.get(flush.job_id)).toMatchObject({ status: 'queued', message: READ_ONLY_WAIT });
    expect(status(read.job_id)).toBe('running');
    engine.readOnly.set(false);
    await settle();
    expect(manager.get(flush.job_id)).toMatchObject({ status: 'running', message: 'by policy' });
  });

  it("retrying a writing kind's job is refused, looked up or not; a reading kind's runs", async () => {
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(controlledKind('flush', control), reading()) });
    await manager.start();
    const flush = manager.startJob('flush', { table: 'a.t' });
    const read = manager.startJob('evict', { table: 'a.s' });
    manager.cancel(flush.job_id);
    await settle();
    manager.cancel(read.job_id);
    await settle();
    engine.readOnly.set(true);
    expect(() => manager.retry(flush.job_id)).toThrow(ReadOnlyError);
    expect(() => manager.retry(jid('FL-nope'))).toThrow(ReadOnlyError);
    expect(manager.retry(read.job_id).status).toBe('queued');
  });

  it('a writing job due to retry waits too', async () => {
    await manager.start();
    const job = manager.startJob('flush', { table: 'a.t' });
    await settle();
    control.runs[0]!.reject(new TransientJobError('busy'));
    await settle();
    engine.readOnly.set(true);
    clock.advance(1000);
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'queued', message: READ_ONLY_WAIT });
    expect(control.runs).toHaveLength(1);
    engine.readOnly.set(false);
    await settle();
    expect(manager.get(job.job_id)).toMatchObject({ status: 'running', message: 'attempt 2 of 4' });
  });
});

describe('close', () => {
  it("waits for running bodies up to the grace period on the manager's clock, and cancels what was queued", async () => {
    let stubborn!: (v: unknown) => void;
    const ignoresAbort = jobKind({
      type: 'evict',
      params: z.object({}),
      thread: 'main',
      writes: true,
      describe: () => 'stubborn',
      run: () => new Promise((r) => (stubborn = r)),
    });
    await manager.close(0);
    manager = makeManager({ kinds: jobKinds(ignoresAbort, controlledKind('flush', control)), concurrency: 1 });
    await manager.start();
    manager.startJob('evict', {});
    const queued = manager.startJob('flush', { table: 'a.t' });
    await settle();
    let closed = false;
    const closing = manager.close(1000).then(() => (closed = true));
    expect(manager.get(queued.job_id)).toMatchObject({ status: 'cancelled', message: 'cancelled: the app was shutting down' });
    await settle();
    expect(closed).toBe(false);
    clock.advance(999);
    await settle();
    expect(closed).toBe(false);
    clock.advance(1);
    await closing;
    stubborn(null);
  });
});
