import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScopeHealth } from '../../../shared/stats';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { runCompact } from '../compact/compact-job';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { as, testClock, testEngine, tid, todoTable } from '../tables/testing.test-support';
import { DatabaseSampler } from './database-sampler';
import { compactPreview, flushPreview } from './previews';
import { candidateReason, DEFAULT_THRESHOLD, mostPressing } from './scope-health';
import { storageOverview } from './storage-overview';
import { tableStorage } from './table-storage';
import { liveSegments, tableTiers } from './table-tiers';
import { histogram, tableUsers } from './user-distribution';

const env = useTestEngine('each');

const flush = (table: string) => runFlush(env.engine, { table, rowGroupRows: 8 }, testJobContext());
const meta = (table: string) => env.engine.data.metadata(tid(table));

function sharedTable(rows: number) {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
  const store = env.engine.data.shared(tid('app.todos'));
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: rows }, (_, i) => ({ id: i + 1, title: `title ${i + 1}` })),
  );
  return store;
}

describe('table tiers', () => {
  it('count hot rows, tombstones and bytes from counters, and flushed rows and bytes from the manifest', async () => {
    const store = sharedTable(30);
    let tiers = tableTiers(env.engine, meta('app.todos'));
    expect(tiers.hot.rows).toBe(30);
    expect(tiers.hot.bytes).toBe([...store.backend.scan(store.partition)].reduce((n, [k, v]) => n + k.length + v.length, 0));
    expect(tiers.cold).toEqual({ rows: 0, bytes: 0, segments: 0 });
    const result = await flush('app.todos');
    store.deleteRow(SYSTEM_SUBJECT, 1);
    store.insertRow(SYSTEM_SUBJECT, { id: 31, title: 'new' });
    tiers = tableTiers(env.engine, meta('app.todos'));
    expect(tiers.hot).toMatchObject({ rows: 2, tombstones: 1 });
    expect(tiers.cold).toEqual({ rows: 30, bytes: result.bytes, segments: 1 });
  });

  it('report the flush policy with the hot rows and the last flush time', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos', { flush_policy: { row_limit: 100, interval_seconds: 60 } }));
    env.engine.data.shared(tid('app.todos')).insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'a' }]);
    expect(tableTiers(env.engine, meta('app.todos')).policy).toEqual({ rowLimit: 100, intervalSeconds: 60, hotRows: 1, lastFlushAt: null });
    await flush('app.todos');
    const [segment] = liveSegments(env.engine, meta('app.todos'));
    expect(tableTiers(env.engine, meta('app.todos')).policy).toEqual({ rowLimit: 100, intervalSeconds: 60, hotRows: 0, lastFlushAt: segment!.created_at });
  });
});

describe('dry runs', () => {
  it("a flush preview's rows, files and removed hot rows are what the flush then does (user table, edits and deletes)", async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = env.engine.data.user(tid('app.mine'));
    for (const [u, n] of [
      ['alice', 7],
      ['bob', 3],
      ['carol', 12],
    ] as const) {
      store.insertRows(
        as(u),
        Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `${u} ${i + 1}` })),
      );
    }
    await flush('app.mine');
    store.deleteRow(as('alice'), 1);
    store.updateRow(as('carol'), 2, { title: 'edited' });
    store.insertRow(as('dave'), { id: 1, title: 'first' });
    const preview = flushPreview(env.engine, meta('app.mine'), liveSegments(env.engine, meta('app.mine')));
    expect(preview).toMatchObject({ rows: 3, files: 3, removeHotRows: 3 });
    const result = await flush('app.mine');
    expect({ rows: result.rows + result.tombstones, files: result.files, removeHotRows: result.removedFromHot }).toEqual({
      rows: preview.rows,
      files: preview.files,
      removeHotRows: preview.removeHotRows,
    });
    // Estimated from the table's own bytes per row: within a factor of two of what was written.
    expect(preview.estimatedBytes).toBeGreaterThan(result.bytes / 2);
    expect(preview.estimatedBytes).toBeLessThan(result.bytes * 2);
  });

  it("a compaction preview's segments, rows read and bytes are what the compaction then does", async () => {
    const store = sharedTable(40);
    await flush('app.todos');
    for (let round = 0; round < 3; round++) {
      for (let id = 1; id <= 10; id++) store.updateRow(SYSTEM_SUBJECT, id + round * 10, { title: `round ${round}` });
      await flush('app.todos');
    }
    const preview = compactPreview(env.engine, meta('app.todos'));
    expect(preview).toMatchObject({ scopes: 1, segments: 4, rowsRead: 70 });
    const result = await runCompact(env.engine, { table: 'app.todos', rowGroupRows: 8 }, testJobContext());
    expect({ scopes: result.scopes, segments: result.segmentsBefore, rowsRead: result.rowsRead, bytesBefore: result.bytesBefore }).toEqual({
      scopes: preview.scopes,
      segments: preview.segments,
      rowsRead: preview.rowsRead,
      bytesBefore: preview.bytesBefore,
    });
    // The saving is an estimate from sizes; superseded versions make the real one larger.
    expect(preview.estimatedSaving).toBeGreaterThan(0);
    expect(preview.estimatedSaving).toBeLessThanOrEqual(result.bytesBefore - result.bytes);
    expect(compactPreview(env.engine, meta('app.todos'))).toMatchObject({ scopes: 0, segments: 0, rowsRead: 0 });
  });
});

