import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { JobList } from '../../../shared/contract';
import type { Job } from '../../../shared/system/jobs';
import { orpc } from '../api/client';
import { noteJobEvent } from './job-outcome';

/** The last status each job was seen in, to tell status changes from progress. */
const seen = new Map<string, Job['status']>();
const SEEN_LIMIT = 2000;

/**
 * Applies a job event to the cached job lists and job: progress shows at once, without a refetch
 * (and those waiting for the job to end hear it: onJobEnd).
 * Returns true when the lists must be refetched as well (a job seen for the first time or in a new
 * status: it may enter or leave a status filter, and the active count changes).
 */
export function applyJobEvent(queryClient: QueryClient, job: Job): boolean {
  noteJobEvent(job);
  const before = seen.get(job.job_id);
  if (seen.size >= SEEN_LIMIT) seen.clear();
  seen.set(job.job_id, job.status);
  const patch = (list: JobList): JobList => {
    if (!list.jobs.some((j) => j.job_id === job.job_id)) return list;
    return { ...list, jobs: list.jobs.map((j) => (j.job_id === job.job_id ? job : j)) };
  };
  queryClient.setQueriesData<InfiniteData<JobList> | JobList>({ queryKey: orpc.jobs.list.key() }, (data) => {
    if (!data) return data;
    if ('pages' in data) return { ...data, pages: data.pages.map(patch) };
    return patch(data);
  });
  queryClient.setQueryData(orpc.jobs.get.queryKey({ input: { id: job.job_id } }), (old: Job | undefined) => (old ? job : old));
  return before !== job.status;
}

/** Job lists, and the flush scheduler's pauses (a flush's end changes them). */
export async function invalidateJobs(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: orpc.jobs.list.key() }),
    queryClient.invalidateQueries({ queryKey: orpc.jobs.flushSchedule.key() }),
  ]);
}
