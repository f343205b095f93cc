import { type ResourceLimits, Worker } from 'node:worker_threads';
import { EngineError, ValidationError } from '../errors';
import { JobCancelledError, TransientJobError } from './job-context';
import type { JobRunner, RunnerContext, RunRequest } from './job-runner';
import type { WorkerCommand, WorkerError, WorkerInput, WorkerMessage } from './worker-protocol';

export interface WorkerRunnerOptions {
  /** The job worker's entry: out/main/job-worker.js in a build. */
  readonly workerPath: string;
  readonly databasePath: string;
  readonly storageDirectory: string;
  /** Extra Node flags for the worker (tests running TypeScript pass ['--import', 'tsx']). */
  readonly execArgv?: readonly string[];
  /**
   * A worker thread died without cleaning up (out of memory, a crash): removes what it left (see
   * recoverWorkerThread). Awaited before the job fails or runs again. Its errors are its own to log.
   */
  readonly onLost?: (threadId: number) => Promise<unknown>;
}

/**
 * Heap limits of a job worker. The young generation is capped because V8 otherwise lets it grow to
 * ~100 MB of garbage in a fast allocator such as a flush before collecting it: a 1,000,000-row
 * flush peaked at ~500 MB resident uncapped, ~365 MB with this cap (bench/jobs-flush.ts measures a
 * flush in a worker with exactly these limits; 16 to 48 MB made no difference to its speed).
 */
export const JOB_WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 32 } as const;

/** A job worker's resource limits: JOB_WORKER_RESOURCE_LIMITS, and its kind's old-generation cap if it has one (JobKind.workerHeapMb). */
export function jobWorkerLimits(heapMb: number | undefined): ResourceLimits {
  return heapMb === undefined ? JOB_WORKER_RESOURCE_LIMITS : { ...JOB_WORKER_RESOURCE_LIMITS, maxOldGenerationSizeMb: heapMb };
}

/** Rebuilds an error from a worker as the class the manager classifies by. */
export function fromWorkerError(e: WorkerError): Error {
  let error: Error;
  if (e.name === 'JobCancelledError') error = new JobCancelledError();
  else if (e.name === 'TransientJobError') error = new TransientJobError(e.message);
  else if (e.validation !== undefined) error = new ValidationError(e.validation.entity, e.validation.issues, e.message);
  else if (e.code !== undefined && e.code !== 'VALIDATION') error = new EngineError(e.code, e.message);
  else {
    error = new Error(e.message);
    error.name = e.name;
  }
  if (e.stack !== undefined) error.stack = e.stack;
  if (e.storageFullCode !== undefined) Object.assign(error, { code: e.storageFullCode });
  return error;
}

/**
 * Runs each job body in its own worker thread with its own SQLite connection (WAL, busy timeout),
 * so a long flush or backup never blocks the main thread. One worker per job: jobs are few and
 * long, and a fresh thread leaves nothing behind. A body that runs out of its kind's heap cap
 * (JobKind.workerHeapMb) runs again from the start in a worker without one.
 */
export class WorkerRunner implements JobRunner {
  constructor(private readonly options: WorkerRunnerOptions) {}

  run(request: RunRequest, ctx: RunnerContext): Promise<unknown> {
    const cancelFlag = new SharedArrayBuffer(4);
    const input: WorkerInput = {
      databasePath: this.options.databasePath,
      storageDirectory: this.options.storageDirectory,
      type: request.type,
      params: request.params,
      cancelFlag,
    };
    const worker = new Worker(this.options.workerPath, {
      workerData: input,
      execArgv: [...(this.options.execArgv ?? [])],
      resourceLimits: jobWorkerLimits(request.heapMb),
      name: `job ${request.jobId}`,
    });
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
        worker.postMessage({ type: 'cancel' } satisfies WorkerCommand);
      };
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') ctx.report(m.progress, m.at);
        else if (m.type === 'done') settle(() => resolve(m.result));
        else settle(() => reject(fromWorkerError(m.error)));
      });
      // After the thread is gone (threadId reads -1 then), its leftovers go before anything else happens.
      const thread = worker.threadId;
      const lost = (then: () => void) =>
        settle(() => {
          void (this.options.onLost?.(thread) ?? Promise.resolve()).catch(() => undefined).then(then);
        });
      worker.on('error', (e: unknown) =>
        lost(() => {
          if ((e as NodeJS.ErrnoException | null)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return reject(e instanceof Error ? e : new Error(String(e)));
          // Past its kind's heap cap (rows far wider than the kind expects): once more, without the cap.
          if (request.heapMb !== undefined && !ctx.signal.aborted) return resolve(this.run({ ...request, heapMb: undefined }, ctx));
          reject(new Error('the job needed more memory than its worker may use', { cause: e }));
        }),
      );
      worker.on('exit', (code) => lost(() => reject(new Error(`the job worker stopped unexpectedly (exit code ${code})`))));
    });
  }
}
