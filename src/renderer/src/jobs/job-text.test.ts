import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/system/jobs';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { describeJob, describeProgress, duration, formatElapsed, fraction } from './job-text';

const job = (over: Partial<Job>): Job => jobFixture({ job_id: 'FL-1', status: 'running', parameters: { table: 'demo.orders' }, started_at: 1_000, ...over });

describe('job text', () => {
  it('says what each job type does', () => {
    expect(describeJob(job({}))).toBe('Flush demo.orders');
    expect(describeJob(job({ job_type: 'backup', parameters: { folder: '/b' } }))).toBe('Back up to /b');
    expect(describeJob(job({ job_type: 'restore', parameters: { folder: '/b' } }))).toBe('Restore from /b');
    expect(describeJob(job({ job_type: 'evict', parameters: {} }))).toBe('Evict expired stream rows');
    expect(describeJob(job({ job_type: 'index_rebuild', parameters: { table: 'system.users', index: 'role' } }))).toBe('Rebuild index role of system.users');
    expect(describeJob(job({ job_type: 'export', parameters: { table: 'demo.orders', file: '/o.csv' } }))).toBe('Export demo.orders to /o.csv');
    expect(describeJob(job({ job_type: 'export', parameters: { source: { kind: 'sql', sql: 'SELECT 1' }, file: '/q.csv' } }))).toBe(
      'Export a query result to /q.csv',
    );
  });

  it('describes progress with done/total and rate, and its fraction', () => {
    expect(describeProgress(null)).toBe('');
    expect(describeProgress({ phase: 'p', done: 12000, total: 50000, rate: 3100.4 })).toBe('12,000 of 50,000 · 3,100/s');
    expect(describeProgress({ phase: 'p', done: 5, total: null, rate: null })).toBe('5');
    expect(fraction({ phase: 'p', done: 1, total: 4 })).toBe(0.25);
    expect(fraction({ phase: 'p', done: 9, total: 4 })).toBe(1);
    // Nothing to measure against is no full bar.
    expect(fraction({ phase: 'p', done: 0, total: 0 })).toBeUndefined();
    expect(describeProgress({ phase: 'scan', done: 0, total: 0 })).toBe('');
    // Units: rows and files counted with their noun, bytes in binary units, rates too.
    expect(describeProgress({ phase: 'write', done: 12000, total: 50000, rate: 3100.4, unit: 'rows' })).toBe('12,000 of 50,000 rows · 3,100 rows/s');
    expect(describeProgress({ phase: 'files', done: 1536, total: 3 * 1024 * 1024, rate: 2 * 1024 * 1024, unit: 'bytes' })).toBe('1.5 KiB of 3 MiB · 2 MiB/s');
    expect(describeProgress({ phase: 'checking files', done: 1, total: null, unit: 'files' })).toBe('1 file');
    expect(fraction({ phase: 'p', done: 3, total: null })).toBeUndefined();
    expect(fraction(null)).toBeUndefined();
  });

  it('formats how long a job ran', () => {
    expect(formatElapsed(850)).toBe('850 ms');
    expect(formatElapsed(12_000)).toBe('12 s');
    expect(formatElapsed(185_000)).toBe('3 min 5 s');
    expect(formatElapsed(3_900_000)).toBe('1 h 5 min');
    expect(duration(job({ started_at: null }), 5_000)).toBe('');
    expect(duration(job({}), 4_000)).toBe('3 s');
    expect(duration(job({ finished_at: 2_000 }), 60_000)).toBe('1 s');
  });
});
