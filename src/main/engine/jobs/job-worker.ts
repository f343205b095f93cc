/**
 * Entry of a job worker thread (bundled to out/main/job-worker.js): opens its own connection to the
 * database, runs one job body, and talks to the manager by messages. Cancellation also arrives
 * through a shared flag, so a body in a long synchronous loop sees it at its next check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { defaultJobKinds } from './default-kinds';
import { isTransient, type JobContext } from './job-context';
import { ProgressPoster } from './progress-poster';
import { storageFullCode } from '../storage/storage-full';
import type { WorkerCommand, WorkerError, WorkerInput, WorkerMessage } from './worker-protocol';

/** Progress messages are coalesced to at most one per this many ms (the manager throttles further). */
const POST_INTERVAL_MS = 10;

function toWorkerError(e: unknown): WorkerError {
  // Classified here, where the SQLite error code is still at hand.
  if (isTransient(e)) return { name: 'TransientJobError', message: e instanceof Error ? e.message : String(e) };
  if (e instanceof ValidationError)
    return { name: e.name, message: e.message, code: e.code, validation: { entity: e.entity, issues: e.issues }, stack: e.stack };
  if (e instanceof Error)
    return { name: e.name, message: e.message, code: e instanceof EngineError ? e.code : undefined, stack: e.stack, storageFullCode: storageFullCode(e) };
  return { name: 'Error', message: String(e) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('job-worker must run in a worker thread');
  const input = workerData as WorkerInput;
  const post = (m: WorkerMessage) => port.postMessage(m);

  const flag = new Int32Array(input.cancelFlag);
  const controller = new AbortController();
  port.on('message', (m: WorkerCommand) => {
    if (m.type === 'cancel') controller.abort();
  });

  const poster = new ProgressPoster((p) => post({ type: 'progress', ...p }), POST_INTERVAL_MS);
  const ctx: JobContext = {
    get signal() {
      if (!controller.signal.aborted && Atomics.load(flag, 0) === 1) controller.abort();
      return controller.signal;
    },
    report: (progress) => poster.report(progress),
  };

  let engine: Engine | undefined;
  try {
    const kind = defaultJobKinds().get(input.type);
    if (!kind) throw new Error(`no job kind "${input.type}"`);
    engine = Engine.open({ databasePath: input.databasePath, storageDirectory: input.storageDirectory, secondary: true });
    const result = await kind.run(engine, kind.params.parse(input.params), ctx);
    poster.flush();
    post({ type: 'done', result });
  } catch (e) {
    poster.flush();
    post({ type: 'error', error: toWorkerError(e) });
  } finally {
    engine?.close();
    port.close();
  }
}

await main();
