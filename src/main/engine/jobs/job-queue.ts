import type { JobId } from '../../../shared/keys/job-id';
import type { Job } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { Clock } from './clock';
import type { JobKind, JobKinds } from './job-kind';
import type { JobLauncher } from './job-launch';
import { describeOwner, ownedHere, ownerAlive } from './job-owner';
import type { Logger } from '../../../shared/logger';

/** Whether two kinds may not run at the same time (either one says so, or either runs alone). */
export function blocks(a: JobKind, b: JobKind): boolean {
  return a.exclusive === true || b.exclusive === true || (a.excludes?.includes(b.type) ?? false) || (b.excludes?.includes(a.type) ?? false);
}

/** Why a queued job waits instead of starting, as its message says while it waits. */
export const READ_ONLY_WAIT = 'waiting: read-only mode is on; it starts when read-only is turned off';

export function waitingFor(blocker: Job): string {
  return `waiting for ${blocker.job_id} (${blocker.job_type}) to finish in ${describeOwner(blocker.owner)}`;
}

export interface QueueDeps {
  readonly engine: Engine;
  readonly kinds: JobKinds;
  readonly launcher: JobLauncher;
  readonly clock: Clock;
  /** Jobs running at once in this process. */
  readonly concurrency: number;
  /** How often a job waiting for another process's job looks again. */
  readonly foreignPollMs: number;
  readonly emitJob: (job: Job) => void;
  readonly logger: Logger;
  readonly closed: () => boolean;
  /** Fails a dead process's job as interrupted (and has its leftovers cleaned before anything starts). */
  readonly interruptDead: (job: Job) => void;
  /** Time to look at the queue again (a poll for another process's job came due). */
  readonly poke: () => void;
}

type Launch = 'launched' | 'gone' | 'recover' | { blocker: Job };

/**
 * The queue is system.jobs itself: each process runs the jobs it queued, oldest first, at most
 * `concurrency` at once. An exclusive kind runs alone and excluded kinds apart, across processes:
 * a job that runs says so in the same table, and before a job starts the running jobs of every
 * process are read in the transaction that marks it running. Writing jobs wait while read-only
 * mode is on. A job that waits says why in its message, and gets its own back when it starts.
 */
export class JobQueue {
  /** Messages of queued jobs before they said why they wait. */
  private readonly waiting = new Map<JobId, string | null>();
  private pollTimer: unknown;

  constructor(private readonly deps: QueueDeps) {}

  private get store() {
    return this.deps.engine.system.jobs;
  }

  /**
   * Starts this process's queued jobs while there is room; notes why the others wait. Returns
   * 'recover' when a dead process's running job was met: nothing more starts until its leftovers
   * are cleaned.
   */
  fill(): 'ok' | 'recover' {
    const reasons = new Map<JobId, string>();
    try {
      return this.launchWhatFits(reasons);
    } finally {
      this.noteWaiting(reasons);
    }
  }

  /** Forgets a queued job that ended without running (cancelled). */
  forget(id: JobId): void {
    this.waiting.delete(id);
  }

