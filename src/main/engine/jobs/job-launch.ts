import type { JobId } from '../../../shared/keys/job-id';
import { type Job, REFUSED_RESULT } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { isStorageFull, STORAGE_FULL_JOB_ERROR } from '../storage/storage-full';
import type { Clock } from './clock';
import { isTransient, JobCancelledError } from './job-context';
import type { ChangedTables, JobKind } from './job-kind';
import { describeProcess } from './job-owner';
import { newProgressState, type ProgressState, type ProgressWriter } from './job-progress';
import type { JobRunner } from './job-runner';
import type { Logger } from '../../../shared/logger';

/** A job running in this process. */
interface Running {
  readonly kind: JobKind;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  readonly progress: ProgressState;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

export interface LaunchDeps {
  readonly engine: Engine;
  /** Runs bodies of `thread: 'worker'` kinds; `mainRunner` those of `thread: 'main'`. */
  readonly runner: JobRunner;
  readonly mainRunner: JobRunner;
  readonly clock: Clock;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly progress: ProgressWriter;
  readonly emitJob: (job: Job) => void;
  readonly emitTables: (jobId: JobId, tables: ChangedTables | undefined) => void;
  readonly logger: Logger;
  readonly closed: () => boolean;
  readonly processKind: 'app' | 'cli';
  /** A job ended, or a retry is due: the queue may move. */
  readonly moved: () => void;
}

/** The error text a job keeps; stacks (and a full disk's raw text) go to the log. */
function errorText(e: unknown): string {
  if (isStorageFull(e)) return STORAGE_FULL_JOB_ERROR;
  return e instanceof Error ? e.message || e.name : String(e);
}

/**
 * Runs the bodies of this process's jobs and records their outcomes: completed, cancelled, failed,
 * or retrying with exponential backoff after a transient failure (then queued again).
 */
export class JobLauncher {
  private readonly running = new Map<JobId, Running>();
  private readonly retryTimers = new Map<JobId, unknown>();

  constructor(private readonly deps: LaunchDeps) {}

  private get store() {
    return this.deps.engine.system.jobs;
  }

  get size(): number {
    return this.running.size;
  }

  ids(): ReadonlySet<JobId> {
    return new Set(this.running.keys());
  }

  kinds(): JobKind[] {
    return [...this.running.values()].map((r) => r.kind);
  }

  has(id: JobId): boolean {
    return this.running.has(id);
  }

  /** Runs a job this process has just marked running. */
  run(job: Job, kind: JobKind): void {
    const id = job.job_id;
    const controller = new AbortController();
    let resolveDone!: () => void;
    const entry: Running = { kind, controller, done: new Promise<void>((r) => (resolveDone = r)), progress: newProgressState() };
    this.running.set(id, entry);
    const runner = kind.thread === 'main' ? this.deps.mainRunner : this.deps.runner;
    void (async () => {
      let outcome: Outcome;
      try {
        const params = kind.params.parse(job.parameters);
        const result = await runner.run(
          { jobId: id, type: job.job_type, params, heapMb: kind.workerHeapMb },
          { signal: controller.signal, report: (p, at) => this.deps.progress.report(id, entry.progress, p, at) },
        );
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error };
      }
      try {
        this.finish(id, entry, outcome);
      } catch (error) {
        // After close() the engine may be gone: the next start recovers the job as interrupted.
        if (!this.deps.closed()) this.deps.logger.error('recording a job outcome failed', { jobId: id, error });
      } finally {
        resolveDone();
        this.deps.moved();
      }
    })();
  }

  /** Aborts a running job's signal; false if it is not running here. */
  abort(id: JobId): 'aborted' | 'already' | 'not-here' {
    const entry = this.running.get(id);
    if (!entry) return 'not-here';
    if (entry.controller.signal.aborted) return 'already';
    entry.controller.abort();
    return 'aborted';
  }

  /** Forgets the timer of a job waiting to retry (it was cancelled). */
  dropRetry(id: JobId): void {
    const timer = this.retryTimers.get(id);
    if (timer !== undefined) this.deps.clock.clearTimeout(timer);
    this.retryTimers.delete(id);
  }

  /** Shutting down: no retry fires, every running body is aborted. Resolves once they all ended. */
  stopAll(): Promise<unknown> {
    for (const timer of this.retryTimers.values()) this.deps.clock.clearTimeout(timer);
    this.retryTimers.clear();
    for (const entry of this.running.values()) entry.controller.abort();
    return Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Resolves once every running job has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private finish(id: JobId, entry: Running, outcome: Outcome): void {
    const progress = this.deps.progress.settle(entry.progress);
    this.running.delete(id);
    const { engine } = this.deps;
    const now = engine.now();
    const current = this.store.get(id);
    if (!current) throw new EngineError('NOT_FOUND', `job ${id} is gone`);
    const params = entry.kind.params.parse(current.parameters);
    const base = { ...current, ...(progress ? { progress } : {}), updated_at: now };
    const end = (job: Job, tables: ChangedTables | undefined) => {
      this.deps.emitJob(job);
      this.deps.emitTables(id, tables);
    };
    if (outcome.ok) {
      const result = JSON.parse(JSON.stringify(outcome.result ?? null)) as Job['result'];
      const job = this.store.update(id, () => ({ ...base, status: 'completed', result, error: null, message: null, finished_at: now }));
      end(job, entry.kind.changedTables?.(params, outcome.result));
      return;
    }
    const error = outcome.error;
    // Whatever a cancelled body threw on its way out, the job was cancelled; its tables may have changed.
    if (error instanceof JobCancelledError || entry.controller.signal.aborted) {
      const cleanupError = error instanceof JobCancelledError ? null : errorText(error);
      const message = this.deps.closed() ? `cancelled: ${describeProcess(this.deps.processKind)} was shutting down` : 'cancelled';
      const job = this.store.update(id, () => ({ ...base, status: 'cancelled', error: cleanupError, message, finished_at: now }));
      end(job, entry.kind.changedTables?.(params, undefined));
      return;
    }
    if (isTransient(error) && current.retries < current.max_retries) {
      this.scheduleRetry(current, base, error);
      return;
    }
    if (!(error instanceof EngineError) && !isTransient(error)) this.deps.logger.error('job failed', { jobId: id, error });
    // Refused input (a corrupt backup, bad parameters) fails the same way again: not retryable.
    const result = error instanceof ValidationError ? { ...REFUSED_RESULT } : base.result;
    const job = this.store.update(id, () => ({ ...base, status: 'failed', error: errorText(error), result, message: null, finished_at: now }));
    end(job, entry.kind.changedTables?.(params, undefined));
  }

  private scheduleRetry(current: Job, base: Job, error: unknown): void {
    const id = current.job_id;
    const delay = Math.min(this.deps.retryMaxMs, this.deps.retryBaseMs * 2 ** current.retries);
    const job = this.store.update(id, () => ({
      ...base,
      status: 'retrying',
      retries: current.retries + 1,
      error: errorText(error),
      message: `retrying in ${Math.ceil(delay / 1000)} s (attempt ${current.retries + 2} of ${current.max_retries + 1})`,
    }));
    this.deps.emitJob(job);
    this.retryTimers.set(
      id,
      this.deps.clock.setTimeout(() => {
        this.retryTimers.delete(id);
        if (this.deps.closed()) return;
        const waiting = this.store.get(id);
        if (waiting?.status !== 'retrying') return;
        this.deps.emitJob(this.store.update(id, (j) => ({ ...j, status: 'queued', updated_at: this.deps.engine.now() })));
        this.deps.moved();
      }, delay),
    );
  }
}
