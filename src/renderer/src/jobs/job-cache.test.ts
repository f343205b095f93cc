import { type InfiniteData, QueryClient } from '@tanstack/react-query';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobList } from '../../../shared/contract';
import type { Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import type * as Client from '../api/client';
import type * as JobCache from './job-cache';

// The API client module builds its link (and the web session) from the page at import.
vi.stubGlobal('location', { origin: 'http://127.0.0.1:1', protocol: 'http:', host: '127.0.0.1:1', hash: '', pathname: '/', search: '' });
vi.stubGlobal('history', { replaceState: () => undefined });
vi.stubGlobal('window', { addEventListener: () => undefined });
let applyJobEvent: typeof JobCache.applyJobEvent;
let orpc: typeof Client.orpc;
beforeAll(async () => {
  ({ applyJobEvent } = await import('./job-cache'));
  ({ orpc } = await import('../api/client'));
});

const job = (id: string, over: Partial<Job> = {}): Job =>
  jobFixture({ job_id: id, status: 'running', parameters: { table: 'demo.t' }, created_at: 1, started_at: 1, updated_at: 1, ...over });

describe('applyJobEvent', () => {
  it('patches progress into every cached list and job, asking for a refetch only on new jobs and status changes', () => {
    const qc = new QueryClient();
    const infiniteKey = orpc.jobs.list.infiniteKey({
      input: (cursor: string | undefined) => ({ limit: 50, ...(cursor ? { cursor } : {}) }),
      initialPageParam: undefined,
    });
    const listKey = orpc.jobs.list.queryKey({ input: { status: 'running', limit: 1 } });
    const getKey = orpc.jobs.get.queryKey({ input: { id: 'FL-a' } });
    qc.setQueryData<InfiniteData<JobList>>(infiniteKey, { pages: [{ jobs: [job('FL-a'), job('FL-b')], active: 2 }], pageParams: [undefined] });
    qc.setQueryData<JobList>(listKey, { jobs: [job('FL-a')], active: 2 });
    qc.setQueryData<Job>(getKey, job('FL-a'));

    // First sight of FL-a in this session: refetch once.
    expect(applyJobEvent(qc, job('FL-a'))).toBe(true);
    const progressed = job('FL-a', { progress: { phase: 'writing', done: 5, total: 10 } });
    expect(applyJobEvent(qc, progressed)).toBe(false);
    expect(qc.getQueryData<InfiniteData<JobList>>(infiniteKey)?.pages[0]?.jobs.map((j) => j.progress?.done ?? null)).toEqual([5, null]);
    expect(qc.getQueryData<JobList>(listKey)?.jobs[0]?.progress?.done).toBe(5);
    expect(qc.getQueryData<Job>(getKey)?.progress?.done).toBe(5);

    expect(applyJobEvent(qc, job('FL-a', { status: 'completed' }))).toBe(true);
    expect(qc.getQueryData<Job>(getKey)?.status).toBe('completed');
    // A job no list holds yet: the lists refetch.
    expect(applyJobEvent(qc, job('FL-new', { status: 'queued' }))).toBe(true);
  });
});
