import type { z } from 'zod';
import { type JobId, JobIdSchema, type JobType, newJobId } from '../../../shared/keys/job-id';
import type { Job, JobProgress, JobStatus } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import { EngineError, NotFoundError, UniqueViolationError, ValidationError } from '../errors';
import type { JobPosition } from '../system/jobs/jobs-store';
import { isTransient, JobCancelledError } from './job-context';
import type { ChangedTables, JobKind, JobKinds } from './job-kind';
import { runningInCli } from './job-owner';
import { InProcessRunner, type JobRunner } from './job-runner';

/** Timers and time for the manager; tests pass a fake one to step through backoff and throttling. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending retry or progress write must not keep a CLI process alive.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What subscribers hear: a job changed (status, progress, message), or a job's body changed tables. */
export type JobEvent =
  | { readonly type: 'job'; readonly job: Job; /** For progress: when the body reported it (ms, sub-ms precision). */ readonly reportedAt?: number }
  | { readonly type: 'tables'; readonly jobId: JobId; readonly tables: ChangedTables };

export type JobListener = (event: JobEvent) => void;

export interface JobManagerOptions {
  readonly engine: Engine;
  readonly kinds: JobKinds;
  /** Runs bodies of `thread: 'worker'` kinds; defaults to running them in-process. */
  readonly runner?: JobRunner;
  /** Jobs running at once (default 2). */
  readonly concurrency?: number;
  /** Least time between persisted (and streamed) progress updates of one job (default 100 ms). */
  readonly progressIntervalMs?: number;
  /** First retry delay; each retry doubles it (default 1 s), up to retryMaxMs (default 60 s). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly clock?: Clock;
  /** Where unexpected failures of bodies and listeners are reported. */
  readonly onError?: (message: string, fields: Record<string, unknown>) => void;
}

export interface StartOptions {
  readonly maxRetries?: number;
  readonly message?: string;
}

export interface JobPage {
  readonly jobs: Job[];
  readonly next?: string;
}

/** A running job, as the manager tracks it. */
interface Running {
  readonly kind: JobKind;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  /** Progress throttling: the latest report not yet written, and when the last write happened. */
  pending?: { progress: JobProgress; reportedAt: number } | undefined;
  /** The last progress streamed (stored too, unless the database was busy). */
  latest?: JobProgress | undefined;
  lastWrite: number;
  timer?: unknown;
  /** Start of the current phase, for the rate when the body does not give one. */
  phase?: { name: string; at: number; done: number } | undefined;
}

const DEFAULT_MAX_RETRIES = 3;

