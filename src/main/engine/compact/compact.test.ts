import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { SYSTEM_SUBJECT } from '../access/subject';
import { EngineError } from '../errors';
import { FlushJournal, listJournals } from '../flush/flush-journal';
import { recoverFlush, runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { browseAll, useTestEngine } from '../flush/testing/test-engine.test-support';
import { JobCancelledError } from '../jobs/job-context';
import { ADMIN, as, tid, todoTable } from '../tables/testing.test-support';
import { nothingToCompact, runCompact } from './compact-job';
import { recoverCompact } from './compact-recovery';

const env = useTestEngine('each');

const T = tid('app.todos');
const JOURNALS = () => join(env.data.dir, 'storage/.kalam-flush');

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    // INT64 columns come back as BigInt.
    return (await conn.runAndReadAll(sql))
      .getRowObjectsJS()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const flush = (table = 'app.todos', rowGroupRows = 8) => runFlush(env.engine, { table, rowGroupRows }, testJobContext());

/** 30 rows over three flushes, with edits and deletes (some of flushed rows) between them; 30 hot-only edits after. */
async function seedHistory(): Promise<void> {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
  const store = env.engine.data.shared(T);
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `T${i + 1}`, note: i % 4 === 0 ? `n${i + 1}` : null })),
  );
  await flush();
  for (const id of [2, 4, 6]) store.updateRow(SYSTEM_SUBJECT, id, { title: `T${id}-b`, done: true });
  for (const id of [3, 5]) store.deleteRow(SYSTEM_SUBJECT, id);
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 10 }, (_, i) => ({ id: i + 21, title: `T${i + 21}` })),
  );
  await flush();
  store.updateRow(SYSTEM_SUBJECT, 2, { title: 'T2-c' });
  store.deleteRow(SYSTEM_SUBJECT, 21);
  store.insertRow(SYSTEM_SUBJECT, { id: 3, title: 'T3-again' });
  await flush();
  // Hot edits on top of the segments: the merge of hot and cold must still read the same.
  store.updateRow(SYSTEM_SUBJECT, 4, { title: 'T4-hot' });
  store.deleteRow(SYSTEM_SUBJECT, 6);
}

function snapshot(table = 'app.todos') {
  const provider = env.engine.data.provider(tid(table));
  return {
    forward: browseAll(env.engine, table),
    backward: browseAll(env.engine, table, ADMIN, { sort: { column: 'id', order: 'desc' } }),
    filtered: browseAll(env.engine, table, ADMIN, { filters: [{ column: 'done', op: 'eq', value: true }] }),
    seek: provider.browse(ADMIN, { limit: 3, seek: '20' }),
    count: provider.count(ADMIN),
    capped: provider.count(ADMIN, 10),
    get: provider.get(ADMIN, '2'),
    deleted: provider.get(ADMIN, '5'),
  };
}

