import { describe, expect, it } from 'vitest';
import { JobIdSchema } from '../../../shared/keys/job-id';
import type { Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { jobBar } from './job-timeline';

const NOW = 10_000;
const job = (over: Omit<Partial<Job>, 'job_id'> & { job_id?: string }): Job =>
  jobFixture({
    job_type: 'flush',
    status: 'completed',
    parameters: { table: 'app.t' },
    created_at: 1_000,
    updated_at: 1_000,
    ...over,
    job_id: JobIdSchema.parse(over.job_id ?? 'FL-1'),
  });

describe('job timeline bars', () => {
  it('a flush counts its rows and tombstones; its rate is over its duration', () => {
    expect(jobBar(job({ started_at: 1_000, finished_at: 3_000, result: { rows: 900, tombstones: 100 } }), NOW)).toMatchObject({
      id: 'FL-1',
      kind: 'flush',
      table: 'app.t',
      durationMs: 2_000,
      rows: 1_000,
      rowsPerSecond: 500,
    });
    expect(jobBar(job({ started_at: 1_000, finished_at: 2_000, result: { rows: 10 } }), NOW)).toMatchObject({ rows: 10, rowsPerSecond: 10 });
  });

  it('a compaction counts the rows it read; other jobs their last progress', () => {
    expect(jobBar(job({ job_id: 'CP-1', job_type: 'compact', started_at: 0, finished_at: 1_000, result: { rowsRead: 42 } }), NOW)).toMatchObject({ rows: 42 });
    expect(
      jobBar(
        job({
          job_id: 'BK-1',
          job_type: 'backup',
          parameters: { folder: '/b' },
          started_at: 0,
          finished_at: 1_000,
          progress: { phase: 'copy', done: 7, total: 9 },
        }),
        NOW,
      ),
    ).toMatchObject({ rows: 7, table: null });
    expect(jobBar(job({ job_id: 'BK-2', job_type: 'backup', started_at: 0, finished_at: 1_000, result: [1, 2] }), NOW)).toMatchObject({
      rows: null,
      rowsPerSecond: null,
    });
  });

  it('a running job lasts until now; a queued one has no bar; an instant one has no rate', () => {
    expect(jobBar(job({ status: 'running', started_at: 4_000, finished_at: null }), NOW)).toMatchObject({ durationMs: 6_000, finishedAt: null });
    expect(jobBar(job({ status: 'queued', started_at: null }), NOW)).toBeUndefined();
    expect(jobBar(job({ started_at: 5_000, finished_at: 5_000, result: { rows: 3 } }), NOW)).toMatchObject({ durationMs: 0, rowsPerSecond: null });
  });
});
