import type { JobProgress } from '../../../shared/system/jobs';

export type { JobProgress };

/**
 * What a running job sees of its manager: a cancel signal it checks between batches and a place to
 * report progress. Job bodies (flush, backup, restore, evict, index rebuild) take one and never
 * know whether they run on the main thread (tests, CLI) or in a worker.
 */
export interface JobContext {
  /** Aborted when the job is cancelled (or the process shuts down). */
  readonly signal: AbortSignal;
  /** Latest progress; the manager throttles what it persists and streams. */
  report(progress: JobProgress): void;
}

/** Thrown by a job body at a batch boundary once its job was cancelled (after cleaning up partial output). */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

/** A failure worth retrying with backoff (e.g. SQLITE_BUSY, a file briefly locked); any other error fails the job. */
export class TransientJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientJobError';
  }
}

/** Throws JobCancelledError if the job was cancelled; call it between batches. */
export function throwIfCancelled(ctx: JobContext): void {
  if (ctx.signal.aborted) throw new JobCancelledError();
}

/**
 * Whether a failure is worth a retry: a TransientJobError, or SQLite reporting the database busy or
 * locked by another connection (the app's, a worker's, a CLI's) beyond the busy timeout.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientJobError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