describe('runCompact', () => {
  it('merges the segments into one: newest version per key, tombstones kept, reads unchanged', async () => {
    await seedHistory();
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/batch-1.parquet', 'app/todos/batch-2.parquet', 'app/todos/manifest.json']);
    const before = snapshot();
    expect(before.count).toBe(27);
    const ctx = testJobContext();
    const r = await runCompact(env.engine, { table: 'app.todos', rowGroupRows: 4 }, ctx);
    // 30 keys ever written, 3 of them deleted and not re-inserted in Parquet (5, 21; 3 came back): 30 rows, 2 tombstones.
    expect(r).toMatchObject({ table: 'app.todos', scopes: 1, segmentsBefore: 3, rows: 30, tombstones: 2 });
    // Every version of the three segments: 20 + 15 + 3.
    expect(r.rowsRead).toBe(38);
    expect(ctx.progress.at(-1)).toMatchObject({ phase: 'done', done: r.rowsRead });
    expect(env.data.files()).toEqual(['app/todos/batch-3.parquet', 'app/todos/manifest.json']);
    const entries = [...env.engine.system.manifest.segmentsOf(T)];
    expect(entries).toMatchObject([{ batch: 3, file_path: 'app/todos/batch-3.parquet', row_count: 30 }]);
    expect(JSON.parse(readFileSync(join(env.data.dir, 'storage/app/todos/manifest.json'), 'utf8'))).toMatchObject({ segments: [{ batch: 3, rows: 30 }] });
    expect(listJournals(JOURNALS())).toEqual([]);
    expect(snapshot()).toEqual(before);

    const rows = await query(
      `SELECT id, title, done, note, _deleted FROM read_parquet('${join(env.data.dir, 'storage/app/todos/batch-3.parquet')}') ORDER BY id`,
    );
    expect(rows.map((x) => x.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const byId = new Map(rows.map((x) => [x.id as number, x]));
    expect(byId.get(2)).toMatchObject({ title: 'T2-c', done: true, _deleted: false });
    expect(byId.get(3)).toMatchObject({ title: 'T3-again', _deleted: false });
    expect(byId.get(4)).toMatchObject({ title: 'T4-b', _deleted: false });
    expect(byId.get(5)).toMatchObject({ title: null, _deleted: true });
    expect(byId.get(21)).toMatchObject({ _deleted: true });
    expect(byId.get(9)).toMatchObject({ title: 'T9', note: 'n9', _deleted: false });
    // Row groups as a flush writes them: at most rowGroupRows rows each.
    const groups = await query(
      `SELECT row_group_id, max(row_group_num_rows) AS n FROM parquet_metadata('${join(env.data.dir, 'storage/app/todos/batch-3.parquet')}') GROUP BY 1`,
    );
    expect(groups).toHaveLength(8);
    expect(Math.max(...groups.map((g) => Number(g.n)))).toBe(4);

    // A flush after it numbers on; a second compaction merges the two again.
    await flush();
    expect([...env.engine.system.manifest.segmentsOf(T)].map((e) => e.batch)).toEqual([3, 4]);
    expect(snapshot()).toEqual(before);
    expect(await runCompact(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ scopes: 1, segmentsBefore: 2, rows: 30, tombstones: 3 });
    expect(snapshot()).toEqual(before);
  });

  it('another connection never reads a replaced segment list from its cache (the segment count can come back)', async () => {
    await seedHistory();
    const before = snapshot(); // this engine caches the list of batches 0, 1, 2
    // Compaction and two flushes on another connection, unseen by this engine until it reads.
    const other = env.data.open();
    try {
      await runCompact(other, { table: 'app.todos' }, testJobContext());
      const store = other.data.shared(T);
      store.updateRow(SYSTEM_SUBJECT, 7, { title: 'T7-x' });
      await runFlush(other, { table: 'app.todos' }, testJobContext());
      store.updateRow(SYSTEM_SUBJECT, 7, { title: 'T7' });
      await runFlush(other, { table: 'app.todos' }, testJobContext());
    } finally {
      other.close();
    }
    // Three segments again (3, 4, 5), as before the compaction.
    expect([...env.engine.system.manifest.segmentsOf(T)].map((e) => e.batch)).toEqual([3, 4, 5]);
    const titles = (rows: Row[]) => rows.map((r) => [r.values.id, r.values.title]);
    expect(titles(snapshot().forward)).toEqual(titles(before.forward));
    expect(env.engine.data.provider(T).get(ADMIN, '8')?.values.title).toBe('T8');
  });

  it('user tables: each scope with two segments or more gets one, the others are left alone', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = env.engine.data.user(tid('app.mine'));
    for (const u of ['alice', 'alice2', 'bob'])
      store.insertRows(
        as(u),
        Array.from({ length: 4 }, (_, i) => ({ id: i + 1, title: `${u}-${i + 1}` })),
      );
    await flush('app.mine');
    store.updateRow(as('alice'), 1, { title: 'alice-1b' });
    store.deleteRow(as('bob'), 2);
    await flush('app.mine');
    const before = {
      alice: browseAll(env.engine, 'app.mine', as('alice')),
      bob: browseAll(env.engine, 'app.mine', as('bob')),
      all: browseAll(env.engine, 'app.mine'),
      count: store.countRows(as('bob')),
    };
    const r = await runCompact(env.engine, { table: 'app.mine' }, testJobContext());
    expect(r).toMatchObject({ scopes: 2, segmentsBefore: 4, rows: 8, tombstones: 1 });
    expect(env.data.files()).toEqual([
      'app/mine/alice/batch-2.parquet',
      'app/mine/alice/manifest.json',
      'app/mine/alice2/batch-0.parquet',
      'app/mine/alice2/manifest.json',
      'app/mine/bob/batch-2.parquet',
      'app/mine/bob/manifest.json',
    ]);
    expect({
      alice: browseAll(env.engine, 'app.mine', as('alice')),
      bob: browseAll(env.engine, 'app.mine', as('bob')),
      all: browseAll(env.engine, 'app.mine'),
      count: store.countRows(as('bob')),
    }).toEqual(before);
    const rows = await query(
      `SELECT _user, id, title, _deleted FROM read_parquet('${join(env.data.dir, 'storage/app/mine/*/batch-2.parquet')}') ORDER BY _user, id`,
    );
    expect(rows.map((x) => `${String(x._user)}/${String(x.id)}:${String(x.title)}:${String(x._deleted)}`)).toEqual([
      'alice/1:alice-1b:false',
      'alice/2:alice-2:false',
      'alice/3:alice-3:false',
      'alice/4:alice-4:false',
      'bob/1:bob-1:false',
      'bob/2:null:true',
      'bob/3:bob-3:false',
      'bob/4:bob-4:false',
    ]);
  });

  it('refuses stream tables, unknown tables, and runs neither beside a flush nor a flush beside it', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
    await expect(runCompact(env.engine, { table: 'app.events' }, testJobContext())).rejects.toThrow(/app\.events is a stream table/);
    expect(nothingToCompact(env.engine, 'app.events')).toMatch(/stream table/);
    await expect(runCompact(env.engine, { table: 'app.nope' }, testJobContext())).rejects.toThrow(/app\.nope/);
    await expect(runCompact(env.engine, { table: 'bad name!' }, testJobContext())).rejects.toThrow(/table/);
    await seedHistory();
    expect(nothingToCompact(env.engine, 'app.todos')).toBeUndefined();
    const held = FlushJournal.create(JOURNALS(), { table: 'app.todos', pid: process.pid, started: 0 });
    await expect(runCompact(env.engine, { table: 'app.todos' }, testJobContext())).rejects.toThrow(/a flush of app\.todos is already running/);
    held.remove();
    // A flush started while the compaction runs is refused, and the compaction still completes.
    let refused: unknown;
    const ctx = testJobContext((p) => {
      if (p.phase === 'merge' && refused === undefined) {
        refused = 'pending';
        runFlush(env.engine, { table: 'app.todos' }, testJobContext()).then(
          () => (refused = 'ran'),
          (e: unknown) => (refused = e),
        );
      }
    });
    await runCompact(env.engine, { table: 'app.todos', rowGroupRows: 4 }, ctx);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).message).toMatch(/a compaction of app\.todos is already running/);
  });

  it('with nothing to compact it says so and changes nothing', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
    expect(nothingToCompact(env.engine, 'app.todos')).toMatch(/nothing to compact/);
    env.engine.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 1, title: 'a' });
    await flush();
    expect(nothingToCompact(env.engine, 'app.todos')).toMatch(/nothing to compact/);
    expect(await runCompact(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ scopes: 0, segmentsBefore: 0, rows: 0 });
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/manifest.json']);
  });
});

