import { type JobId, type JobType, jobTypeOfId, newJobId } from '../../../shared/keys/job-id';
import type { Job, JobProcess, JobStatus } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import { EngineError, issuesOf, NotFoundError, UniqueViolationError, ValidationError } from '../errors';
import { type Clock, systemClock } from './clock';
import type { ChangedTables, JobKind, JobKinds } from './job-kind';
import { JobLauncher } from './job-launch';
import { describeOwner, describeProcess, ownedHere, ownerAlive, processOwner } from './job-owner';
import { ProgressWriter } from './job-progress';
import { JobQueue } from './job-queue';
import { JobRecovery } from './job-recovery';
import { InProcessRunner, type JobRunner } from './job-runner';
import { consoleLogger, type Logger } from '../../../shared/logger';

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
  /** Which kind of process this is, recorded as the owner of its jobs (default 'app'). */
  readonly process?: JobProcess;
  /** Jobs running at once in this process (default 2). */
  readonly concurrency?: number;
  /** Least time between persisted (and streamed) progress updates of one job (default 100 ms). */
  readonly progressIntervalMs?: number;
  /** First retry delay; each retry doubles it (default 1 s), up to retryMaxMs (default 60 s). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** How often a job waiting for another process's job looks again (default 500 ms). */
  readonly foreignPollMs?: number;
  readonly clock?: Clock;
  /** Where unexpected failures of bodies and listeners are reported (default: the console). */
  readonly logger?: Logger;
}

export interface StartOptions {
  readonly maxRetries?: number;
  readonly message?: string;
  /**
   * Called with the stored row inside the transaction that records it (the services write the
   * job's audit entry here): if it throws, no job was recorded and nothing runs.
   */
  readonly recorded?: ((job: Job) => void) | undefined;
}

export interface JobPage {
  readonly jobs: Job[];
  readonly next?: string;
}

const DEFAULT_MAX_RETRIES = 3;

/**
 * The job system, the same in the app and in every CLI command: every job is a row of system.jobs,
 * so the table is the queue and the history, shared by every process on the data directory. Each
 * process runs the jobs it queued (the row's `owner`), oldest first, at most `concurrency` at once;
 * an exclusive kind runs alone and excluded kinds apart, across processes. A key held by an active
 * job refuses a second one; transient failures retry with exponential backoff; cancel aborts the
 * body's signal; progress is throttled, persisted and streamed (job-progress.ts). At start, and
 * whenever one is met later, jobs of dead processes are failed as "interrupted" and each kind cleans
 * their partial output (job-recovery.ts). Writing kinds neither start nor run in read-only mode.
 */
export class JobManager {
  private readonly engine: Engine;
  private readonly kinds: JobKinds;
  private readonly process: JobProcess;
  private readonly clock: Clock;
  /** Also the flush scheduler's, unless it is given one. */
  readonly logger: Logger;
  private readonly listeners = new Set<JobListener>();
  private readonly queue: JobQueue;
  private readonly recovery: JobRecovery;
  private readonly launcher: JobLauncher;
  private readonly offReadOnly: () => void;
  private started = false;
  /** Recovery is done: only then may jobs run (a recovery hook must not see a new job's files). */
  private ready = false;
  /** A dead process's job was met after start: its leftovers are cleaned before the next launch. */
  private recoveryDue = false;
  private recovering = false;
  private closed = false;
  /** Draining before the engine closes (drain('wait')): running jobs finish, nothing new starts. */
  private draining = false;