  /** Shutting down: no poll fires. */
  stop(): void {
    if (this.pollTimer !== undefined) this.deps.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private launchWhatFits(reasons: Map<JobId, string>): 'ok' | 'recover' {
    const { launcher, kinds, engine } = this.deps;
    next: while (launcher.size < this.deps.concurrency) {
      const local = launcher.kinds();
      if (local.some((k) => k.exclusive)) return 'ok';
      const launched = launcher.ids();
      const queued = [...this.store.withStatus('queued')].filter((j) => ownedHere(j) && !launched.has(j.job_id));
      for (const job of queued) {
        const kind = kinds.get(job.job_type);
        if (!kind) {
          this.failUnknown(job);
          continue;
        }
        // Read-only holds back writing jobs only: the ones behind may run (a backup only reads).
        if (kind.writes && engine.readOnly.enabled) {
          reasons.set(job.job_id, READ_ONLY_WAIT);
          continue;
        }
        // An exclusive job waits for the others to finish, and so does a job that must not run
        // beside one that is running; nothing overtakes it meanwhile.
        if (local.some((k) => blocks(kind, k))) return 'ok';
        const outcome = this.tryLaunch(job, kind);
        if (outcome === 'launched') continue next;
        if (outcome === 'gone') continue;
        if (outcome === 'recover') return 'recover';
        reasons.set(job.job_id, waitingFor(outcome.blocker));
        // Another process will not tell this one when its job ends: look again soon.
        this.pollTimer ??= this.deps.clock.setTimeout(() => {
          this.pollTimer = undefined;
          this.deps.poke();
        }, this.deps.foreignPollMs);
        return 'ok';
      }
      return 'ok';
    }
    return 'ok';
  }

  /**
   * Marks a queued job running unless another process runs a job it may not run beside, in one
   * transaction: two processes cannot both see the other idle. A dead process's running job met
   * here is interrupted instead.
   */
  private tryLaunch(job: Job, kind: JobKind): Launch {
    const { engine, launcher } = this.deps;
    const now = engine.now();
    const outcome = engine.backend.transaction(() => {
      const current = this.store.get(job.job_id);
      if (current?.status !== 'queued') return 'gone' as const;
      const local = launcher.ids();
      const foreign = [...this.store.withStatus('running')].filter((j) => !local.has(j.job_id));
      // This pid's leftovers were recovered at start: a running job of this pid is another manager's of this process.
      const dead = foreign.filter((j) => !ownerAlive(j.owner));
      if (dead.length > 0) return { dead };
      const blocker = foreign.find((j) => {
        const other = this.deps.kinds.get(j.job_type);
        // A kind this build does not know (a newer version beside it) may do anything: wait for it.
        return other === undefined || blocks(kind, other);
      });
      if (blocker) return { blocker };
      const original = this.waiting.has(job.job_id) ? (this.waiting.get(job.job_id) ?? null) : current.message;
      return this.store.update(job.job_id, (j) => ({
        ...j,
        status: 'running',
        started_at: j.started_at ?? now,
        message: j.retries > 0 ? `attempt ${j.retries + 1} of ${j.max_retries + 1}` : original,
        updated_at: now,
      }));
    });
    if (outcome === 'gone') return outcome;
    if ('dead' in outcome) {
      for (const dead of outcome.dead) this.deps.interruptDead(dead);
      return 'recover';
    }
    if ('blocker' in outcome) return outcome;
    this.waiting.delete(job.job_id);
    this.deps.emitJob(outcome);
    launcher.run(outcome, kind);
    return 'launched';
  }

  private failUnknown(job: Job): void {
    const now = this.deps.engine.now();
    const failed = this.store.update(job.job_id, (j) => ({
      ...j,
      status: 'failed',
      error: `no job type "${j.job_type}" in this version`,
      finished_at: now,
      updated_at: now,
    }));
    this.deps.emitJob(failed);
  }

  /** Queued jobs say why they wait; a job that no longer waits gets its own message back. */
  private noteWaiting(reasons: ReadonlyMap<JobId, string>): void {
    const ids = new Set([...reasons.keys(), ...this.waiting.keys()]);
    for (const id of ids) {
      const reason = reasons.get(id);
      try {
        const job = this.store.get(id);
        if (job?.status !== 'queued') {
          this.waiting.delete(id);
          continue;
        }
        if (!this.waiting.has(id)) this.waiting.set(id, job.message);
        const message = reason ?? this.waiting.get(id) ?? null;
        if (reason === undefined) this.waiting.delete(id);
        if (job.message !== message) this.deps.emitJob(this.store.update(id, (j) => ({ ...j, message, updated_at: this.deps.engine.now() })));
      } catch (error) {
        if (!this.deps.closed()) this.deps.logger.error('noting why a job waits failed', { jobId: id, error });
      }
    }
  }
}
