import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Engine } from '../engine';
import { EngineError } from '../errors';
import { as, SYSTEM_SUBJECT, type TestClock, testClock, testEngine, tid, todoTable } from '../tables/testing.test-support';
import { jobKind, jobKinds } from './job-kind';
import { JobManager } from './job-manager';
import { FlushScheduler, flushDue } from './flush-scheduler';
import { silentLogger } from '../../../shared/logger';

/** Tables whose flush fails (as a table with a broken storage would), with the error. */
const broken = new Map<string, string>();

/** A stand-in flush that removes the table's hot rows, so the policy sees them go. */
const fakeFlush = jobKind({
  type: 'flush',
  params: z.object({ table: z.string() }),
  idempotencyKey: (p) => `flush:${p.table}`,
  thread: 'main',
  writes: true,
  maxRetries: 0,
  describe: (p) => `flush ${p.table}`,
  run: (engine: Engine, p) => {
    const failure = broken.get(p.table);
    if (failure) return Promise.reject(new EngineError('CONFLICT', failure));
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
  broken.clear();
  clock = testClock();
  engine = testEngine(clock);
  manager = new JobManager({ engine, kinds: jobKinds(fakeFlush), logger: silentLogger });
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

describe('FlushScheduler in read-only mode', () => {
  it('queues nothing and leaves hot rows alone, whatever the policy; it goes on once read-only is off', async () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'limited', { flush_policy: { row_limit: 5, interval_seconds: 1 } }));
    insert('app.limited', 10);
    engine.readOnly.set(true);
    clock.advance(60_000);
    expect(scheduler.check()).toEqual([]);
    await manager.idle();
    expect(engine.system.jobs.count()).toBe(0);
    expect(engine.data.shared(tid('app.limited')).countRows(SYSTEM_SUBJECT)).toBe(10);
    expect(engine.backend.count(engine.data.shared(tid('app.limited')).partition)).toBe(10);
    engine.readOnly.set(false);
    expect(scheduler.check()).toEqual(['app.limited']);
  });
});

describe('FlushScheduler after failed flushes', () => {
  it('backs off per table, doubling the pause up to the cap, says so, and resumes after a flush completes', async () => {
    scheduler.stop();
    scheduler = new FlushScheduler({ engine, manager, backoffBaseMs: 10_000, backoffMaxMs: 25_000 });
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'bad', { flush_policy: { row_limit: 1 } }));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'good', { flush_policy: { row_limit: 1 } }));
    broken.set('app.bad', 'storage folder is not writable');
    const fail = async (pauseMs: number, failures: number) => {
      expect(scheduler.check()).toEqual(['app.bad']);
      await manager.idle();
      const failedAt = clock.now();
      expect(scheduler.backoffs()).toEqual([{ table: 'app.bad', failures, next_try_at: failedAt + pauseMs, last_error: 'storage folder is not writable' }]);
      // Paused: not queued again before its time, however often the scheduler looks.
      clock.advance(pauseMs - 1);
      expect(scheduler.check()).toEqual([]);
      clock.advance(1);
    };
    insert('app.bad', 3);
    await fail(10_000, 1);
    await fail(20_000, 2);
    // Capped.
    await fail(25_000, 3);
    await fail(25_000, 4);
    // Another table is not held back by it.
    insert('app.good', 2);
    expect(scheduler.check().sort()).toEqual(['app.bad', 'app.good']);
    // The job says it is a try after failures.
    expect(manager.list({ limit: 5 }).jobs.find((j) => j.parameters['table'] === 'app.bad')?.message).toBe(
      'by policy: 1 hot rows reached the row limit 1; try 5 after 4 failed',
    );
    await manager.idle();
    broken.delete('app.bad');
    clock.advance(25_000);
    expect(scheduler.check()).toEqual(['app.bad']);
    await manager.idle();
    expect(scheduler.backoffs()).toEqual([]);
    expect(engine.backend.count(engine.data.shared(tid('app.bad')).partition)).toBe(0);
  });

  it('a table without a flush policy has no automatic flush to pause', async () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'plain'));
    broken.set('app.plain', 'nope');
    manager.startJob('flush', { table: 'app.plain' });
    await manager.idle();
    expect(scheduler.backoffs()).toEqual([]);
  });

  it('a dropped table is forgotten', async () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'bad', { flush_policy: { row_limit: 1 } }));
    broken.set('app.bad', 'nope');
    insert('app.bad', 1);
    scheduler.check();
    await manager.idle();
    expect(scheduler.backoffs()).toHaveLength(1);
    engine.ddl.dropTable(SYSTEM_SUBJECT, 'app.bad');
    expect(scheduler.backoffs()).toEqual([]);
  });
});
