import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';

/** What the one read of the job returns (the main process's answer to jobs.get). */
let current: Job | undefined;
vi.mock('../api/client', () => ({
  client: { jobs: { get: ({ id }: { id: string }) => (current?.job_id === id ? Promise.resolve(current) : Promise.reject(new Error('not found'))) } },
}));
const { noteJobEvent, onJobEnd } = await import('./job-outcome');

const job = (status: Job['status'], over: Partial<Job> = {}) => jobFixture({ job_id: 'RS-a', job_type: 'restore', status, ...over });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  current = job('queued');
});

describe('onJobEnd', () => {
  it('hears the job end once, from its events; progress and other jobs do not count', async () => {
    const ended: Job[] = [];
    onJobEnd('RS-a', (j) => ended.push(j));
    await settle();
    noteJobEvent(job('running'));
    noteJobEvent(job('failed', { job_id: 'RS-b' as never }));
    expect(ended).toEqual([]);
    noteJobEvent(job('failed', { error: 'the backup is corrupt' }));
    noteJobEvent(job('failed', { error: 'again' }));
    expect(ended.map((j) => j.error)).toEqual(['the backup is corrupt']);
  });

  it('an end that came before the listener is read from the job', async () => {
    current = job('failed', { error: 'refused before anyone listened' });
    const ended: Job[] = [];
    onJobEnd('RS-a', (j) => ended.push(j));
    await vi.waitFor(() => expect(ended.map((j) => j.error)).toEqual(['refused before anyone listened']));
    noteJobEvent(job('failed'));
    expect(ended).toHaveLength(1);
  });

  it('stops when told to', async () => {
    const ended: Job[] = [];
    const stop = onJobEnd('RS-a', (j) => ended.push(j));
    stop();
    noteJobEvent(job('completed'));
    await settle();
    expect(ended).toEqual([]);
  });
});
