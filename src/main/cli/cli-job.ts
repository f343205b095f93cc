import { newJobId, type JobType } from '../../shared/keys/job-id';
import type { Job, JobProgress } from '../../shared/system/jobs';
import type { Engine } from '../engine/engine';
import { EngineError, UniqueViolationError, ValidationError } from '../engine/errors';
import { JobCancelledError, type JobContext } from '../engine/jobs/job-context';
import type { JobKinds } from '../engine/jobs/job-kind';
import { jobLockPath, processAlive, tryLock } from '../engine/process-lock';

/** Where a CLI job's progress goes (the TTY line). */
export type ProgressSink = (progress: JobProgress) => void;

const CLI_MARK = /^run by the CLI \(pid (\d+)\)/;
/** Least time between progress writes to system.jobs (the app's Jobs page shows them on refresh). */
const PERSIST_EVERY_MS = 1000;

export class CliError extends Error {
  override name = 'CliError';
}

/**
 * Runs one job in this process, recorded in system.jobs like the app's jobs, so it shows in the
 * app's Jobs page and holds the kind's idempotency key: the app refuses a second flush of the same
 * table (and the CLI refuses one the app is running). A lock file per job type keeps two CLI
 * processes apart and tells a job row of a dead CLI (SIGKILL) from a live one: such a row is failed
 * as "interrupted" and the job runs.
 */
export async function runCliJob(
  engine: Engine,
  kinds: JobKinds,
  dataDir: string,
  type: JobType,
  rawParams: unknown,
  options: { signal: AbortSignal; onProgress: ProgressSink },
): Promise<{ job: Job; result: unknown }> {
  const kind = kinds.get(type);
  if (!kind) throw new CliError(`this build has no ${type} job`);
  const parsed = kind.params.safeParse(rawParams);
  if (!parsed.success)
    throw new ValidationError(
      `${type} job`,
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  const params = parsed.data;

  const lock = tryLock(jobLockPath(dataDir, type));
  if ('heldBy' in lock) throw new CliError(`another CLI process (pid ${lock.heldBy}) is running a ${type} job on this data directory; wait for it to finish`);
  try {
    const job = insertRunning(
      engine,
      kind.idempotencyKey?.(params) ?? null,
      type,
      params,
      (active) => kind.conflictMessage?.(params, active) ?? `a ${type} job is already ${active.status} (${active.job_id})`,
    );
    const store = engine.system.jobs;
    let lastPersist = 0;
    let latest: JobProgress | null = null;
    const ctx: JobContext = {
      signal: options.signal,
      report: (progress) => {
        latest = progress;
        options.onProgress(progress);
        const now = Date.now();
        if (now - lastPersist >= PERSIST_EVERY_MS) {
          lastPersist = now;
          store.update(job.job_id, (j) => ({ ...j, progress, updated_at: engine.now() }));
        }
      },
    };
    const finish = (change: Partial<Job>) => {
      const now = engine.now();
      return store.update(job.job_id, (j) => ({ ...j, progress: latest ?? j.progress, finished_at: now, updated_at: now, ...change }));
    };
    try {
      const result = await kind.run(engine, params, ctx);
      const done = finish({ status: 'completed', result: JSON.parse(JSON.stringify(result ?? null)) as Job['result'] });
      return { job: done, result };
    } catch (e) {
      if (e instanceof JobCancelledError) finish({ status: 'cancelled', message: 'cancelled from the CLI (Ctrl+C)' });
      else finish({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  } finally {
    lock.release();
  }
}

function insertRunning(engine: Engine, key: string | null, type: JobType, params: Record<string, unknown>, conflict: (active: Job) => string): Job {
  const store = engine.system.jobs;
  for (let attempt = 0; ; attempt++) {
    const now = engine.now();
    try {
      return store.insert({
        job_id: newJobId(type, now),
        job_type: type,
        status: 'running',
        parameters: JSON.parse(JSON.stringify(params)) as Job['parameters'],
        progress: null,
        message: `run by the CLI (pid ${process.pid})`,
        result: null,
        error: null,
        idempotency_key: key,
        retries: 0,
        max_retries: 0,
        created_at: now,
        started_at: now,
        finished_at: null,
        updated_at: now,
      });
    } catch (e) {
      const active = key === null ? undefined : store.activeWithKey(key);
      if (!(e instanceof UniqueViolationError) || !active) throw e;
      // A job row of a CLI process that died holds the key until someone notices: we do.
      const pid = Number(CLI_MARK.exec(active.message ?? '')?.[1]);
      if (attempt === 0 && active.status === 'running' && pid && !processAlive(pid)) {
        store.update(active.job_id, (j) => ({
          ...j,
          status: 'failed',
          error: 'interrupted',
          message: `the CLI process (pid ${pid}) stopped while the job was running`,
          finished_at: now,
          updated_at: now,
        }));
        continue;
      }
      throw new EngineError('CONFLICT', `${conflict(active)}${pid ? ` by the CLI (pid ${pid})` : ' in the app'}`);
    }
  }
}
