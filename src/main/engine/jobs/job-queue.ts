import type { JobId } from '../../../shared/keys/job-id';
import type { Job } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { JobKind, JobKinds } from './job-kind';
import { describeOwner, ownedHere, ownerAlive } from './job-owner';

/** Whether two kinds may not run at the same time (either one says so, or either runs alone). */
export function blocks(a: JobKind, b: JobKind): boolean {
  return a.exclusive === true || b.exclusive === true || (a.excludes?.includes(b.type) ?? false) || (b.excludes?.includes(a.type) ?? false);
}

/** Running jobs of other processes: those whose owner lives, and those it left behind. */
export interface ForeignRunning {
  readonly live: readonly Job[];
  readonly dead: readonly Job[];
}

/** Why a queued job waits instead of starting, as its message says while it waits. */
export const READ_ONLY_WAIT = 'waiting: read-only mode is on; it starts when read-only is turned off';

export function waitingFor(blocker: Job): string {
  return `waiting for ${blocker.job_id} (${blocker.job_type}) to finish in ${describeOwner(blocker.owner)}`;
}

/**
 * The queue is system.jobs itself: each process runs the jobs it queued, oldest first. Mutual
 * exclusion holds across processes, since a job that runs records it in the same table: before a
 * job starts, the running jobs of every process are read in the transaction that marks it running.
 */
export class JobQueue {
  constructor(
    private readonly engine: Engine,
    private readonly kinds: JobKinds,
  ) {}

  private get store() {
    return this.engine.system.jobs;
  }

  /** This process's queued jobs not yet launched, oldest first. */
  ownQueued(launched: ReadonlySet<JobId>): Job[] {
    return [...this.store.withStatus('queued')].filter((j) => ownedHere(j) && !launched.has(j.job_id));
  }

  /** Running jobs that this process does not run. */
  foreignRunning(local: ReadonlySet<JobId>): ForeignRunning {
    const live: Job[] = [];
    const dead: Job[] = [];
    for (const job of this.store.withStatus('running')) {
      if (local.has(job.job_id)) continue;
      // This pid's rows were recovered at start: one running now is another manager's of this process.
      if (ownerAlive(job.owner)) live.push(job);
      else dead.push(job);
    }
    return { live, dead };
  }

  /** The first foreign job that `kind` may not run beside. */
  blocker(kind: JobKind, foreign: readonly Job[]): Job | undefined {
    return foreign.find((j) => {
      const other = this.kinds.get(j.job_type);
      // A kind this build does not know (a newer version beside it) may do anything: wait for it.
      return other === undefined || blocks(kind, other);
    });
  }
}
