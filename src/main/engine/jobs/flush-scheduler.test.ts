import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Engine } from '../engine';
import { as, SYSTEM_SUBJECT, type TestClock, testClock, testEngine, tid, todoTable } from '../tables/testing.test-support';
import { jobKind, jobKinds } from './job-kind';
import { JobManager } from './job-manager';
import { FlushScheduler, flushDue } from './flush-scheduler';

/** A stand-in flush that removes the table's hot rows, so the policy sees them go. */
const fakeFlush = jobKind({
  type: 'flush',
  params: z.object({ table: z.string() }),
  idempotencyKey: (p) => `flush:${p.table}`,
  thread: 'main',
  writes: true,
  describe: (p) => `flush ${p.table}`,
  run: (engine: Engine, p) => {
    const store = engine.data.open(tid(p.table));
    engine.backend.transaction(() => {
      for (const [k] of [...engine.backend.scan(store.partition)]) engine.backend.delete(store.partition, k);
    });
    return Promise.resolve(null);
  },
});

let clock: TestClock;
let engine: Engine;
let manager: JobManager;
let scheduler: FlushScheduler;

beforeEach(async () => {
  clock = testClock();
  engine = testEngine(clock);
  manager = new JobManager({ engine, kinds: jobKinds(fakeFlush), onError: () => {} });
  await manager.start();
  scheduler = new FlushScheduler({ engine, manager });
});
afterEach(async () => {
  scheduler.stop();
  await manager.close(100);
  engine.close();
});

const insert = (table: string, n: number, from = 0) =>
  engine.data.shared(tid(table)).insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: n }, (_, i) => ({ id: from + i, title: 't' })),
  );

describe('flushDue', () => {
  it('is due at the row limit or after the interval, never with no hot rows', () => {
    expect(flushDue({ row_limit: 10 }, 9, 1e9)).toBeUndefined();
    expect(flushDue({ row_limit: 10 }, 10, 0)).toBe('10 hot rows reached the row limit 10');
    expect(flushDue({ interval_seconds: 60 }, 1, 59_999)).toBeUndefined();
    expect(flushDue({ interval_seconds: 60 }, 1, 60_000)).toBe('60 s since the last flush');
    expect(flushDue({ row_limit: 1, interval_seconds: 1 }, 0, 1e9)).toBeUndefined();
  });
});

describe('FlushScheduler', () => {
  it('queues a flush of tables over their row limit, once, and not of others', async () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'limited', { flush_policy: { row_limit: 5 } }));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'plain'));
    insert('app.limited', 4);
    insert('app.plain', 100);
    expect(scheduler.check()).toEqual([]);
    insert('app.limited', 1, 4);
    const queued = scheduler.check();
    expect(queued).toEqual(['app.limited']);
    // While it is queued, no second one.
    expect(scheduler.check()).toEqual([]);
    await manager.idle();
    const jobs = manager.list({ limit: 10 }).jobs;
    expect(jobs.map((j) => [j.parameters['table'], j.status, j.message])).toEqual([['app.limited', 'completed', null]]);
    expect(scheduler.check()).toEqual([]);
  });

  it('queues by interval, counting from the last completed flush', async () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'timed', { flush_policy: { interval_seconds: 60 } }));
    engine.data.user(tid('app.timed')).insertRows(as('alice'), [{ id: 1, title: 't' }]);
    clock.advance(59_000);
    expect(scheduler.check()).toEqual([]);
    clock.advance(1_000);
    expect(scheduler.check()).toEqual(['app.timed']);
    await manager.idle();
    engine.data.user(tid('app.timed')).insertRows(as('alice'), [{ id: 2, title: 't' }]);
    clock.advance(30_000);
    expect(scheduler.check()).toEqual([]);
    clock.advance(30_000);
    expect(scheduler.check()).toEqual(['app.timed']);
  });
});