function describeIssues(issues: z.core.$ZodIssue[]): { field: string; message: string }[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

/** The error text a job keeps; stacks go to the log. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

function cursorOf(job: Job): string {
  return `${job.created_at}:${job.job_id}`;
}

function parseCursor(cursor: string): JobPosition {
  const m = /^(\d{1,16}):(.+)$/.exec(cursor);
  const id = m ? JobIdSchema.safeParse(m[2]) : undefined;
  if (!m || !id?.success) throw new ValidationError('job list', [{ field: 'cursor', message: 'is not a cursor this list returned' }]);
  return { created_at: Number(m[1]), job_id: id.data };
}

/** Whether two kinds may not run at the same time (either one says so). */
function excludes(a: JobKind, b: JobKind): boolean {
  return (a.excludes?.includes(b.type) ?? false) || (b.excludes?.includes(a.type) ?? false);
}

/**
 * The job system: every job is a row of system.jobs, so the table is the queue and the history.
 * Queued jobs run oldest first, at most `concurrency` at once (an exclusive kind alone, excluded kinds apart); a key held
 * by an active job refuses a second one; transient failures retry with exponential backoff; cancel
 * aborts the body's signal; progress is throttled, persisted and streamed; at start, jobs a dead
 * process left running are failed as "interrupted" and each kind cleans its partial output.
 */
export class JobManager {
  private readonly engine: Engine;
  private readonly kinds: JobKinds;
  private readonly runner: JobRunner;
  private readonly mainRunner: JobRunner;
  private readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly clock: Clock;
  private readonly onError: (message: string, fields: Record<string, unknown>) => void;
  private readonly listeners = new Set<JobListener>();
  private readonly running = new Map<JobId, Running>();
  private readonly retryTimers = new Map<JobId, unknown>();
  private started = false;
  /** Recovery is done: only then may jobs run (a recovery hook must not see a new job's files). */
  private ready = false;
  private closed = false;

  constructor(options: JobManagerOptions) {
    this.engine = options.engine;
    this.kinds = options.kinds;
    this.mainRunner = new InProcessRunner(options.engine, options.kinds);
    this.runner = options.runner ?? this.mainRunner;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? ((message, fields) => console.error(message, fields));
  }

  private get store() {
    return this.engine.system.jobs;
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: JobEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onError('job listener failed', { error });
      }
    }
  }

  private emitJob(job: Job, reportedAt?: number): void {
    this.emit(reportedAt === undefined ? { type: 'job', job } : { type: 'job', job, reportedAt });
  }

  /**
   * Recovers what a previous process left (running or retrying jobs become failed "interrupted";
   * every kind's recovery hook cleans partial output), then starts running queued jobs.
   */
  async start(): Promise<{ interrupted: Job[] }> {
    if (this.started || this.closed) return { interrupted: [] };
    this.started = true;
    const now = this.engine.now();
    const interrupted: Job[] = [];
    for (const status of ['running', 'retrying'] as const) {
      for (const job of [...this.store.withStatus(status)]) {
        // A CLI process working beside the app runs its own jobs: not interrupted.
        if (runningInCli(job) !== undefined) continue;
        const failed = this.store.update(job.job_id, (j) => ({
          ...j,
          status: 'failed',
          error: 'interrupted',
          message: 'the process stopped while the job was running; retry it to run it again',
          finished_at: now,
          updated_at: now,
        }));
        interrupted.push(failed);
        this.emitJob(failed);
      }
    }
    for (const kind of this.kinds.values()) {
      if (this.closed) break;
      try {
        await kind.recover?.(this.engine);
      } catch (error) {
        this.onError('job recovery failed', { type: kind.type, error });
      }
    }
    this.ready = true;
    this.pump();
    return { interrupted };
  }

  /** Queues a job. VALIDATION for bad parameters; CONFLICT while a job holding its key is active. */
  startJob(type: JobType, params: unknown, options: StartOptions = {}): Job {
    if (this.closed) throw new EngineError('CONFLICT', 'the job manager is shutting down');
    const kind = this.kinds.get(type);
    if (!kind) throw new ValidationError('job', [{ field: 'type', message: `no job type "${type}" here` }]);
    const parsed = kind.params.safeParse(params);
    if (!parsed.success) throw new ValidationError(`${type} job`, describeIssues(parsed.error.issues));
    const key = kind.idempotencyKey?.(parsed.data) ?? null;
    const conflict = (active: Job) =>
      new EngineError('CONFLICT', kind.conflictMessage?.(parsed.data, active) ?? `a ${type} job is already ${active.status} (${active.job_id})`);
    if (key !== null) {
      const active = this.store.activeWithKey(key);
      if (active) throw conflict(active);
    }
    const now = this.engine.now();
    const job: Job = {
      job_id: newJobId(type, now),
      job_type: type,
      status: 'queued',
      parameters: JSON.parse(JSON.stringify(parsed.data)) as Job['parameters'],
      progress: null,
      message: options.message ?? null,
      result: null,
      error: null,
      idempotency_key: key,
      retries: 0,
      max_retries: options.maxRetries ?? kind.maxRetries ?? DEFAULT_MAX_RETRIES,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    };
    let stored: Job;
    try {
      stored = this.store.insert(job);
    } catch (e) {
      const active = key === null ? undefined : this.store.activeWithKey(key);
      if (e instanceof UniqueViolationError && active) throw conflict(active);
      throw e;
    }
    this.emitJob(stored);
    this.pump();
    return stored;
  }

  /** Records a job that was not run (e.g. "flush all" meeting a flush already running). */
  recordSkipped(type: JobType, params: Record<string, unknown>, message: string): Job {
    const now = this.engine.now();
    const job = this.store.insert({
      job_id: newJobId(type, now),
      job_type: type,
      status: 'skipped',
      parameters: JSON.parse(JSON.stringify(params)) as Job['parameters'],
      progress: null,
      message,
      result: null,
      error: null,
      idempotency_key: null,
      retries: 0,
      max_retries: 0,
      created_at: now,
      started_at: null,
      finished_at: now,
      updated_at: now,
    });
    this.emitJob(job);
    return job;
  }

  /** The kind of a type (for callers that describe jobs or check their keys). */
  kind(type: JobType): JobKind | undefined {
    return this.kinds.get(type);
  }

  get(id: JobId): Job {
    const job = this.store.get(id);
    if (!job) throw new NotFoundError(`job ${id}`);
    return job;
  }

  /** Newest first; `cursor` is the `next` of the previous page. */
  list(options: { status?: JobStatus | undefined; limit: number; cursor?: string | undefined }): JobPage {
    const before = options.cursor === undefined ? undefined : parseCursor(options.cursor);
    const page = this.store.newest({ status: options.status, limit: options.limit + 1, before });
    const more = page.length > options.limit;
    const jobs = page.slice(0, options.limit);
    const last = jobs[jobs.length - 1];
    return more && last ? { jobs, next: cursorOf(last) } : { jobs };
  }

  /** Jobs queued, running or waiting to retry. */
  activeCount(): number {
    let n = 0;
    for (const status of ['queued', 'running', 'retrying'] as const) n += this.store.countWithStatus(status);
    return n;
  }

  /** Job ids running right now (in this process). */
  runningIds(): JobId[] {
    return [...this.running.keys()];
  }

  /**
   * Cancels a job: queued or waiting to retry, it ends at once; running, its signal is aborted and
   * it ends (cancelled) when its body stops at the next batch, after cleaning its partial output.
   */
  cancel(id: JobId): Job {
    const job = this.get(id);
    const now = this.engine.now();
    if (job.status === 'queued' || job.status === 'retrying') {
      const timer = this.retryTimers.get(id);
      if (timer !== undefined) this.clock.clearTimeout(timer);
      this.retryTimers.delete(id);
      const cancelled = this.store.update(id, (j) => ({ ...j, status: 'cancelled', message: 'cancelled before it ran', finished_at: now, updated_at: now }));
      this.emitJob(cancelled);
      return cancelled;
    }
    const running = this.running.get(id);
    if (job.status === 'running' && running) {
      if (!running.controller.signal.aborted) {
        running.controller.abort();
        const marked = this.store.update(id, (j) => ({ ...j, message: 'cancelling: stopping at the next batch', updated_at: now }));
        this.emitJob(marked);
        return marked;
      }
      return job;
    }
    const cli = job.status === 'running' ? runningInCli(job) : undefined;
    if (cli !== undefined) throw new EngineError('CONFLICT', `job ${id} runs in the CLI (pid ${cli}); stop it there (Ctrl+C)`);
    throw new EngineError('CONFLICT', `job ${id} is already ${job.status}`);
  }

  /** Runs a failed or cancelled job again, as a new job with the same parameters. */
  retry(id: JobId): Job {
    const job = this.get(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new EngineError('CONFLICT', `only failed or cancelled jobs can be retried; ${id} is ${job.status}`);
    }
    return this.startJob(job.job_type, job.parameters, { maxRetries: job.max_retries, message: `retry of ${id}` });
  }

  /** Starts queued jobs while there is room. */
  private pump(): void {
    if (this.closed || !this.ready) return;
    while (this.running.size < this.concurrency) {
      if ([...this.running.values()].some((r) => r.kind.exclusive)) return;
      const next = this.nextQueued();
      if (!next) return;
      const kind = this.kinds.get(next.job_type);
      if (!kind) {
        const now = this.engine.now();
        this.emitJob(
          this.store.update(next.job_id, (j) => ({
            ...j,
            status: 'failed',
            error: `no job type "${j.job_type}" in this version`,
            finished_at: now,
            updated_at: now,
          })),
        );
        continue;
      }
      // An exclusive job waits for the others to finish; nothing overtakes it meanwhile.
      if (kind.exclusive && this.running.size > 0) return;
      // So does a job that must not run beside one that is running.
      if ([...this.running.values()].some((r) => excludes(kind, r.kind))) return;
      this.launch(next, kind);
    }
  }

  private nextQueued(): Job | undefined {
    for (const job of this.store.withStatus('queued')) if (!this.running.has(job.job_id)) return job;
    return undefined;
  }

  private launch(job: Job, kind: JobKind): void {
    const now = this.engine.now();
    const id = job.job_id;
    const runningJob = this.store.update(id, (j) => ({
      ...j,
      status: 'running',
      started_at: j.started_at ?? now,
      message: j.retries > 0 ? `attempt ${j.retries + 1} of ${j.max_retries + 1}` : j.message,
      updated_at: now,
    }));
    const controller = new AbortController();
    let resolveDone!: () => void;
    const entry: Running = { kind, controller, done: new Promise<void>((r) => (resolveDone = r)), lastWrite: Number.NEGATIVE_INFINITY };
    this.running.set(id, entry);
    this.emitJob(runningJob);
    const runner = kind.thread === 'main' ? this.mainRunner : this.runner;
    void (async () => {
      let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
      try {
        const params = kind.params.parse(runningJob.parameters);
        const result = await runner.run({ jobId: id, type: job.job_type, params }, { signal: controller.signal, report: (p, at) => this.report(id, p, at) });
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error };
      }
      try {
        this.finish(id, entry, outcome);
      } catch (error) {
        // After close() the engine may be gone: the next start recovers the job as interrupted.
        if (!this.closed) this.onError('recording a job outcome failed', { jobId: id, error });
      } finally {
        resolveDone();
        this.pump();
      }
    })();
  }

  /** A body's report: written and streamed at once if the last write is old enough, else soon. */
  private report(id: JobId, progress: JobProgress, reportedAt: number): void {
    const entry = this.running.get(id);
    if (!entry) return;
    const now = this.clock.now();
    entry.pending = { progress: this.withRate(entry, progress, now), reportedAt };
    if (now - entry.lastWrite >= this.progressIntervalMs) this.writeProgress(id, entry);
    else entry.timer ??= this.clock.setTimeout(() => this.writeProgress(id, entry), entry.lastWrite + this.progressIntervalMs - now);
  }

  private withRate(entry: Running, progress: JobProgress, now: number): JobProgress {
    if (!entry.phase || entry.phase.name !== progress.phase || progress.done < entry.phase.done)
      entry.phase = { name: progress.phase, at: now, done: progress.done };
    if (progress.rate !== undefined) return progress;
    const seconds = (now - entry.phase.at) / 1000;
    return { ...progress, rate: seconds > 0 ? Math.round(((progress.done - entry.phase.done) / seconds) * 10) / 10 : null };
  }

  private writeProgress(id: JobId, entry: Running): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
    const pending = entry.pending;
    if (!pending || this.running.get(id) !== entry) return;
    entry.pending = undefined;
    entry.latest = pending.progress;
    entry.lastWrite = this.clock.now();
    try {
      const current = this.get(id);
      const next: Job = { ...current, progress: pending.progress, updated_at: this.engine.now() };
      // Streamed whether or not it could be stored: progress must not wait for a lock.
      this.emitJob(this.withoutWaiting(() => this.store.update(id, () => next)) ?? next, pending.reportedAt);
    } catch (error) {
      if (!this.closed) this.onError('writing job progress failed', { jobId: id, error });
    }
  }

  /**
   * Runs a write only if the database is free right now. Another connection (a worker's long
   * transaction) may hold the write lock; waiting for it would stall this thread, and progress is
   * not worth that: it is skipped (undefined) and the next one, or the outcome, stores it.
   */
  private withoutWaiting<T>(write: () => T): T | undefined {
    const db = this.engine.backend.db;
    const previous = Number(db.pragma('busy_timeout', { simple: true }));
    db.pragma('busy_timeout = 0');
    try {
      return write();
    } catch (error) {
      if (isTransient(error)) return undefined;
      throw error;
    } finally {
      db.pragma(`busy_timeout = ${previous}`);
    }
  }

  private finish(id: JobId, entry: Running, outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    this.running.delete(id);
    const progress = entry.pending?.progress ?? entry.latest;
    const now = this.engine.now();
    const current = this.get(id);
    const params = entry.kind.params.parse(current.parameters);
    const base = { ...current, ...(progress ? { progress } : {}), updated_at: now };
    let job: Job;
    if (outcome.ok) {
      const result = JSON.parse(JSON.stringify(outcome.result ?? null)) as Job['result'];
      job = this.store.update(id, () => ({ ...base, status: 'completed', result, error: null, message: null, finished_at: now }));
      this.emitJob(job);
      this.announceTables(id, entry.kind.changedTables?.(params, outcome.result));
      return;
    }
    const error = outcome.error;
    // Whatever a cancelled body threw on its way out, the job was cancelled; its tables may have changed.
    if (error instanceof JobCancelledError || entry.controller.signal.aborted) {
      const cleanupError = error instanceof JobCancelledError ? null : errorText(error);
      const message = this.closed ? 'cancelled: the app was shutting down' : 'cancelled';
      job = this.store.update(id, () => ({ ...base, status: 'cancelled', error: cleanupError, message, finished_at: now }));
      this.emitJob(job);
      this.announceTables(id, entry.kind.changedTables?.(params, undefined));
      return;
    }
    if (isTransient(error) && current.retries < current.max_retries) {
      const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** current.retries);
      job = this.store.update(id, () => ({
        ...base,
        status: 'retrying',
        retries: current.retries + 1,
        error: errorText(error),
        message: `retrying in ${Math.ceil(delay / 1000)} s (attempt ${current.retries + 2} of ${current.max_retries + 1})`,
      }));
      this.emitJob(job);
      this.retryTimers.set(
        id,
        this.clock.setTimeout(() => {
          this.retryTimers.delete(id);
          if (this.closed) return;
          const waiting = this.store.get(id);
          if (waiting?.status !== 'retrying') return;
          this.emitJob(this.store.update(id, (j) => ({ ...j, status: 'queued', updated_at: this.engine.now() })));
          this.pump();
        }, delay),
      );
      return;
    }
    if (!(error instanceof EngineError) && !isTransient(error)) this.onError('job failed', { jobId: id, error });
    job = this.store.update(id, () => ({ ...base, status: 'failed', error: errorText(error), message: null, finished_at: now }));
    this.emitJob(job);
    this.announceTables(id, entry.kind.changedTables?.(params, undefined));
  }

  private announceTables(jobId: JobId, tables: ChangedTables | undefined): void {
    if (tables === undefined || (tables !== 'all' && tables.length === 0)) return;
    this.emit({ type: 'tables', jobId, tables });
  }

  /** Resolves once every running job has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * Stops: no new job starts, running ones are cancelled and awaited for up to `graceMs` (whatever
   * is still running after that is recovered as interrupted at the next start).
   */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.retryTimers.values()) this.clock.clearTimeout(timer);
    this.retryTimers.clear();
    for (const entry of this.running.values()) entry.controller.abort();
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, graceMs).unref()))]);
    clearTimeout(timer);
    this.listeners.clear();
  }
}
