import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { ScheduleId } from '../../../shared/keys/schedule-id';
import type { Job } from '../../../shared/system/jobs';
import type { Schedule } from '../../../shared/system/schedules';
import type { Logger } from '../../../shared/logger';
import type { Engine } from '../engine';
import { EngineError, NotFoundError } from '../errors';
import type { Clock } from '../jobs/clock';
import { systemClock } from '../jobs/clock';
import type { JobManager } from '../jobs/job-manager';
import { candidateReason } from '../stats/scope-health';
import { byScope, liveSegments } from '../stats/table-tiers';
import { applyRetention, backupFolder } from './backup-retention';
import { nextRunAt } from './next-run';

export interface MaintenanceSchedulerOptions {
  readonly engine: Engine;
  readonly manager: JobManager;
  /** Timers and time (tests pass a fake clock); default the system's timers and the engine's time. */
  readonly clock?: Clock | undefined;
  /** How often schedules are looked at (default 15 s). */
  readonly checkEveryMs?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Hears each schedule whose row the scheduler wrote (a run, its outcome), for views to refetch. */
  readonly onRecorded?: ((id: ScheduleId) => void) | undefined;
}

/** A schedule with when it runs next (null: disabled, or a cron expression that never matches again). */
export interface PlannedSchedule {
  readonly schedule: Schedule;
  readonly next_run_at: number | null;
}

const MB = 1024 * 1024;

/** What a completed job's result says worth a schedule's outcome line ("": nothing). */
function completedDetail(job: Job): string {
  if (job.job_type !== 'index_verify') return '';
  const indexes = (job.result as { indexes?: unknown[] } | null)?.indexes?.length ?? 0;
  return `: ${indexes} index${indexes === 1 ? '' : 'es'} consistent`;
}

/**
 * Runs the schedules of system.schedules: each run is an ordinary job (a backup, compactions, an
 * eviction, an index verification) started through the job manager, so it queues, shows on the
 * Jobs page and obeys read-only mode like any other (a backup and a verification only read and
 * run; the others are not started while read-only is on, and the run says so). A schedule's next
 * run counts from its last run; runs missed while the app was closed run once at start
 * (`run_once`) or are skipped (`skip`), and several missed runs never pile up. A backup schedule keeps its last N backups: after each of its
 * backups completes, it deletes its own older ones, never anything else (see applyRetention).
 */
