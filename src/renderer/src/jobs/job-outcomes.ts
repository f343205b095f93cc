import type { Job } from '../../../shared/system/jobs';
import { routeHref } from '../app/routes';
import type { ToastInput } from '../components/toast-context';
import { describeJob } from './job-text';

/** Ids of jobs this window started: their completion is announced (a policy's routine flushes are not). */
const startedHere = new Set<string>();
/** The last status each job was seen in, to announce a job's end once. */
const lastStatus = new Map<string, Job['status']>();
const LIMIT = 2000;

/**
 * Remembers jobs the user started here (start, retry), so their completion gets a toast. A job may
 * have completed before the answer that started it arrived (its event came first): the toasts for
 * those are returned, to show now.
 */
export function rememberStarted(jobs: readonly Job[]): ToastInput[] {
  if (startedHere.size >= LIMIT) startedHere.clear();
  const now: ToastInput[] = [];
  for (const job of jobs) {
    if (lastStatus.get(job.job_id) === 'completed') now.push(completedToast({ ...job, status: 'completed' }));
    else startedHere.add(job.job_id);
  }
  return now;
}

function completedToast(job: Job): ToastInput {
  return { kind: 'success', message: `${describeJob(job)}: completed (${job.job_id})`, link: { label: 'Show job', href: jobHref(job) } };
}

/** `#/jobs/<id>`: the Jobs page showing that job. */
export function jobHref(job: Pick<Job, 'job_id'>): string {
  return routeHref({ view: 'jobs', job: job.job_id });
}

/**
 * The toast a job event deserves, once per job: a failure of any job (a scheduled flush that fails
 * must reach the user too), a completion of a job started in this window. Each links to the job.
 */
export function jobOutcomeToast(job: Job): ToastInput | undefined {
  const before = lastStatus.get(job.job_id);
  if (lastStatus.size >= LIMIT) lastStatus.clear();
  lastStatus.set(job.job_id, job.status);
  if (before === job.status) return undefined;
  const link = { label: 'Show job', href: jobHref(job) };
  if (job.status === 'failed') {
    return { kind: 'error', message: `${describeJob(job)} failed: ${job.error ?? 'no reason given'}`, link };
  }
  if (job.status === 'completed' && startedHere.has(job.job_id)) {
    startedHere.delete(job.job_id);
    return completedToast(job);
  }
  return undefined;
}