  constructor(options: JobManagerOptions) {
    this.engine = options.engine;
    this.kinds = options.kinds;
    this.process = options.process ?? 'app';
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleLogger;
    this.recovery = new JobRecovery(this.engine, this.kinds, this.logger);
    const mainRunner = new InProcessRunner(options.engine, options.kinds);
    this.launcher = new JobLauncher({
      engine: this.engine,
      runner: options.runner ?? mainRunner,
      mainRunner,
      clock: this.clock,
      retryBaseMs: options.retryBaseMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 60_000,
      progress: new ProgressWriter({
        engine: this.engine,
        clock: this.clock,
        intervalMs: options.progressIntervalMs ?? 100,
        emit: (job, reportedAt) => this.emit({ type: 'job', job, reportedAt }),
        logger: this.logger,
        closed: () => this.closed,
      }),
      emitJob: (job) => this.emitJob(job),
      emitTables: (jobId, tables) => {
        if (tables !== undefined && (tables === 'all' || tables.length > 0)) this.emit({ type: 'tables', jobId, tables });
      },
      logger: this.logger,
      closed: () => this.closed,
      processKind: this.process,
      moved: () => this.pump(),
    });
    this.queue = new JobQueue({
      engine: this.engine,
      kinds: this.kinds,
      launcher: this.launcher,
      clock: this.clock,
      concurrency: Math.max(1, options.concurrency ?? 2),
      foreignPollMs: options.foreignPollMs ?? 500,
      emitJob: (job) => this.emitJob(job),
      logger: this.logger,
      closed: () => this.closed,
      interruptDead: (job) => this.interruptDead(job),
      poke: () => this.pump(),
    });
    // Writing jobs wait while read-only is on; they start once it is turned off.
    this.offReadOnly = this.engine.readOnly.subscribe(() => this.pump());
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
        this.logger.error('job listener failed', { error });
      }
    }
  }

  private emitJob(job: Job): void {
    this.emit({ type: 'job', job });
  }

  /**
   * Recovers what dead processes left (their active jobs become failed "interrupted"; every kind's
   * recovery hook cleans partial output), then starts running this process's queued jobs.
   */
  async start(): Promise<{ interrupted: Job[] }> {
    if (this.started || this.closed) return { interrupted: [] };
    this.started = true;
    const interrupted = this.recovery.interruptAtStart();
    for (const job of interrupted) this.emitJob(job);
    await this.recovery.runHooks(() => this.closed);
    this.ready = true;
    this.pump();
    return { interrupted };
  }

  /**
   * Whether a job of this type may be started now: VALIDATION for a type this build lacks,
   * READ_ONLY for a kind that writes while read-only mode is on, CONFLICT while shutting down.
   */
  assertMayStart(type: JobType): JobKind {
    if (this.closed) throw new EngineError('CONFLICT', 'the job manager is shutting down');
    const kind = this.kinds.get(type);
    if (!kind) throw new ValidationError('job', [{ field: 'type', message: `no job type "${type}" here` }]);
    if (kind.writes) this.engine.readOnly.assertWritable();
    return kind;
  }

  /** Queues a job. VALIDATION for bad parameters; CONFLICT while a job holding its key is active; READ_ONLY for a writing kind in read-only mode. */
  startJob(type: JobType, params: unknown, options: StartOptions = {}): Job {
    const kind = this.assertMayStart(type);
    const parsed = kind.params.safeParse(params);
    if (!parsed.success) throw new ValidationError(`${type} job`, issuesOf(parsed.error));
    const key = kind.idempotencyKey?.(parsed.data) ?? null;
    const conflict = (active: Job) => {
      const message = kind.conflictMessage?.(parsed.data, active) ?? `a ${type} job is already ${active.status} (${active.job_id})`;
      return new EngineError('CONFLICT', ownedHere(active) ? message : `${message} in ${describeOwner(active.owner)}`);
    };
    const job = this.newRow(type, parsed.data, {
      message: options.message ?? null,
      idempotency_key: key,
      max_retries: options.maxRetries ?? kind.maxRetries ?? DEFAULT_MAX_RETRIES,
    });
    let stored: Job | undefined;
    for (let attempt = 0; stored === undefined; attempt++) {
      try {
        stored = this.insert(job, options.recorded);
      } catch (e) {
        const active = key === null ? undefined : this.store.activeWithKey(key);
        if (!(e instanceof UniqueViolationError) || !active) throw e;
        // The key is held by a job whose process died: it is interrupted now, and the new job waits for its leftovers to be cleaned.
        if (attempt > 0 || !this.interruptDead(active)) throw conflict(active);
      }
    }
    this.emitJob(stored);
    this.pump();
    return stored;
  }

  /** Records a job that was not run (e.g. "flush all" meeting a flush already running). */
  recordSkipped(type: JobType, params: Record<string, unknown>, message: string, recorded?: (job: Job) => void): Job {
    return this.record(type, params, { status: 'skipped', message, error: null }, recorded);
  }

  /** Records a job that could not even be queued (e.g. "flush all" meeting a table it cannot flush). */
  recordFailed(type: JobType, params: Record<string, unknown>, error: string, recorded?: (job: Job) => void): Job {
    return this.record(type, params, { status: 'failed', message: null, error }, recorded);
  }

  private record(
    type: JobType,
    params: Record<string, unknown>,
    outcome: Pick<Job, 'status' | 'message' | 'error'>,
    recorded: ((job: Job) => void) | undefined,
  ): Job {
    this.assertMayStart(type);
    const row = this.newRow(type, params, outcome);
    const job = this.insert({ ...row, finished_at: row.created_at }, recorded);
    this.emitJob(job);
    return job;
  }

  /** Inserts a job row, with what `recorded` writes about it in the same transaction. */
  private insert(job: Job, recorded: ((job: Job) => void) | undefined): Job {
    if (!recorded) return this.store.insert(job);
    return this.engine.backend.transaction(() => {
      const stored = this.store.insert(job);
      recorded(stored);
      return stored;
    });
  }

  /** A new row owned by this process: queued unless `fields` say otherwise. */
  private newRow(type: JobType, params: Record<string, unknown>, fields: Partial<Job>): Job {
    const now = this.engine.now();
    return {
      job_id: newJobId(type, now),
      job_type: type,
      status: 'queued',
      parameters: JSON.parse(JSON.stringify(params)) as Job['parameters'],
      progress: null,
      message: null,
      result: null,
      error: null,
      idempotency_key: null,
      owner: processOwner(this.process),
      retries: 0,
      max_retries: 0,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
      ...fields,
    };
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
    const page = this.store.list(options);
    return page.next === undefined ? { jobs: page.items } : { jobs: page.items, next: page.next };
  }

  /** Jobs queued, running or waiting to retry, in every process. */
  activeCount(): number {
    let n = 0;
    for (const status of ['queued', 'running', 'retrying'] as const) n += this.store.countWithStatus(status);
    return n;
  }

  /** Job ids running right now (in this process). */
  runningIds(): JobId[] {
    return [...this.launcher.ids()];
  }

  /**
   * Cancels a job: queued or waiting to retry, it ends at once; running, its signal is aborted and
   * it ends (cancelled) when its body stops at the next batch, after cleaning its partial output.
   * Another live process's job is refused: only its owner can stop it.
   */
  cancel(id: JobId): Job {
    const job = this.get(id);
    const now = this.engine.now();
    const active = job.status === 'queued' || job.status === 'running' || job.status === 'retrying';
    if (active && !ownedHere(job) && ownerAlive(job.owner)) {
      const how = job.owner?.process === 'cli' ? 'stop it there (Ctrl+C)' : 'cancel it there';
      throw new EngineError('CONFLICT', `job ${id} runs in ${describeOwner(job.owner)}; ${how}`);
    }
    if (job.status === 'queued' || job.status === 'retrying') {
      this.launcher.dropRetry(id);
      this.queue.forget(id);
      const cancelled = this.store.update(id, (j) => ({ ...j, status: 'cancelled', message: 'cancelled before it ran', finished_at: now, updated_at: now }));
      this.emitJob(cancelled);
      return cancelled;
    }
    if (job.status === 'running') {
      const aborted = this.launcher.abort(id);
      if (aborted === 'aborted') {
        const marked = this.store.update(id, (j) => ({ ...j, message: 'cancelling: stopping at the next batch', updated_at: now }));
        this.emitJob(marked);
        return marked;
      }
      if (aborted === 'already') return job;
      // Running, but in no live process: what it left is cleaned before anything else starts here.
      const failed = this.interruptDead(job);
      if (failed) {
        this.pump();
        return failed;
      }
    }
    throw new EngineError('CONFLICT', `job ${id} is already ${job.status}`);
  }

  /** Runs a failed or cancelled job again, as a new job with the same parameters (refused as a start of its type would be). */
  retry(id: JobId, recorded?: (job: Job) => void): Job {
    // The id names the type: read-only mode refuses a writing kind's retry before anything is looked up.
    this.assertMayStart(jobTypeOfId(id));
    const job = this.get(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new EngineError('CONFLICT', `only failed or cancelled jobs can be retried; ${id} is ${job.status}`);
    }
    return this.startJob(job.job_type, job.parameters, { maxRetries: job.max_retries, message: `retry of ${id}`, recorded });
  }

  /** Fails a dead process's job as interrupted and asks for its leftovers to be cleaned; undefined if its owner lives. */
  private interruptDead(job: Job): Job | undefined {
    const failed = this.recovery.interruptIfDead(job);
    if (!failed) return undefined;
    this.recoveryDue = true;
    this.emitJob(failed);
    return failed;
  }

  /** Lets the queue start what fits, unless a dead process's leftovers must be cleaned first. */
  private pump(): void {
    if (this.closed || this.draining || !this.ready || this.recovering) return;
    if (!this.recoveryDue && this.queue.fill() === 'ok') return;
    this.recoveryDue = true;
    this.recoverWhenIdle();
  }

  /** Runs the recovery hooks once nothing runs here (they count this pid's leftovers as dead), then goes on. */
  private recoverWhenIdle(): void {
    if (this.launcher.size > 0) return;
    this.recovering = true;
    this.recoveryDue = false;
    void this.recovery
      .runHooks(() => this.closed)
      .finally(() => {
        this.recovering = false;
        this.pump();
      });
  }

  /** Resolves once every job running here has ended. */
  idle(): Promise<void> {
    return this.launcher.idle();
  }

  /**
   * Stops: no new job starts (this process's queued and retrying jobs are cancelled), running ones
   * are cancelled and awaited for up to `graceMs` on the manager's clock (whatever still runs after
   * that is recovered as interrupted at the next start).
   */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offReadOnly();
    this.queue.stop();
    this.cancelOwnWaiting();
    const all = this.launcher.stopAll();
    let timer: unknown;
    await Promise.race([all, new Promise<void>((r) => (timer = this.clock.setTimeout(r, graceMs)))]);
    this.clock.clearTimeout(timer);
    this.listeners.clear();
  }

  /** This process's jobs that are queued, running or waiting to retry. */
  ownActive(): Job[] {
    return (['running', 'retrying', 'queued'] as const).flatMap((status) => [...this.store.withStatus(status)].filter(ownedHere));
  }

  /**
   * Ends this process's work before its engine closes (switching to another data directory):
   * queued and retrying jobs are cancelled; running ones finish (`wait`) or are cancelled (`cancel`),
   * then the manager closes as close() does. Answers the jobs that were active, as they ended.
   */
  async drain(how: 'wait' | 'cancel'): Promise<Job[]> {
    const active = this.ownActive();
    if (how === 'wait' && !this.closed) {
      this.draining = true;
      this.cancelOwnWaiting();
      await this.launcher.idle();
    }
    await this.close();
    return active.map((job) => this.store.get(job.job_id) ?? job);
  }

  private cancelOwnWaiting(): void {
    const now = this.engine.now();
    const message = `cancelled: ${describeProcess(this.process)} was shutting down`;
    try {
      for (const status of ['queued', 'retrying'] as const) {
        for (const job of [...this.store.withStatus(status)]) {
          if (!ownedHere(job)) continue;
          this.emitJob(this.store.update(job.job_id, (j) => ({ ...j, status: 'cancelled', message, finished_at: now, updated_at: now })));
        }
      }
    } catch (error) {
      // The engine may already be closed: the next start recovers them as interrupted.
      this.logger.error('cancelling queued jobs at shutdown failed', { error });
    }
  }
}
