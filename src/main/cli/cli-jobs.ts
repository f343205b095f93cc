import type { JobId, JobType } from '../../shared/keys/job-id';
import type { Job, JobProgress } from '../../shared/system/jobs';
import type { Engine } from '../engine/engine';
import { keepAliveClock } from '../engine/jobs/clock';
import { JobCancelledError } from '../engine/jobs/job-context';
import type { JobKinds } from '../engine/jobs/job-kind';
import { type JobEvent, JobManager } from '../engine/jobs/job-manager';
import type { Logger } from '../../shared/logger';

/** Where a CLI job's progress goes (the TTY line). */
export type ProgressSink = (progress: JobProgress) => void;

export class CliError extends Error {
  override name = 'CliError';
}

/** A job the CLI ran to its end. */
export interface CliJobRun {
  readonly job: Job;
  /** The job's stored result (its JSON form). */
  readonly result: unknown;
}

export interface CliJobOptions {
  readonly signal: AbortSignal;
  readonly onProgress: ProgressSink;
  /** Why the job waits before it starts (another process runs a job it may not run beside). */
  readonly onWaiting?: (message: string) => void;
}

const ENDED = new Set<Job['status']>(['completed', 'failed', 'cancelled', 'skipped']);

/**
 * The CLI's jobs run through the app's JobManager, owned by this CLI process: the same records in
 * system.jobs, the same idempotency keys and mutual exclusion (with the app and other CLI
 * processes), the same recovery of what dead processes left, run at every CLI start, and the same
 * progress events, which the progress line follows.
 */
export class CliJobs {
  private constructor(readonly manager: JobManager) {}

  /** Creates the manager and runs its recovery. */
  static async start(engine: Engine, kinds: JobKinds, logger: Logger): Promise<CliJobs> {
    // Its timers keep the process alive: a job waiting for another process's, or to retry, is all there is.
    const manager = new JobManager({ engine, kinds, process: 'cli', concurrency: 1, clock: keepAliveClock, logger });
    await manager.start();
    return new CliJobs(manager);
  }

  /** Queues a job and waits for its end: the completed job, JobCancelledError, or a CliError with the job's error. */
  run(type: JobType, params: unknown, options: CliJobOptions): Promise<CliJobRun> {
    const { manager } = this;
    return new Promise<CliJobRun>((resolve, reject) => {
      let id: JobId | undefined;
      // Events of the job while startJob() runs come before its id is known.
      const early: JobEvent[] = [];
      const onAbort = () => {
        if (id === undefined) return;
        try {
          manager.cancel(id);
        } catch {
          // It ended meanwhile.
        }
      };
      const handle = (e: JobEvent) => {
        if (e.type !== 'job' || e.job.job_id !== id) return;
        const job = e.job;
        if (job.status === 'running' && job.progress) options.onProgress(job.progress);
        if (job.status === 'queued' && job.message?.startsWith('waiting')) options.onWaiting?.(job.message);
        if (!ENDED.has(job.status)) return;
        off();
        options.signal.removeEventListener('abort', onAbort);
        if (job.status === 'completed') resolve({ job, result: job.result });
        else if (job.status === 'cancelled') reject(new JobCancelledError());
        else reject(new CliError(job.error ?? job.message ?? `${job.job_id} ${job.status}`));
      };
      const off = manager.subscribe((e) => (id === undefined ? early.push(e) : handle(e)));
      try {
        id = manager.startJob(type, params).job_id;
      } catch (e) {
        off();
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      options.signal.addEventListener('abort', onAbort);
      for (const e of early.splice(0)) handle(e);
      if (options.signal.aborted) onAbort();
    });
  }

  /** Stops the manager (nothing runs by then: every run() awaited its job's end). */
  close(): Promise<void> {
    return this.manager.close();
  }
}
