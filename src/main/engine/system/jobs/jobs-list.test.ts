import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOB_TYPE_PREFIX, JOB_TYPES } from '../../../../shared/keys/job-id';
import { compareBytes, encodeTuple } from '../../../../shared/keys/tuple';
import { type Job, JobStatusSchema } from '../../../../shared/system/jobs';
import { jobFixture } from '../../../../shared/system/jobs.test-support';
import { Engine } from '../../engine';

const jobArb = fc.record({
  type: fc.constantFrom(...JOB_TYPES),
  suffix: fc.stringMatching(/^[a-z0-9]{1,6}$/),
  status: fc.constantFrom(...JobStatusSchema.options),
  // Few distinct times, so ties (broken by id) are common.
  created_at: fc.integer({ min: 0, max: 20 }),
});

/** The model: newest first by created_at, then by the id's key bytes, both descending. */
function model(jobs: readonly Job[]): Job[] {
  const key = (j: Job) => encodeTuple([j.created_at, encodeTuple([j.job_id])]);
  return [...jobs].sort((a, b) => compareBytes(key(b), key(a)));
}

describe('JobsStore.list', () => {
  it('pages through every job newest first, whole or by status, whatever the page size', () => {
    fc.assert(
      fc.property(fc.uniqueArray(jobArb, { selector: (j) => `${j.type}-${j.suffix}`, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (specs, limit) => {
        const engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/kalam-newest' });
        try {
          const jobs = specs.map((s): Job =>
            jobFixture({
              job_id: `${JOB_TYPE_PREFIX[s.type]}-${s.suffix}`,
              job_type: s.type,
              status: s.status,
              max_retries: 0,
              created_at: s.created_at,
              updated_at: s.created_at,
            }),
          );
          for (const j of jobs) engine.system.jobs.insert(j);
          for (const status of [undefined, ...JobStatusSchema.options]) {
            const seen: Job[] = [];
            let cursor: string | undefined;
            for (;;) {
              const page = engine.system.jobs.list({ status, limit, cursor });
              expect(page.items.length).toBeLessThanOrEqual(limit);
              seen.push(...page.items);
              if (page.next === undefined) break;
              // Only the last page may be short, and only it lacks a next.
              expect(page.items.length).toBe(limit);
              cursor = page.next;
            }
            const expected = model(jobs.filter((j) => status === undefined || j.status === status));
            expect(seen.map((j) => j.job_id)).toEqual(expected.map((j) => j.job_id));
            if (status) expect(engine.system.jobs.countWithStatus(status)).toBe(expected.length);
          }
        } finally {
          engine.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