export class MaintenanceScheduler {
  private readonly clock: Clock;
  private readonly startedAt: number;
  /** Jobs started by schedules and not yet finished: job id → schedule and, for a backup, its folder. */
  private readonly started = new Map<string, { schedule: ScheduleId; folder?: string }>();
  private timer: unknown;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: MaintenanceSchedulerOptions) {
    // The engine's time (what created_at and job times use), the system's timers.
    this.clock = options.clock ?? { ...systemClock, now: () => options.engine.now() };
    this.startedAt = this.clock.now();
    this.unsubscribe = options.manager.subscribe((e) => {
      if (e.type === 'job') this.jobChanged(e.job);
    });
  }

  private get schedules() {
    return this.options.engine.system.schedules;
  }

  /** From when a schedule's next run counts: its last run; before any run, its creation, or for `skip`, this start. */
  private since(s: Schedule): number {
    if (s.last_run_at !== null) return s.last_run_at;
    return s.missed === 'skip' ? Math.max(s.created_at, this.startedAt) : s.created_at;
  }

  /**
   * When each schedule runs next. A `skip` schedule whose runs fell due while the app was closed
   * counts from this start instead: the missed runs are not made up.
   */
  nextRun(s: Schedule): number | null {
    if (!s.enabled) return null;
    let since = this.since(s);
    if (s.missed === 'skip' && s.last_run_at !== null && s.last_run_at < this.startedAt) {
      const next = nextRunAt(s, since);
      if (next !== null && next <= this.startedAt) since = this.startedAt;
    }
    return nextRunAt(s, since);
  }

  planned(): PlannedSchedule[] {
    return this.schedules.all().map((schedule) => ({ schedule, next_run_at: this.nextRun(schedule) }));
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    const tick = () => {
      this.timer = undefined;
      try {
        this.check();
      } catch (error) {
        (this.options.logger ?? this.options.manager.logger).error('maintenance scheduler check failed', { error });
      }
      if (!this.stopped) this.timer = this.clock.setTimeout(tick, this.options.checkEveryMs ?? 15_000);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe();
  }

  /** Runs every schedule that is due at `now`; returns their ids. */
  check(now: number = this.clock.now()): ScheduleId[] {
    const ran: ScheduleId[] = [];
    for (const s of this.schedules.all()) {
      const next = this.nextRun(s);
      if (next === null || next > now) continue;
      this.run(s.schedule_id, now);
      ran.push(s.schedule_id);
    }
    return ran;
  }

  /**
   * Runs a schedule now (its time came, or someone asked): starts its job(s) and records the run.
   * Returns the jobs started (none when there was nothing to do, or read-only mode refused).
   */
  run(id: ScheduleId, now: number = this.clock.now()): Job[] {
    const s = this.schedules.get(id);
    if (!s) throw new NotFoundError(`schedule ${id}`);
    let jobs: Job[] = [];
    let outcome: string;
    try {
      ({ jobs, outcome } = this.startJobs(s, now));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      outcome = e.code === 'READ_ONLY' ? `not run: ${e.message}` : `failed to start: ${e.message}`;
    }
    this.record(id, { last_run_at: now, last_job_id: jobs[0]?.job_id ?? null, last_outcome: outcome }, now);
    return jobs;
  }

  private startJobs(s: Schedule, now: number): { jobs: Job[]; outcome: string } {
    const { engine, manager } = this.options;
    const by = `by schedule ${s.schedule_id}`;
    switch (s.kind) {
      case 'backup': {
        const folder = backupFolder(s.folder_template!, now);
        const job = manager.startJob('backup', { folder }, { message: by });
        this.started.set(job.job_id, { schedule: s.schedule_id, folder });
        return { jobs: [job], outcome: `backup to ${folder} queued` };
      }
      case 'evict': {
        engine.readOnly.assertWritable();
        const job = manager.startJob('evict', {}, { message: by });
        this.started.set(job.job_id, { schedule: s.schedule_id });
        return { jobs: [job], outcome: 'eviction queued' };
      }
      case 'index_verify': {
        // Only reads: runs in read-only mode, like a backup.
        const job = manager.startJob('index_verify', s.table === null ? {} : { table: s.table }, { message: by });
        this.started.set(job.job_id, { schedule: s.schedule_id });
        return { jobs: [job], outcome: `verification of ${s.table ?? 'every index'} queued` };
      }
      case 'compact': {
        engine.readOnly.assertWritable();
        const threshold = { minSegments: s.min_segments ?? 4, smallBytes: (s.small_mb ?? 1) * MB };
        const metas = s.table === null ? [...engine.data.list()] : [engine.data.metadata(TableIdKey.parse(s.table))];
        const jobs: Job[] = [];
        for (const meta of metas) {
          if (meta.table_type !== 'shared' && meta.table_type !== 'user') continue;
          const due = byScope(liveSegments(engine, meta)).some((scope) => candidateReason(scope.entries, threshold) !== null);
          if (!due) continue;
          const table = TableIdKey.display(tableId(meta.namespace_id, meta.table_name));
          try {
            const job = manager.startJob('compact', { table }, { message: by });
            this.started.set(job.job_id, { schedule: s.schedule_id });
            jobs.push(job);
          } catch (e) {
            // A table already being flushed or compacted is left for the next run.
            if (!(e instanceof EngineError && e.code === 'CONFLICT')) throw e;
          }
        }
        return { jobs, outcome: jobs.length === 0 ? 'nothing to compact' : `${jobs.length} compaction${jobs.length === 1 ? '' : 's'} queued` };
      }
    }
  }

  /** A job a schedule started changed: record how it ended, and apply a backup schedule's retention. */
  private jobChanged(job: Job): void {
    const mine = this.started.get(job.job_id);
    if (!mine || (job.status !== 'completed' && job.status !== 'failed' && job.status !== 'cancelled' && job.status !== 'skipped')) return;
    this.started.delete(job.job_id);
    const s = this.schedules.get(mine.schedule);
    if (!s) return;
    const now = this.clock.now();
    if (job.status !== 'completed') {
      this.record(s.schedule_id, { last_outcome: `${job.job_id} ${job.status}${job.error ? `: ${job.error}` : ''}` }, now);
      return;
    }
    if (s.kind !== 'backup' || !mine.folder) {
      this.record(s.schedule_id, { last_outcome: `${job.job_id} completed${completedDetail(job)}` }, now);
      return;
    }
    const { kept, deleted } = applyRetention([...s.backups, mine.folder], s.keep_last ?? Number.MAX_SAFE_INTEGER);
    const gone = deleted.length === 0 ? '' : `; deleted ${deleted.length} older backup${deleted.length === 1 ? '' : 's'} of this schedule`;
    this.record(s.schedule_id, { backups: kept, last_outcome: `${job.job_id} completed: ${mine.folder}${gone}` }, now);
  }

  private record(id: ScheduleId, change: Partial<Schedule>, now: number): void {
    const { engine } = this.options;
    if (!engine.backend.open) return;
    // Gone meanwhile (deleted in its form): nothing to record.
    if (!this.schedules.get(id)) return;
    this.schedules.update(id, (current) => ({ ...current, ...change, updated_at: now }));
    this.options.onRecorded?.(id);
  }
}
