import type { BackupCheckEvent, StartJobInput } from '../../shared/contract/jobs-contract';
import { tableId, TableIdKey } from '../../shared/keys/table-id';
import type { Job } from '../../shared/system/jobs';
import type { Subject } from '../engine/access/subject';
import { checkBackup, openBackup } from '../engine/backup/backup-check';
import { recoverWorkerThread } from '../engine/backup/cleanup-journal';
import { nothingToCompact } from '../engine/compact/compact-job';
import { dataDirLayout, type Engine } from '../engine/engine';
import { EngineError, ValidationError } from '../engine/errors';
import { assertHostPath } from '../engine/host-path';
import { defaultJobKinds } from '../engine/jobs/default-kinds';
import type { JobKinds } from '../engine/jobs/job-kind';
import { type JobEvent, JobManager } from '../engine/jobs/job-manager';
import { FlushScheduler } from '../engine/jobs/flush-scheduler';
import { MaintenanceScheduler } from '../engine/schedules/maintenance-scheduler';
import { resolveIndex } from '../engine/jobs/kinds/index-rebuild-job';
import { WorkerRunner } from '../engine/jobs/worker-runner';
import type { ChangeBus } from './change-bus';
import type { ServiceDeps } from './deps';
import { asInput } from './errors';
import { impl } from './implementer';
import { streamProgress } from './progress-stream';
import type { Logger } from '../../shared/logger';
import { auditJob } from './job-audit';

export interface JobsOptions {
  /**
   * The job worker's entry (out/main/job-worker.js next to the entry that starts the app): job
   * bodies then run in worker threads. Without it they run on the main thread (tests, the CLI).
   */
  readonly workerPath?: string | undefined;
  /** Extra Node flags for workers (tests running TypeScript pass ['--import', 'tsx']). */
  readonly workerExecArgv?: readonly string[];
  readonly concurrency?: number;
  /** How often flush policies are checked, in ms (default 5000); 0 turns the scheduler off. */
  readonly scheduleEveryMs?: number;
  /** Job kinds (default: every kind of the app). */
  readonly kinds?: JobKinds;
  /** The owner recorded on its jobs (default 'app'; the CLI's `sql` command runs services as 'cli'). */
  readonly process?: 'app' | 'cli';
}

/** The job manager and its scheduler, wired to the event bus. */
export interface JobsRuntime {
  readonly manager: JobManager;
  /** Settles once startup recovery ran and queued jobs may start. */
  readonly ready: Promise<void>;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
  /** Runs the schedules of system.schedules (the maintenance planner). */
  readonly maintenance: MaintenanceScheduler;
  /** Stops the scheduler, cancels running jobs (a worker's job ends cancelled or is recovered as interrupted at the next start). */
  stop(): void;
}

function publishJobEvent(bus: ChangeBus, event: JobEvent): void {
  if (event.type === 'job') {
    bus.publish({ type: 'job', job: event.job });
    // Status changes refetch grids of system.jobs; progress alone streams as the job event above.
    if (event.reportedAt === undefined) bus.publish({ type: 'change', table: 'system.jobs', key: event.job.job_id, op: 'update' });
    return;
  }
  // Writes made through a worker's own connection reach no change feed here: announce them.
  if (event.tables === 'all') {
    bus.publish({ type: 'reset' });
    return;
  }
  for (const table of event.tables) bus.publish({ type: 'change', table, key: null, op: 'bulk' });
  // A flush changes what system.manifest lists.
  if (event.tables.length > 0) bus.publish({ type: 'change', table: 'system.manifest', key: null, op: 'bulk' });
}

/** Creates the job manager of the services: recovery runs at once, then queued jobs start. */
export function startJobs(engine: Engine, bus: ChangeBus, dataDir: string, logger: Logger, options: JobsOptions = {}): JobsRuntime {
  const kinds = options.kinds ?? defaultJobKinds();
  // A worker that dies without cleaning up (out of memory, a crash) leaves its files to this, at once.
  const onLost = (thread: number) =>
    recoverWorkerThread(engine, thread).then(
      (paths) => {
        if (paths.length > 0) logger.warn('removed what a lost job worker left behind', { paths });
      },
      (error: unknown) => logger.error('removing what a lost job worker left behind failed', { error }),
    );
  const runner = options.workerPath
    ? new WorkerRunner({
        workerPath: options.workerPath,
        ...dataDirLayout(dataDir),
        ...(options.workerExecArgv ? { execArgv: options.workerExecArgv } : {}),
        onLost,
      })
    : undefined;
  const manager = new JobManager({
    engine,
    kinds,
    ...(runner ? { runner } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.process !== undefined ? { process: options.process } : {}),
    logger,
  });
  const unsubscribe = manager.subscribe((event) => publishJobEvent(bus, event));
  // A restore (or any reload) replaced the database's content: every open view refetches.
  const offReload = engine.onReload(() => bus.publish({ type: 'reset' }));
  const scheduler = new FlushScheduler({ engine, manager, checkEveryMs: options.scheduleEveryMs });
  const maintenance = new MaintenanceScheduler({
    engine,
    manager,
    logger,
    onRecorded: (id) => bus.publish({ type: 'change', table: 'system.schedules', key: id, op: 'update' }),
  });
  const ready = manager.start().then(
    () => {
      // Interrupted jobs are on record (failed, "interrupted"); nothing else to tell the log.
      if (options.scheduleEveryMs !== 0) {
        scheduler.start();
        maintenance.start();
      }
    },
    (error: unknown) => logger.error('starting the job manager failed', { error }),
  );
  return {
    manager,
    ready,
    scheduler,
    logger,
    maintenance,
    stop() {
      scheduler.stop();
      maintenance.stop();
      offReload();
      void manager.close().finally(unsubscribe);
    },
  };
}

