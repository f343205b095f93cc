import type { Job } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { JobKinds } from './job-kind';
import { describeOwner, ownedHere, ownerAlive } from './job-owner';
import type { Logger } from '../../../shared/logger';

/** A job whose owner is gone, failed as "interrupted" (retryable: its key is free again). */
function interrupted(job: Job, now: number): Job {
  const who = job.owner === null ? 'the process that ran it' : describeOwner(job.owner);
  const message =
    job.status === 'queued'
      ? `${who} stopped before the job ran; retry it to run it again`
      : `${who} stopped while the job was running; retry it to run it again`;
  return { ...job, status: 'failed', error: 'interrupted', message, finished_at: now, updated_at: now };
}

/**
 * What a process finds of jobs whose owner died (SIGKILL, power loss): their rows, failed as
 * interrupted, and their partial output, removed by each kind's recovery hook. Run at every start
 * of a manager (the app's and every CLI command's) and again whenever a dead owner's job is met
 * later. A live process's jobs are never touched.
 */
export class JobRecovery {
  constructor(
    private readonly engine: Engine,
    private readonly kinds: JobKinds,
    private readonly logger: Logger,
  ) {}

  private get store() {
    return this.engine.system.jobs;
  }

  /**
   * At start, before this process runs anything: every active job of a dead owner is failed, and so
   * are running or retrying ones recorded under this pid (a previous process that had it). Jobs this
   * process queued before starting stay queued.
   */
  interruptAtStart(): Job[] {
    const out: Job[] = [];
    for (const status of ['running', 'retrying', 'queued'] as const) {
      for (const job of [...this.store.withStatus(status)]) {
        const ours = ownedHere(job);
        if (ours ? status === 'queued' : ownerAlive(job.owner)) continue;
        const failed = this.interrupt(job);
        if (failed) out.push(failed);
      }
    }
    return out;
  }

  /** Fails a job met later (a key it holds, a run it blocks) if its owner is dead and it is still as read; else undefined. */
  interruptIfDead(job: Job): Job | undefined {
    if (ownerAlive(job.owner)) return undefined;
    return this.interrupt(job);
  }

  private interrupt(job: Job): Job | undefined {
    return this.engine.backend.transaction(() => {
      const current = this.store.get(job.job_id);
      // Another process may have recovered it (or it moved on) since it was read.
      if (!current || current.status !== job.status || current.updated_at !== job.updated_at) return undefined;
      return this.store.update(job.job_id, (j) => interrupted(j, this.engine.now()));
    });
  }

  /**
   * Every kind's hook removes what dead processes left (journals, temporary files, staging folders).
   * This process must run no job meanwhile: the hooks count its own pid's leftovers as dead.
   */
  async runHooks(stop: () => boolean): Promise<void> {
    for (const kind of this.kinds.values()) {
      if (stop()) return;
      try {
        await kind.recover?.(this.engine);
      } catch (error) {
        this.logger.error('job recovery failed', { type: kind.type, error });
      }
    }
  }
}