describe('table storage', () => {
  it('lists each segment with its key range, row groups and the job that wrote it, and the scope manifest', async () => {
    sharedTable(20);
    const job = testJobContext();
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 8 }, job);
    const storage = tableStorage(env.engine, 'app.todos');
    expect(storage.segments).toEqual([
      expect.objectContaining({ user: null, batch: 0, file: 'app/todos/batch-0.parquet', rows: 20, minKey: '1', maxKey: '20', rowGroups: 3 }),
    ]);
    expect(storage.manifests).toHaveLength(1);
    expect(JSON.parse(storage.manifests[0]!.text!)).toMatchObject({ table: 'app.todos', segments: [{ batch: 0, rows: 20 }] });
  });
});

describe('overview', () => {
  it('distributes user-table rows over users (top users, histogram) and finds compaction candidates', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = env.engine.data.user(tid('app.mine'));
    const counts = { alice: 25, bob: 3, carol: 140 };
    for (const [u, n] of Object.entries(counts)) {
      store.insertRows(
        as(u),
        Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `${u} ${i}` })),
      );
    }
    await flush('app.mine');
    store.insertRow(as('alice'), { id: 1000, title: 'hot' });
    await flush('app.mine');
    store.insertRow(as('bob'), { id: 1000, title: 'hot' });
    const overview = storageOverview(env.engine, new DatabaseSampler(env.engine.backend, env.engine.now));
    const users = tableUsers(env.engine, 'app.mine');
    expect(users).toMatchObject({ table: 'app.mine', users: 3 });
    expect(users.top).toEqual([
      { userId: 'carol', hot: 0, cold: 140 },
      { userId: 'alice', hot: 0, cold: 26 },
      { userId: 'bob', hot: 1, cold: 3 },
    ]);
    expect(users.histogram).toEqual([
      { from: 0, to: 10, users: 1 },
      { from: 10, to: 100, users: 1 },
      { from: 100, to: 1000, users: 1 },
    ]);
    const alice = overview.scopes.find((s) => s.table === 'app.mine' && s.user === 'alice')!;
    expect(alice).toMatchObject({ segments: 2, rows: 26, candidate: '2 segments smaller than 1 MB' });
    expect(overview.scopes.find((s) => s.user === 'carol')).toMatchObject({ segments: 1, candidate: null, estimatedGain: 0 });
    // Only user tables have rows per user; a missing table is NOT_FOUND.
    sharedTable(1);
    expect(() => tableUsers(env.engine, 'app.todos')).toThrow(/only user tables have rows per user/);
    expect(() => tableUsers(env.engine, 'app.nothing')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('buckets users by powers of ten', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 }), (counts) => {
        const h = histogram(counts);
        expect(h.reduce((n, b) => n + b.users, 0)).toBe(counts.length);
        for (const c of counts) expect(h.some((b) => b.from <= c && c < b.to)).toBe(true);
      }),
    );
    expect(histogram([])).toEqual([]);
  });

  it('calls a scope a candidate by segment count or small segments, never with one segment', () => {
    const entry = (size: number) => ({ size_bytes: size, row_count: 10 }) as Parameters<typeof candidateReason>[0][number];
    expect(candidateReason([entry(10)], DEFAULT_THRESHOLD)).toBeNull();
    expect(candidateReason([entry(5e6), entry(5e6)], DEFAULT_THRESHOLD)).toBeNull();
    expect(candidateReason([entry(5e6), entry(5e6), entry(5e6), entry(5e6)], DEFAULT_THRESHOLD)).toBe('4 segments (at least 4)');
    expect(candidateReason([entry(5e6), entry(10), entry(10)], DEFAULT_THRESHOLD)).toBe('2 segments smaller than 1 MB');
  });

  it('lists at most the most pressing scopes (gain, then segments), and totals every scope', () => {
    const scope = fc.record({
      table: fc.constantFrom('a.x', 'a.y'),
      user: fc.constant(null),
      segments: fc.integer({ min: 1, max: 50 }),
      rows: fc.nat(1000),
      bytes: fc.nat(1e6),
      smallest: fc.nat(1e6),
      median: fc.nat(1e6),
      largest: fc.nat(1e6),
      candidate: fc.option(fc.constant('many segments'), { nil: null }),
      estimatedGain: fc.nat(1e6),
    });
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 60 }), fc.integer({ min: 0, max: 30 }), (scopes, limit) => {
        const { listed, totals } = mostPressing(scopes, limit);
        expect(listed).toHaveLength(Math.min(limit, scopes.length));
        const pressesAtLeast = (a: ScopeHealth, b: ScopeHealth) =>
          a.estimatedGain > b.estimatedGain || (a.estimatedGain === b.estimatedGain && a.segments >= b.segments);
        // Each listed scope presses at least as much as the next, and the last as much as any left out.
        for (let i = 1; i < listed.length; i++) expect(pressesAtLeast(listed[i - 1]!, listed[i]!)).toBe(true);
        const last = listed.at(-1);
        if (last) for (const s of scopes.filter((x) => !listed.includes(x))) expect(pressesAtLeast(last, s)).toBe(true);
        expect(totals).toEqual({
          scopes: scopes.length,
          segments: scopes.reduce((n, s) => n + s.segments, 0),
          candidates: scopes.filter((s) => s.candidate !== null).length,
          estimatedGain: scopes.reduce((n, s) => n + s.estimatedGain, 0),
        });
      }),
    );
  });
});

