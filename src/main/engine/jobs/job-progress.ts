import type { JobId } from '../../../shared/keys/job-id';
import type { Job, JobProgress } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { Clock } from './clock';
import { isTransient } from './job-context';
import type { Logger } from '../../../shared/logger';

/** One running job's progress bookkeeping. */
export interface ProgressState {
  /** The latest report not yet written, and when the body made it. */
  pending?: { progress: JobProgress; reportedAt: number } | undefined;
  /** The last progress streamed (stored too, unless the database was busy). */
  latest?: JobProgress | undefined;
  lastWrite: number;
  timer?: unknown;
  /** Start of the current phase, for the rate when the body does not give one. */
  phase?: { name: string; at: number; done: number } | undefined;
  /** Cleared when the job ends: a late report or timer of it writes nothing. */
  live: boolean;
}

export function newProgressState(): ProgressState {
  return { lastWrite: Number.NEGATIVE_INFINITY, live: true };
}

export interface ProgressDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  /** Least time between persisted (and streamed) updates of one job. */
  readonly intervalMs: number;
  readonly emit: (job: Job, reportedAt: number) => void;
  readonly logger: Logger;
  readonly closed: () => boolean;
}

/**
 * Throttles what bodies report: at most one write (and one streamed event) per interval per job,
 * always the latest, with a rate over the current phase when the body gives none. A write never
 * waits for the database lock: progress is streamed anyway and stored with the next one.
 */
export class ProgressWriter {
  constructor(private readonly deps: ProgressDeps) {}

  report(id: JobId, state: ProgressState, progress: JobProgress, reportedAt: number): void {
    if (!state.live) return;
    const now = this.deps.clock.now();
    state.pending = { progress: withRate(state, progress, now), reportedAt };
    if (now - state.lastWrite >= this.deps.intervalMs) this.write(id, state);
    else state.timer ??= this.deps.clock.setTimeout(() => this.write(id, state), state.lastWrite + this.deps.intervalMs - now);
  }

  /** The job ended: stops its timer; returns the progress its outcome stores. */
  settle(state: ProgressState): JobProgress | undefined {
    this.stop(state);
    state.live = false;
    return state.pending?.progress ?? state.latest;
  }

  stop(state: ProgressState): void {
    if (state.timer !== undefined) this.deps.clock.clearTimeout(state.timer);
    state.timer = undefined;
  }

  private write(id: JobId, state: ProgressState): void {
    this.stop(state);
    const pending = state.pending;
    if (!pending || !state.live) return;
    state.pending = undefined;
    state.latest = pending.progress;
    state.lastWrite = this.deps.clock.now();
    const store = this.deps.engine.system.jobs;
    try {
      const current = store.get(id);
      if (!current) return;
      const next: Job = { ...current, progress: pending.progress, updated_at: this.deps.engine.now() };
      // Streamed whether or not it could be stored: progress must not wait for a lock.
      this.deps.emit(this.withoutWaiting(() => store.update(id, () => next)) ?? next, pending.reportedAt);
    } catch (error) {
      if (!this.deps.closed()) this.deps.logger.error('writing job progress failed', { jobId: id, error });
    }
  }

  /**
   * Runs a write only if the database is free right now. Another connection (a worker's long
   * transaction) may hold the write lock; waiting for it would stall this thread, and progress is
   * not worth that: it is skipped (undefined) and the next one, or the outcome, stores it.
   */
  private withoutWaiting<T>(write: () => T): T | undefined {
    try {
      return this.deps.engine.backend.withSettings({ busyTimeoutMs: 0 }, write);
    } catch (error) {
      if (isTransient(error)) return undefined;
      throw error;
    }
  }
}

function withRate(state: ProgressState, progress: JobProgress, now: number): JobProgress {
  if (!state.phase || state.phase.name !== progress.phase || progress.done < state.phase.done)
    state.phase = { name: progress.phase, at: now, done: progress.done };
  if (progress.rate !== undefined) return progress;
  const seconds = (now - state.phase.at) / 1000;
  return { ...progress, rate: seconds > 0 ? Math.round(((progress.done - state.phase.done) / seconds) * 10) / 10 : null };
}