/** Writes what the services record about a job, in the transaction that records the job. */
type Recorded = (job: Job) => void;

export function jobsService({ engine, jobs, rights, writer }: ServiceDeps) {
  const { manager, scheduler, logger } = jobs;

  const audit = (actor: Subject, action: 'start' | 'cancel' | 'retry', job: Job): void => auditJob(writer, actor, action, job);

  /**
   * One flush per shared and user table. A table already being flushed gets a skipped entry saying
   * so; one that cannot be queued gets a failed entry saying why, and the others are queued anyway.
   */
  const flushAll = (recorded: Recorded): Job[] => {
    const out: Job[] = [];
    for (const meta of engine.data.list()) {
      if (meta.table_type !== 'shared' && meta.table_type !== 'user') continue;
      const table = TableIdKey.display(tableId(meta.namespace_id, meta.table_name));
      try {
        out.push(manager.startJob('flush', { table }, { message: 'flush all', recorded }));
      } catch (e) {
        // Recording refuses what starting refuses for every table (read-only mode, shutting down): that propagates.
        if (e instanceof EngineError && e.code === 'CONFLICT') out.push(manager.recordSkipped('flush', { table }, e.message, recorded));
        else out.push(manager.recordFailed('flush', { table }, e instanceof Error ? e.message : String(e), recorded));
      }
    }
    return out;
  };

  /** A flush names an existing shared or user table (checked here, so the refusal is immediate). */
  const checkFlushable = (table: string, what: 'flush' | 'compact' = 'flush') => {
    const meta = engine.data.metadata(asInput('table', () => TableIdKey.parse(table)));
    if (meta.table_type !== 'shared' && meta.table_type !== 'user') {
      const done = what === 'flush' ? 'flushed' : 'compacted';
      throw new ValidationError(`${what} job`, [
        { field: 'table', message: `${table} is a ${meta.table_type} table; only shared and user tables are ${done}` },
      ]);
    }
  };

  /** A compaction of a table with at most one segment per scope is recorded as skipped, saying so. */
  const compact = (table: string, recorded: Recorded): Job => {
    checkFlushable(table, 'compact');
    const skip = nothingToCompact(engine, table);
    return skip === undefined ? manager.startJob('compact', { table }, { recorded }) : manager.recordSkipped('compact', { table }, skip, recorded);
  };

  /** A backup's quick checks; the folder must first be absolute on this machine (never read relative to the working folder). */
  const openBackupAt = (input: { folder: string; allow_foreign?: boolean | undefined }) => {
    assertHostPath('restore job', 'folder', input.folder);
    return openBackup(input.folder, { instanceId: engine.instanceId, allowForeign: input.allow_foreign });
  };

  const startJobs = async (input: StartJobInput, recorded: Recorded): Promise<Job[]> => {
    if (input.type === 'flush_all') return flushAll(recorded);
    if (input.type === 'compact') return [compact(input.table, recorded)];
    if (input.type === 'flush') checkFlushable(input.table);
    // Refused now rather than as a failed job: an unknown index, a folder that is no valid backup.
    if (input.type === 'index_rebuild') asInput('table', () => resolveIndex(engine, input.table, input.index));
    // The quick checks only (manifest, lineage, files present); the job verifies everything again before it changes anything.
    if (input.type === 'restore') await openBackupAt(input);
    const { type, as: _as, ...params } = input;
    return [manager.startJob(type, params, { recorded })];
  };

  return {
    list: impl.jobs.list.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readJobs');
      return { ...manager.list(input), active: manager.activeCount() };
    }),
    get: impl.jobs.get.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readJobs');
      return manager.get(input.id);
    }),
    start: impl.jobs.start.handler(async ({ input, context }) => {
      rights.assert(context.acting.subject, 'manageJobs');
      // The kind says whether it writes: refused in read-only mode before anything is checked or recorded.
      manager.assertMayStart(input.type === 'flush_all' ? 'flush' : input.type);
      // Each job's audit entry is committed with its row: a start that reports an error recorded nothing.
      return { jobs: await startJobs(input, (job) => audit(context.acting.actor, 'start', job)) };
    }),
    cancel: impl.jobs.cancel.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'manageJobs');
      const job = manager.cancel(input.id);
      // The job is already told to stop, which cannot be undone: a failing audit entry is logged, not answered as a failure.
      try {
        audit(context.acting.actor, 'cancel', job);
      } catch (error) {
        logger.error('the audit entry of a job cancel could not be written', { job: job.job_id, error });
      }
      return job;
    }),
    // Cancelling only stops work: allowed in read-only mode. A retry queues a new job: refused for a writing kind.
    retry: impl.jobs.retry.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'manageJobs');
      return manager.retry(input.id, (job) => audit(context.acting.actor, 'retry', job));
    }),
    // A check reads and changes nothing live, so it streams on the call rather than running as a
    // job: its progress belongs to the dialog that asked, and closing the dialog (aborting the
    // call) stops it and removes its staging copy.
    checkBackup: impl.jobs.checkBackup.handler(({ input, context, signal }) => {
      // The restore's confirmation: as much a job right as starting the restore.
      rights.assert(context.acting.subject, 'manageJobs');
      assertHostPath('backup check', 'folder', input.folder);
      return streamProgress(signal, (ctx) => checkBackup(engine, { folder: input.folder, allowForeign: input.allow_foreign }, ctx), {
        progress: (progress): BackupCheckEvent => ({ type: 'progress', progress }),
        result: (summary): BackupCheckEvent => ({ type: 'summary', summary }),
      });
    }),
    flushSchedule: impl.jobs.flushSchedule.handler(({ context }) => {
      rights.assert(context.acting.subject, 'readJobs');
      return { paused: scheduler.backoffs() };
    }),
  };
}