describe('overview between changes', () => {
  it('is collected again after any commit, by this connection or another one (a job worker, the CLI), and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalam-stats-'));
    const clock = testClock();
    const app = testEngine(clock, join(dir, 'kalam.sqlite'));
    const cli = testEngine(clock, join(dir, 'kalam.sqlite'));
    try {
      const sampler = new DatabaseSampler(app.backend, app.now);
      const overview = () => storageOverview(app, sampler);
      const todos = () => overview().tables.find((t) => t.table === 'app.todos');
      app.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
      app.data.shared(tid('app.todos')).insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'a' }]);
      const first = overview();
      expect(first.tables.find((t) => t.table === 'app.todos')?.hot.rows).toBe(1);
      // Nothing committed: the same collected statistics, not collected again.
      expect(overview().tables).toBe(first.tables);

      // This connection's own writes.
      app.data.shared(tid('app.todos')).deleteRow(SYSTEM_SUBJECT, 1);
      expect(todos()?.hot).toMatchObject({ rows: 1, tombstones: 1 });
      app.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'more'));
      expect(overview().tables.map((t) => t.table)).toContain('app.more');

      // Another connection's rows, manifest entries (a segment recorded, its file not needed here) and jobs.
      cli.data.shared(tid('app.todos')).insertRows(SYSTEM_SUBJECT, [{ id: 2, title: 'b' }]);
      expect(todos()?.hot.rows).toBe(2);
      cli.system.manifest.insert({
        namespace_id: 'app' as never,
        table_name: 'todos' as never,
        user_id: null,
        batch: 0,
        file_path: 'app/todos/_shared/batch-0.parquet',
        row_count: 10,
        size_bytes: 2048,
        min_seq: 1,
        max_seq: 10,
        schema_version: 1,
        created_at: clock.now(),
      });
      expect(todos()?.cold).toEqual({ rows: 10, bytes: 2048, segments: 1 });
      cli.system.jobs.put('FL-1' as never, jobFixture({ job_id: 'FL-1', status: 'running', started_at: clock.now() }));
      expect(overview().jobs.map((j) => j.id)).toEqual(['FL-1']);

      // A running job's bar ends now, though nothing was committed since it was collected.
      const before = overview().jobs[0]!.durationMs;
      clock.advance(5_000);
      expect(overview().jobs[0]!.durationMs).toBe(before + 5_000);
    } finally {
      cli.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DatabaseSampler', () => {
  it('keeps a bounded window of samples, oldest dropped first, and does not sample twice within its period', () => {
    let now = 1_000;
    const sampler = new DatabaseSampler(env.engine.backend, () => now, 100, 3);
    for (let i = 0; i < 5; i++) {
      sampler.sample();
      sampler.sample();
      now += 100;
    }
    expect(sampler.list().map((s) => s.at)).toEqual([1_200, 1_300, 1_400]);
    const last = sampler.list()[2]!;
    expect(last.fileBytes).toBeGreaterThan(0);
    expect(last.freeBytes % sampler.pageSize).toBe(0);
  });
});