describe('cancel, conflicts and recovery', () => {
  it('a cancelled compaction leaves the old segments and no new file', async () => {
    await seedHistory();
    const files = env.data.files();
    const before = snapshot();
    const ctx = testJobContext((p, c) => {
      if (p.phase === 'merge' && p.done >= 8) c.cancel();
    });
    await expect(runCompact(env.engine, { table: 'app.todos', rowGroupRows: 4 }, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(ctx.progress.some((p) => p.phase === 'merge' && p.done > 0)).toBe(true);
    expect(env.data.files()).toEqual(files);
    expect([...env.engine.system.manifest.segmentsOf(T)].map((e) => e.batch)).toEqual([0, 1, 2]);
    expect(snapshot()).toEqual(before);
    // The journal is gone: the table can be flushed and compacted at once.
    expect(await runCompact(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ scopes: 1 });
  });

  it('a table altered during the compaction: CONFLICT, the old segments stay', async () => {
    await seedHistory();
    const files = env.data.files();
    const ctx = testJobContext((p) => {
      if (p.phase === 'commit') env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'add_column', column: { name: 'extra', type: 'text' } });
    });
    await expect(runCompact(env.engine, { table: 'app.todos' }, ctx)).rejects.toThrow(/altered or dropped while it was being compacted/);
    expect(env.data.files()).toEqual(files);
    expect(env.engine.data.provider(T).count(ADMIN)).toBe(27);
  });

  it('recoverCompact removes an unrecorded merged file and keeps the old segments', async () => {
    await seedHistory();
    const dir = join(env.data.dir, 'storage/app/todos');
    const journal = FlushJournal.create(JOURNALS(), { table: 'app.todos', op: 'compact', pid: 999_999_999, started: 0 });
    const old = [0, 1, 2].map((batch) => ({ batch, path: join(dir, `batch-${batch}.parquet`) }));
    journal.add({ user: null, batch: 3, temp: join(dir, 'batch-3.parquet.tmp'), final: join(dir, 'batch-3.parquet'), dir, replaces: old } as never);
    writeFileSync(join(dir, 'batch-3.parquet.tmp'), 'partial');
    writeFileSync(join(dir, 'batch-3.parquet'), 'unrecorded');
    // recoverFlush leaves a compaction's journal alone.
    expect(recoverFlush(env.engine)).toMatchObject({ journals: 0 });
    const r = recoverCompact(env.engine);
    expect(r).toMatchObject({ journals: 1, committed: 0 });
    expect(r.removedFiles.sort()).toEqual([join(dir, 'batch-3.parquet'), join(dir, 'batch-3.parquet.tmp')]);
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/batch-1.parquet', 'app/todos/batch-2.parquet', 'app/todos/manifest.json']);
    expect(env.engine.data.provider(T).count(ADMIN)).toBe(27);
  });

  it('recoverCompact finishes a committed compaction: the replaced files go, manifest.json follows', async () => {
    await seedHistory();
    const before = snapshot();
    const dir = join(env.data.dir, 'storage/app/todos');
    // Commit a real compaction, then put back what a crash before the deletes would have left.
    const saved = [0, 1, 2].map((b) => readFileSync(join(dir, `batch-${b}.parquet`)));
    await runCompact(env.engine, { table: 'app.todos' }, testJobContext());
    saved.forEach((bytes, b) => writeFileSync(join(dir, `batch-${b}.parquet`), bytes));
    writeFileSync(join(dir, 'manifest.json'), '{"segments":[{"batch":0},{"batch":1},{"batch":2}]}');
    const journal = FlushJournal.create(JOURNALS(), { table: 'app.todos', op: 'compact', pid: 999_999_999, started: 0 });
    const old = [0, 1, 2].map((batch) => ({ batch, path: join(dir, `batch-${batch}.parquet`) }));
    journal.add({ user: null, batch: 3, temp: join(dir, 'batch-3.parquet.tmp'), final: join(dir, 'batch-3.parquet'), dir, replaces: old } as never);
    const r = recoverCompact(env.engine);
    expect(r).toMatchObject({ journals: 1, committed: 1 });
    expect(r.removedFiles.sort()).toEqual(old.map((o) => o.path));
    expect(env.data.files()).toEqual(['app/todos/batch-3.parquet', 'app/todos/manifest.json']);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ segments: [{ batch: 3 }] });
    expect(snapshot()).toEqual(before);
  });

  it('recoverCompact leaves alone the journal of a compaction running in another live process', async () => {
    await seedHistory();
    FlushJournal.create(JOURNALS(), { table: 'app.todos', op: 'compact', pid: process.ppid, started: 0 });
    expect(recoverCompact(env.engine)).toMatchObject({ journals: 0 });
    await expect(runCompact(env.engine, { table: 'app.todos' }, testJobContext())).rejects.toThrow(/a compaction of app\.todos is already running/);
  });
});
