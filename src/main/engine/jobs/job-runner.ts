import type { JobType } from '../../../shared/keys/job-id';
import type { JobProgress } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { JobKinds } from './job-kind';

/** What the manager asks a runner to run. */
export interface RunRequest {
  readonly jobId: string;
  readonly type: JobType;
  /** Already validated by the kind's schema. */
  readonly params: Record<string, unknown>;
  /** The kind's JobKind.workerHeapMb (worker runners cap the worker's heap at it). */
  readonly heapMb?: number | undefined;
}

/** The manager's side of a running body. */
export interface RunnerContext {
  readonly signal: AbortSignal;
  /** `reportedAt`: when the body called report() (ms since the epoch, sub-ms precision). */
  report(progress: JobProgress, reportedAt: number): void;
}

/** Runs job bodies somewhere: on this thread, or in worker threads. */
export interface JobRunner {
  run(request: RunRequest, ctx: RunnerContext): Promise<unknown>;
}

/** A clock comparable across threads (performance.now() alone starts at each thread's origin). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Runs bodies on the calling thread with the given engine (tests, the CLI, main-thread kinds). */
export class InProcessRunner implements JobRunner {
  constructor(
    private readonly engine: Engine,
    private readonly kinds: JobKinds,
  ) {}

  async run(request: RunRequest, ctx: RunnerContext): Promise<unknown> {
    const kind = this.kinds.get(request.type);
    if (!kind) throw new Error(`no job kind "${request.type}"`);
    return kind.run(this.engine, request.params, { signal: ctx.signal, report: (p) => ctx.report(p, preciseNow()) });
  }
}
