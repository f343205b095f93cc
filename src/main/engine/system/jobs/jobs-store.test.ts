import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobId, JobIdKey, JobIdSchema } from '../../../../shared/keys/job-id';
import type { Job, JobStatus } from '../../../../shared/system/jobs';
import { jobFixture } from '../../../../shared/system/jobs.test-support';
import { Engine } from '../../engine';
import { type EngineError, UniqueViolationError, ValidationError } from '../../errors';
import { verifyIndex } from '../../index/index-maintenance';
import type { JobsStore } from './jobs-store';

const jid = (s: string): JobId => JobIdSchema.parse(s);

let engine: Engine;
let jobs: JobsStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  jobs = engine.system.jobs;
});
afterEach(() => engine.close());

function job(id: string, over: Partial<Job> = {}): Job {
  return jobFixture({ job_id: id, parameters: { table: 'app.messages' }, created_at: 1_000, updated_at: 1_000, ...over });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

function expectIndexesClean(): void {
  for (const index of jobs.indexes.values()) {
    const r = verifyIndex(jobs, index);
    expect({ index: index.name, problems: [...r.missing, ...r.orphaned, ...r.wrong] }).toEqual({ index: index.name, problems: [] });
  }
}

describe('job id', () => {
  it.each([
    ['BK-1', 'flush', 'FL-'],
    ['FL-1', 'backup', 'BK-'],
    ['IX-1', 'restore', 'RS-'],
    ['RS-1', 'evict', 'EV-'],
    ['EV-1', 'index_rebuild', 'IX-'],
  ] as const)('%s is refused for a %s job (field job_id)', (id, job_type, prefix) => {
    let e: unknown;
    try {
      jobs.insert(job(id, { job_type }));
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.issues.map((i) => i.field)).toEqual(['job_id']);
    expect(v.issues[0]!.message).toContain(`must start with ${prefix}`);
    expect(jobs.count()).toBe(0);
  });

  it.each([
    ['FL-a1', 'flush'],
    ['BK-a1', 'backup'],
    ['RS-a1', 'restore'],
    ['EV-a1', 'evict'],
    ['IX-a1', 'index_rebuild'],
  ] as const)('%s is accepted for a %s job', (id, job_type) => {
    jobs.insert(job(id, { job_type }));
    expect(jobs.get(jid(id))?.job_type).toBe(job_type);
  });

  it('a malformed id is refused on job_id too', () => {
    const e = thrown(() => jobs.insert(job('XX-1')));
    expect((e as ValidationError).issues.map((i) => i.field)).toContain('job_id');
  });
});

describe('withStatus', () => {
  it('lists one status, oldest first, whatever the key order', () => {
    // Key order (FL-a < FL-b < …) runs against creation order on purpose.
    jobs.insert(job('FL-a', { created_at: 500 }));
    jobs.insert(job('FL-b', { created_at: 100 }));
    jobs.insert(job('FL-c', { created_at: 300, status: 'running' }));
    jobs.insert(job('FL-d', { created_at: 200 }));
    jobs.insert(job('FL-e', { created_at: 10_000 }));
    jobs.insert(job('FL-f', { created_at: 50, status: 'completed' }));
    // Same created_at: ties go by job id.
    jobs.insert(job('FL-h', { created_at: 200 }));
    jobs.insert(job('FL-g', { created_at: 200 }));

    const ids = (s: JobStatus, limit?: number) => [...jobs.withStatus(s, limit)].map((j) => j.job_id);
    expect(ids('queued')).toEqual(['FL-b', 'FL-d', 'FL-g', 'FL-h', 'FL-a', 'FL-e']);
    expect(ids('queued', 2)).toEqual(['FL-b', 'FL-d']);
    expect(ids('running')).toEqual(['FL-c']);
    expect(ids('completed')).toEqual(['FL-f']);
    expect(ids('failed')).toEqual([]);

    jobs.update(jid('FL-b'), (j) => ({ ...j, status: 'running', started_at: 2_000 }));
    expect(ids('queued')).toEqual(['FL-d', 'FL-g', 'FL-h', 'FL-a', 'FL-e']);
    expect(ids('running')).toEqual(['FL-b', 'FL-c']);
    expectIndexesClean();
  });

  it('orders by the number, not its text (9 before 10, large timestamps)', () => {
    jobs.insert(job('FL-a', { created_at: 10 }));
    jobs.insert(job('FL-b', { created_at: 9 }));
    jobs.insert(job('FL-c', { created_at: 1_700_000_000_000 }));
    jobs.insert(job('FL-d', { created_at: 200_000_000_000 }));
    expect([...jobs.withStatus('queued')].map((j) => j.job_id)).toEqual(['FL-b', 'FL-a', 'FL-d', 'FL-c']);
  });
});

describe('idempotency', () => {
  const KEY = 'flush:app.messages';

  it.each(['queued', 'running', 'retrying'] as const)('a second job with the key while the first is %s is refused, writing nothing', (status) => {
    jobs.insert(job('FL-first', { idempotency_key: KEY, status }));
    const e = thrown(() => jobs.insert(job('FL-second', { idempotency_key: KEY, created_at: 2_000 })));
    expect(e).toBeInstanceOf(UniqueViolationError);
    expect((e as UniqueViolationError).field).toBe('idempotency_key');
    expect((e as UniqueViolationError).value).toBe(KEY);
    expect(jobs.get(jid('FL-second'))).toBeUndefined();
    expect(jobs.count()).toBe(1);
    // No status index entry either.
    expect([...jobs.withStatus('queued')].map((j) => j.job_id)).toEqual(status === 'queued' ? ['FL-first'] : []);
    expect(jobs.activeWithKey(KEY)?.job_id).toBe('FL-first');
    expectIndexesClean();
  });

  it('a running second job is refused as well', () => {
    jobs.insert(job('FL-first', { idempotency_key: KEY }));
    expect(() => jobs.insert(job('FL-second', { idempotency_key: KEY, status: 'running' }))).toThrow(UniqueViolationError);
  });

  it.each(['completed', 'failed', 'cancelled', 'skipped'] as const)('once the first is %s, a new job with the key is accepted', (status) => {
    jobs.insert(job('FL-first', { idempotency_key: KEY }));
    jobs.update(jid('FL-first'), (j) => ({ ...j, status, finished_at: 1_500 }));
    expect(jobs.activeWithKey(KEY)).toBeUndefined();

    jobs.insert(job('FL-second', { idempotency_key: KEY, created_at: 2_000 }));
    expect(jobs.activeWithKey(KEY)?.job_id).toBe('FL-second');
    // The first keeps its key as history, but no longer holds it.
    expect(jobs.get(jid('FL-first'))?.idempotency_key).toBe(KEY);
    // …and cannot be brought back while the second is active.
    expect(() => jobs.update(jid('FL-first'), (j) => ({ ...j, status: 'queued' }))).toThrow(UniqueViolationError);
    expect(jobs.get(jid('FL-first'))?.status).toBe(status);
    expectIndexesClean();
  });

  it('finished jobs never conflict with each other or with an active one', () => {
    jobs.insert(job('FL-a', { idempotency_key: KEY, status: 'completed' }));
    jobs.insert(job('FL-b', { idempotency_key: KEY, status: 'failed' }));
    jobs.insert(job('FL-c', { idempotency_key: KEY }));
    jobs.insert(job('FL-d', { idempotency_key: KEY, status: 'cancelled' }));
    expect(jobs.count()).toBe(4);
    expect(jobs.activeWithKey(KEY)?.job_id).toBe('FL-c');
  });

  it('jobs without a key never conflict', () => {
    jobs.insert(job('FL-a'));
    jobs.insert(job('FL-b'));
    expect(jobs.count()).toBe(2);
  });

  it('activeWithKey tells keys apart exactly', () => {
    jobs.insert(job('FL-a', { idempotency_key: 'flush:app.t' }));
    jobs.insert(job('FL-b', { idempotency_key: 'flush:app.t2' }));
    expect(jobs.activeWithKey('flush:app.t')?.job_id).toBe('FL-a');
    expect(jobs.activeWithKey('flush:app.t2')?.job_id).toBe('FL-b');
    expect(jobs.activeWithKey('flush:app')).toBeUndefined();
    expect(jobs.activeWithKey('flush:app.t3')).toBeUndefined();
  });

  it('a job moving through retrying keeps the key held until it ends', () => {
    jobs.insert(job('FL-a', { idempotency_key: KEY }));
    for (const status of ['running', 'retrying', 'running'] as const) {
      jobs.update(jid('FL-a'), (j) => ({ ...j, status }));
      expect(jobs.activeWithKey(KEY)?.status).toBe(status);
      expect(() => jobs.insert(job('FL-b', { idempotency_key: KEY }))).toThrow(UniqueViolationError);
    }
    jobs.update(jid('FL-a'), (j) => ({ ...j, status: 'completed' }));
    expect(jobs.activeWithKey(KEY)).toBeUndefined();
    jobs.insert(job('FL-b', { idempotency_key: KEY }));
    expectIndexesClean();
  });

  it('deleting the active job frees the key', () => {
    jobs.insert(job('FL-a', { idempotency_key: KEY }));
    expect(jobs.delete(jid('FL-a'))).toBe(true);
    expect(jobs.activeWithKey(KEY)).toBeUndefined();
    jobs.insert(job('FL-b', { idempotency_key: KEY }));
    expect(jobs.activeWithKey(KEY)?.job_id).toBe('FL-b');
  });

  it('a duplicate job id is ALREADY_EXISTS, not a key conflict', () => {
    jobs.insert(job('FL-a', { idempotency_key: KEY }));
    const e = thrown(() => jobs.insert(job('FL-a', { idempotency_key: 'other' })));
    expect((e as EngineError).code).toBe('ALREADY_EXISTS');
    expect(jobs.activeWithKey('other')).toBeUndefined();
  });
});

describe('rows written before owners were recorded (schema v1)', () => {
  it('read with no owner, and are rewritten at v2 with one', () => {
    // A v1 row exactly as the previous version stored it: envelope [format 1][version 1][JSON], no owner field.
    const { owner: _owner, ...v1 } = job('FL-old', { status: 'running', message: 'run by the CLI (pid 4242)' });
    jobs.backend.put(jobs.partition, JobIdKey.encode(jid('FL-old')), Buffer.concat([Buffer.from([1, 1]), Buffer.from(JSON.stringify(v1))]));
    const read = jobs.get(jid('FL-old'));
    expect(read).toMatchObject({ job_id: 'FL-old', status: 'running', owner: null });
    // The message is not parsed for a pid: the owner is simply unknown.
    expect(read?.message).toBe('run by the CLI (pid 4242)');
    jobs.update(jid('FL-old'), (j) => ({ ...j, owner: { process: 'cli', pid: 7 } }));
    const bytes = jobs.backend.get(jobs.partition, JobIdKey.encode(jid('FL-old')))!;
    expect([...bytes.subarray(0, 2)]).toEqual([1, 2]);
    expect(jobs.get(jid('FL-old'))?.owner).toEqual({ process: 'cli', pid: 7 });
  });

  it('an owner must name the process kind and a pid, nothing else', () => {
    expect(() => jobs.insert(job('FL-a', { owner: { process: 'daemon', pid: 1 } as never }))).toThrow(ValidationError);
    expect(() => jobs.insert(job('FL-b', { owner: { process: 'app', pid: 0 } }))).toThrow(ValidationError);
    expect(() => jobs.insert(job('FL-c', { owner: { process: 'app', pid: 5, host: 'x' } as never }))).toThrow(ValidationError);
    expect(jobs.count()).toBe(0);
  });
});
