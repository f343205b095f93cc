import type { Job, JobOwner, JobProcess } from '../../../shared/system/jobs';
import { processAlive } from '../process-lock';

/**
 * Who owns a job: the process that queued it, recorded in the job's `owner` field (process kind and
 * pid). Only the owner starts, runs and cancels a job; once its owner is gone, any process's
 * recovery fails it as interrupted. Nothing here reads a job's message.
 */

/** The owner this process writes into the jobs it queues. */
export function processOwner(kind: JobProcess): JobOwner {
  return { process: kind, pid: process.pid };
}

/** Whether this process owns the job. */
export function ownedHere(job: Job): boolean {
  return job.owner !== null && job.owner.pid === process.pid;
}

/** Whether the job's owner still runs: this process does; a row of an earlier version (no owner) has none. */
export function ownerAlive(owner: JobOwner | null): boolean {
  if (owner === null) return false;
  return owner.pid === process.pid || processAlive(owner.pid);
}

/** "the app (pid 12)", "the CLI (pid 34)", for messages. */
export function describeOwner(owner: JobOwner | null): string {
  if (owner === null) return 'a process of an earlier version';
  return `${describeProcess(owner.process)} (pid ${owner.pid})`;
}

export function describeProcess(kind: JobProcess): string {
  return kind === 'cli' ? 'the CLI' : 'the app';
}
