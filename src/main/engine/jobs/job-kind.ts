import type { z } from 'zod';
import type { JobType } from '../../../shared/keys/job-id';
import type { Job } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { JobContext } from './job-context';

/** Tables a finished job changed: named ("ns.table"), or every table (a restore). */
export type ChangedTables = readonly string[] | 'all';

/**
 * One kind of job: how its parameters are checked, which jobs it may not run beside, and its body.
 * The body gets an engine (the manager's, or a worker's own connection to the same database) and
 * never knows which thread it runs on.
 */
export interface JobKind<P extends Record<string, unknown> = Record<string, unknown>, R = unknown> {
  readonly type: JobType;
  readonly params: z.ZodType<P>;
  /** Held while the job is queued or running: a second job with the same key is refused. */
  idempotencyKey?(params: P): string;
  /** The refusal when a job holding the key is active, e.g. "a flush of demo.orders is already running (FL-…)". */
  conflictMessage?(params: P, active: Job): string;
  /** Transient failures retried before the job fails (default 3). */
  readonly maxRetries?: number;
  /**
   * `worker`: in a worker thread with its own connection (heavy work). `main`: on the manager's
   * engine (work that must be seen by it at once, e.g. a restore that replaces every table).
   */
  readonly thread: 'worker' | 'main';
  /**
   * Whether the job changes the data (a flush, a restore) or only reads it (a backup). Writing kinds
   * are refused, and wait if already queued, while read-only mode is on.
   */
  readonly writes: boolean;
  /**
   * Worker kinds: the old-generation heap limit of the job's worker, in MB (absent: V8's default).
   * For kinds that hold a bounded amount of data by design (an export: one batch, one row group),
   * since V8 otherwise lets garbage pile up far past what the job holds before collecting it, and
   * the process's resident memory with it. A body that runs out of it is run again from the start
   * without the cap (WorkerRunner), so the kind must allow that: the lost worker's leftovers (an
   * export's partial file, recorded in the cleanup journal) are removed first.
   */
  readonly workerHeapMb?: number;
  /** Runs with no other job beside it (a restore). */
  readonly exclusive?: boolean;
  /**
   * Job types this kind never runs beside, whichever started first (the later one waits in the
   * queue): a compaction deletes segment files a running backup's snapshot still lists.
   */
  readonly excludes?: readonly JobType[];
  /** One line for lists, e.g. "flush demo.orders". */
  describe(params: P): string;
  run(engine: Engine, params: P, ctx: JobContext): Promise<R>;
  /**
   * Tables whose rows the job changed, for views to refetch (a worker's writes reach no change
   * feed). `result` is undefined when the job failed or was cancelled.
   */
  changedTables?(params: P, result: R | undefined): ChangedTables;
  /** At manager start, after interrupted jobs were marked failed: removes partial output they left. */
  recover?(engine: Engine): void | Promise<void>;
}

/** Job kinds by type. */
export type JobKinds = ReadonlyMap<JobType, JobKind>;

/** Erases a kind's parameter and result types so kinds of every type fit one map. */
export function jobKind<P extends Record<string, unknown>, R>(kind: JobKind<P, R>): JobKind {
  return kind;
}

export function jobKinds(...kinds: JobKind[]): JobKinds {
  return new Map(kinds.map((k) => [k.type, k]));
}
