import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { jobOutcomeToast, rememberStarted } from './job-outcomes';

const job = (id: string, over: Partial<Job> = {}): Job => jobFixture({ job_id: id, parameters: { table: 'demo.t' }, ...over });

describe('jobOutcomeToast', () => {
  it('announces a completion of a job started here once, with a link to it', () => {
    const mine = job('FL-mine');
    rememberStarted([mine]);
    expect(jobOutcomeToast(mine)).toBeUndefined();
    expect(jobOutcomeToast({ ...mine, status: 'running' })).toBeUndefined();
    expect(jobOutcomeToast({ ...mine, status: 'completed' })).toEqual({
      kind: 'success',
      message: 'Flush demo.t: completed (FL-mine)',
      link: { label: 'Show job', href: '#/jobs/FL-mine' },
    });
    // The same status again (a refetch, a second event) says nothing more.
    expect(jobOutcomeToast({ ...mine, status: 'completed' })).toBeUndefined();
  });

  it('announces a job that completed before the answer that started it arrived, when that answer comes', () => {
    const quick = job('CP-quick', { job_type: 'compact' });
    expect(jobOutcomeToast({ ...quick, status: 'completed' })).toBeUndefined();
    expect(rememberStarted([quick])).toEqual([
      { kind: 'success', message: 'Compact demo.t: completed (CP-quick)', link: { label: 'Show job', href: '#/jobs/CP-quick' } },
    ]);
    expect(rememberStarted([job('CP-later', { job_type: 'compact' })])).toEqual([]);
  });

  it("stays quiet about other windows' and the scheduler's completions, but announces any failure, with its reason", () => {
    expect(jobOutcomeToast(job('FL-policy', { status: 'running' }))).toBeUndefined();
    expect(jobOutcomeToast(job('FL-policy', { status: 'completed' }))).toBeUndefined();
    expect(jobOutcomeToast(job('FL-bad', { status: 'running' }))).toBeUndefined();
    expect(jobOutcomeToast(job('FL-bad', { status: 'failed', error: 'disk full' }))).toEqual({
      kind: 'error',
      message: 'Flush demo.t failed: disk full',
      link: { label: 'Show job', href: '#/jobs/FL-bad' },
    });
    expect(jobOutcomeToast(job('FL-bad', { status: 'failed', error: 'disk full' }))).toBeUndefined();
    // Cancelled and skipped jobs were the user's doing or nothing to do: no toast.
    rememberStarted([job('FL-c')]);
    expect(jobOutcomeToast(job('FL-c', { status: 'cancelled' }))).toBeUndefined();
  });
});
