import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { ColdCatalog } from '../cold/cold-catalog';
import { JobCancelledError } from '../jobs/job-context';
import { ADMIN, as, expectError, tid, todoTable } from '../tables/testing.test-support';
import { FlushJournal } from './flush-journal';
import { recoverFlush, runFlush } from './flush-job';
import { testJobContext } from './testing/flush.test-support';
import { browseAll, useTestEngine } from './testing/test-engine.test-support';

const env = useTestEngine('each');

const T = tid('app.todos');

function seedTodos(n: number): void {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
  env.engine.data.shared(T).insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `T${i + 1}`, done: i % 3 === 0, note: i % 4 === 0 ? `n${i + 1}` : null })),
  );
}

async function query(sql: string): Promise<{ names: string[]; types: string[]; rows: Record<string, unknown>[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    // DESCRIBE names aliases such as JSON (columnTypes() shows their base type, VARCHAR).
    const described = sql.startsWith('SELECT') ? (await conn.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjectsJS() : [];
    return { names: reader.columnNames(), types: described.map((d) => d.column_type as string), rows: reader.getRowObjectsJS() };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('runFlush: files', () => {
  it('writes Parquet that DuckDB reads back: same rows, same types', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'app',
      name: 'typed',
      type: 'shared',
      access_level: 'public',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'name', type: 'text' },
        { name: 'score', type: 'double' },
        { name: 'ok', type: 'boolean' },
        { name: 'at', type: 'timestamp' },
        { name: 'meta', type: 'json' },
        { name: 'blob', type: 'bytes' },
      ],
    });
    const store = env.engine.data.shared(tid('app.typed'));
    store.insertRows(SYSTEM_SUBJECT, [
      { id: 1, name: 'ünï', score: 1.5, ok: true, at: 1_700_000_000_123, meta: { a: [1, 'x'] }, blob: Buffer.from([0, 1, 255]).toString('base64') },
      { id: 2 ** 40, name: null, score: null, ok: null, at: null, meta: null, blob: null },
      { id: -3, name: '', score: -0.25, ok: false, at: 0, meta: 'just text', blob: '' },
    ]);
    store.deleteRow(SYSTEM_SUBJECT, -3);

    const result = await runFlush(env.engine, { table: 'app.typed' }, testJobContext());
    expect(result).toMatchObject({ table: 'app.typed', rows: 2, tombstones: 1, files: 1, scopes: 1, removedFromHot: 3, keptHot: 0 });
    expect(env.data.files()).toEqual(['app/typed/batch-0.parquet', 'app/typed/manifest.json']);

    const file = join(env.data.dir, 'storage/app/typed/batch-0.parquet');
    const { names, types, rows } = await query(`SELECT * FROM read_parquet('${file}') ORDER BY id`);
    expect(names).toEqual(['id', 'name', 'score', 'ok', 'at', 'meta', 'blob', '_seq', '_deleted']);
    expect(types).toEqual(['BIGINT', 'VARCHAR', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE', 'JSON', 'BLOB', 'BIGINT', 'BOOLEAN']);
    expect(rows.map((r) => [r.id, r.name, r.score, r.ok, (r.at as Date | null)?.getTime() ?? null, r.meta, r._deleted])).toEqual([
      [-3n, null, null, null, null, null, true],
      [1n, 'ünï', 1.5, true, 1_700_000_000_123, '{"a":[1,"x"]}', false],
      [BigInt(2 ** 40), null, null, null, null, null, false],
    ]);
    expect(Buffer.from(rows[1]!.blob as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
    // Rows read back through the engine are the rows written.
    expect(store.getRow(SYSTEM_SUBJECT, 1)).toMatchObject({ name: 'ünï', score: 1.5, ok: true, at: 1_700_000_000_123, meta: { a: [1, 'x'] }, blob: 'AAH/' });
    expect(store.getRow(SYSTEM_SUBJECT, -3)).toBeUndefined();

    const stats = await query(
      `SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, compression FROM parquet_metadata('${file}') WHERE path_in_schema = 'id'`,
    );
    expect(stats.rows).toEqual([{ row_group_id: 0n, path_in_schema: 'id', stats_min_value: '-3', stats_max_value: String(2 ** 40), compression: 'ZSTD' }]);

    const manifest = JSON.parse(readFileSync(join(env.data.dir, 'storage/app/typed/manifest.json'), 'utf8')) as { segments: { batch: number; rows: number }[] };
    expect(manifest.segments).toMatchObject([{ batch: 0, rows: 3 }]);
    expect([...env.engine.system.manifest.segmentsOf(tid('app.typed'))]).toMatchObject([
      { batch: 0, row_count: 3, file_path: 'app/typed/batch-0.parquet', user_id: null },
    ]);
  });

  it('bounds row groups and numbers batches per scope', async () => {
    seedTodos(25);
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 10 }, testJobContext());
    const file = join(env.data.dir, 'storage/app/todos/batch-0.parquet');
    const groups = await query(`SELECT row_group_id, row_group_num_rows FROM parquet_metadata('${file}') WHERE path_in_schema = 'id' ORDER BY row_group_id`);
    expect(groups.rows.map((r) => Number(r.row_group_num_rows))).toEqual([10, 10, 5]);
    env.engine.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 100, title: 'later' });
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/batch-1.parquet', 'app/todos/manifest.json']);
    // A flush with nothing hot writes nothing.
    expect(await runFlush(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ files: 0, rows: 0 });
  });

  it('refuses stream tables, unknown tables and a second flush of the same table', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
    await expect(runFlush(env.engine, { table: 'app.events' }, testJobContext())).rejects.toThrow(/stream table/);
    await expect(runFlush(env.engine, { table: 'app.nope' }, testJobContext())).rejects.toThrow(/not found|app\.nope/i);
    await expect(runFlush(env.engine, { table: 'bad name!' }, testJobContext())).rejects.toThrow(/table/);
    seedTodos(3);
    FlushJournal.create(join(env.data.dir, 'storage/.kalam-flush'), { table: 'app.todos', pid: process.pid, started: 0 });
    await expect(runFlush(env.engine, { table: 'app.todos' }, testJobContext())).rejects.toThrow(/already running/);
  });
});

describe('reads merge hot rows and segments', () => {
  it('browse, count and get look the same before and after a flush', async () => {
    seedTodos(40);
    env.engine.data.shared(T).deleteRow(SYSTEM_SUBJECT, 7);
    const provider = env.engine.data.provider(T);
    const snapshot = () => ({
      forward: browseAll(env.engine, 'app.todos'),
      backward: browseAll(env.engine, 'app.todos', ADMIN, { sort: { column: 'id', order: 'desc' } }),
      filtered: browseAll(env.engine, 'app.todos', ADMIN, { filters: [{ column: 'done', op: 'eq', value: true }] }),
      seek: provider.browse(ADMIN, { limit: 3, seek: '20' }),
      count: provider.count(ADMIN),
      capped: provider.count(ADMIN, 10),
      get: provider.get(ADMIN, '12'),
      deleted: provider.get(ADMIN, '7'),
    });
    const before = snapshot();
    expect(before.forward).toHaveLength(39);
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 8 }, testJobContext());
    expect(env.engine.backend.count(env.engine.data.shared(T).partition)).toBe(0);
    expect(snapshot()).toEqual(before);
    // Half hot, half cold: still the same.
    env.engine.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 41, title: 'T41' });
    const mixed = snapshot();
    expect(mixed.count).toBe(40);
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 8 }, testJobContext());
    expect(snapshot()).toEqual(mixed);
  });

  it('a point read decodes one row group; the cache stays bounded', async () => {
    seedTodos(100);
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 10 }, testJobContext());
    expect(env.engine.cold.stats()).toMatchObject({ groups: 0 });
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 55)).toMatchObject({ title: 'T55' });
    expect(env.engine.cold.stats()).toEqual({ footers: 1, groups: 1, rows: 10, keyColumns: 0 });
    // A page from key 35 on (with its look back for a previous page) reads around it, not the table.
    env.engine.cold.forgetAll();
    expect(
      env.engine.data
        .provider(T)
        .browse(ADMIN, { limit: 10, seek: '35' })
        .rows.map((r) => r.key),
    ).toEqual(['35', '36', '37', '38', '39', '40', '41', '42', '43', '44']);
    expect(env.engine.cold.stats().groups).toBeLessThanOrEqual(5);
    // Keys outside every group's range decode nothing.
    env.engine.cold.forgetAll();
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 1000)).toBeUndefined();
    expect(env.engine.cold.stats().groups).toBe(0);
    const small = new ColdCatalog({ manifest: env.engine.system.manifest, storages: env.engine.system.storages, cachedRows: 25 });
    const view = small.view(env.engine.data.shared(T).schema)!;
    expect([...view.scan({})]).toHaveLength(100);
    expect(small.stats().rows).toBeLessThanOrEqual(30);
  });

  it('a point read decodes a row group only where its key is: a group that merely spans the key has its key column read', async () => {
    seedTodos(100);
    const todos = env.engine.data.shared(T);
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 10 }, testJobContext());
    // A second segment: new versions of the even ids 2…40, one group spanning 2…40.
    for (let id = 2; id <= 40; id += 2) todos.updateRow(SYSTEM_SUBJECT, id, { title: `new ${id}` });
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 100 }, testJobContext());
    expect(env.engine.cold.segments(todos.schema)).toHaveLength(2);
    env.engine.cold.forgetAll();
    // 15 is only in the first segment: the second's group spans it, and only its key column is read.
    expect(todos.getRow(SYSTEM_SUBJECT, 15)).toMatchObject({ title: 'T15' });
    expect(env.engine.cold.stats()).toMatchObject({ groups: 1, rows: 10, keyColumns: 1 });
    expect(todos.getRow(SYSTEM_SUBJECT, 17)).toMatchObject({ title: 'T17' });
    expect(env.engine.cold.stats()).toMatchObject({ groups: 1, rows: 10, keyColumns: 1 });
    // 16 is in both: the newer version; the second segment's group is decoded now (its key column dropped).
    expect(todos.getRow(SYSTEM_SUBJECT, 16)).toMatchObject({ title: 'new 16' });
    expect(env.engine.cold.stats()).toMatchObject({ groups: 2, rows: 30, keyColumns: 0 });
    // Every row reads the same as a scan gives it.
    const scanned = new Map(browseAll(env.engine, 'app.todos').map((r) => [r.values.id, r.values.title]));
    for (let id = 1; id <= 100; id++) expect(todos.getRow(SYSTEM_SUBJECT, id)?.title, String(id)).toBe(scanned.get(id));
  });

  it('editing a flushed row writes a new hot version; its expected version is the flushed one', async () => {
    seedTodos(5);
    const store = env.engine.data.shared(T);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    const cold = store.getRow(SYSTEM_SUBJECT, 3)!;
    expectError(() => store.updateRow(SYSTEM_SUBJECT, 3, { title: 'x' }, { expectedSeq: cold._seq - 1 }), 'CONFLICT');
    const edited = store.updateRow(SYSTEM_SUBJECT, 3, { title: 'edited' }, { expectedSeq: cold._seq });
    expect(edited._seq).toBeGreaterThan(cold._seq);
    expect(store.getRow(SYSTEM_SUBJECT, 3)).toMatchObject({ title: 'edited', done: cold.done });
    expect(env.engine.backend.count(store.partition)).toBe(1);
    // Inserting over a flushed live row is refused; upsert replaces it.
    expectError(() => store.insertRow(SYSTEM_SUBJECT, { id: 4, title: 'dup' }), 'ALREADY_EXISTS');
    // So is a batch of new rows with one flushed key among them (several statements' worth): none stays.
    const batch = Array.from({ length: 300 }, (_, i) => ({ id: 1000 + i, title: `b${i}` }));
    batch[200] = { id: 5, title: 'dup' };
    expectError(() => store.insertRows(SYSTEM_SUBJECT, batch), 'ALREADY_EXISTS');
    expect(env.engine.backend.count(store.partition)).toBe(1);
    store.upsertRow(SYSTEM_SUBJECT, { id: 4, title: 'upserted' });
    expect(browseAll(env.engine, 'app.todos').map((r) => r.values.title)).toEqual(['T1', 'T2', 'edited', 'upserted', 'T5']);
  });

  it('a row deleted after a flush stays deleted after the next flush', async () => {
    seedTodos(5);
    const store = env.engine.data.shared(T);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    expect(store.deleteRow(SYSTEM_SUBJECT, 2)).toBe(true);
    expect(store.deleteRow(SYSTEM_SUBJECT, 2)).toBe(false);
    const r = await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    expect(r).toMatchObject({ rows: 0, tombstones: 1, removedFromHot: 1 });
    expect(env.engine.backend.count(store.partition)).toBe(0);
    expect(env.engine.backend.count(store.schema.tombstones)).toBe(0);
    expect(store.getRow(SYSTEM_SUBJECT, 2)).toBeUndefined();
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(4);
    expect([...store.scanRows(SYSTEM_SUBJECT)].map(([, row]) => row.id)).toEqual([1, 3, 4, 5]);
    // And it can be inserted again.
    store.insertRow(SYSTEM_SUBJECT, { id: 2, title: 'again' });
    expect(store.getRow(SYSTEM_SUBJECT, 2)).toMatchObject({ title: 'again' });
  });

  it('a row edited, deleted or inserted during a flush stays hot with its new version', async () => {
    seedTodos(30);
    const store = env.engine.data.shared(T);
    let editedSeq = 0;
    const ctx = testJobContext((p) => {
      // After every row was written, before anything is recorded.
      if (p.phase === 'commit' && editedSeq === 0) {
        editedSeq = store.updateRow(SYSTEM_SUBJECT, 10, { title: 'during' })._seq;
        store.deleteRow(SYSTEM_SUBJECT, 11);
        store.insertRow(SYSTEM_SUBJECT, { id: 31, title: 'new' });
      }
    });
    const r = await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 7 }, ctx);
    expect(r).toMatchObject({ rows: 30, removedFromHot: 28, keptHot: 2 });
    expect([...store.scanHot()].map(([, row]) => [row.id, row._deleted, row._seq === editedSeq])).toEqual([
      [10, false, true],
      [11, true, false],
      [31, false, false],
    ]);
    expect(env.engine.backend.count(store.schema.tombstones)).toBe(1);
    expect(store.getRow(SYSTEM_SUBJECT, 10)).toMatchObject({ title: 'during', _seq: editedSeq });
    expect(store.getRow(SYSTEM_SUBJECT, 11)).toBeUndefined();
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(30);
    expect(ctx.progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['scan', 'write', 'commit']));
  });

  it.each([[1], [15], [99]])('a row inserted during a flush at id %i (before, between or after the flushed keys) stays hot', async (id) => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
    const store = env.engine.data.shared(T);
    store.insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: 20 }, (_, i) => ({ id: 2 * (i + 1), title: `T${i}` })),
    );
    let inserted = false;
    const ctx = testJobContext((p) => {
      if (p.phase === 'commit' && !inserted) {
        inserted = true;
        store.insertRow(SYSTEM_SUBJECT, { id, title: 'during' });
      }
    });
    // Groups of 7 rows: ids 2–14, 16–28, 30–40; 15 falls between the first two.
    const r = await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 7 }, ctx);
    expect(r).toMatchObject({ rows: 20, removedFromHot: 20, keptHot: 0 });
    expect([...store.scanHot()].map(([, row]) => row.id)).toEqual([id]);
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(21);
  });

  it('a range read that spans a flush on another connection sees every row exactly once', async () => {
    seedTodos(3000);
    const store = env.engine.data.shared(T);
    const scan = store.scanRows(SYSTEM_SUBJECT);
    const ids: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const r = scan.next();
      if (!r.done) ids.push(r.value[1].id);
    }
    // A second engine on the same files (as a job worker has) flushes the whole table meanwhile.
    const worker = env.data.open();
    try {
      expect(await runFlush(worker, { table: 'app.todos', rowGroupRows: 500 }, testJobContext())).toMatchObject({ removedFromHot: 3000 });
    } finally {
      worker.close();
    }
    expect(env.engine.backend.count(store.partition)).toBe(0);
    for (let r = scan.next(); !r.done; r = scan.next()) ids.push(r.value[1].id);
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
  });

  it('user tables: one scope per user, and a user sees only their rows', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = env.engine.data.user(tid('app.mine'));
    for (const u of ['alice', 'alice2', 'bob']) {
      store.insertRows(
        as(u),
        Array.from({ length: 4 }, (_, i) => ({ id: i + 1, title: `${u}-${i + 1}` })),
      );
    }
    const before = { alice: browseAll(env.engine, 'app.mine', as('alice')), all: browseAll(env.engine, 'app.mine'), count: store.countRows(as('alice2')) };
    const r = await runFlush(env.engine, { table: 'app.mine' }, testJobContext());
    expect(r).toMatchObject({ rows: 12, scopes: 3, files: 3 });
    expect(env.data.files()).toEqual([
      'app/mine/alice/batch-0.parquet',
      'app/mine/alice/manifest.json',
      'app/mine/alice2/batch-0.parquet',
      'app/mine/alice2/manifest.json',
      'app/mine/bob/batch-0.parquet',
      'app/mine/bob/manifest.json',
    ]);
    expect({ alice: browseAll(env.engine, 'app.mine', as('alice')), all: browseAll(env.engine, 'app.mine'), count: store.countRows(as('alice2')) }).toEqual(
      before,
    );
    expect(before.alice.map((row) => row.key)).toEqual(['alice/1', 'alice/2', 'alice/3', 'alice/4']);
    expect(env.engine.data.provider(tid('app.mine')).get(as('bob'), 'alice/1')).toBeUndefined();
    expect(store.getRow(as('bob'), 1)).toMatchObject({ title: 'bob-1' });
    const { rows } = await query(`SELECT DISTINCT _user FROM read_parquet('${join(env.data.dir, 'storage/app/mine/*/batch-0.parquet')}') ORDER BY 1`);
    expect(rows.map((x) => x._user)).toEqual(['alice', 'alice2', 'bob']);
  });
});

describe('DDL on flushed tables', () => {
  it('hot rows written before a column was added are flushed with its default (a tombstone keeps it null)', async () => {
    seedTodos(3);
    env.engine.data.shared(T).deleteRow(SYSTEM_SUBJECT, 3);
    env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'add_column', column: { name: 'prio', type: 'integer', nullable: false, default: 5 } });
    env.engine.data.shared(T).insertRows(SYSTEM_SUBJECT, [{ id: 4, title: 'T4', done: false, note: null, prio: 9 }]);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    const { rows } = await query(`SELECT id, prio, _deleted FROM read_parquet('${join(env.data.dir, 'storage/app/todos/batch-0.parquet')}') ORDER BY id`);
    expect(rows).toEqual([
      { id: 1n, prio: 5n, _deleted: false },
      { id: 2n, prio: 5n, _deleted: false },
      { id: 3n, prio: null, _deleted: true },
      { id: 4n, prio: 9n, _deleted: false },
    ]);
  });

  it('a column added after a flush reads its default in flushed rows; a rename is refused', async () => {
    seedTodos(3);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'add_column', column: { name: 'prio', type: 'integer', nullable: false, default: 5 } });
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 2)).toMatchObject({ title: 'T2', prio: 5 });
    expectError(() => env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'rename_column', from: 'title', to: 'name' }), 'VALIDATION', ['from']);
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 2)).toMatchObject({ title: 'T2' });
  });

  it('a dropped column stays dropped: re-adding its name is refused while segments hold its values', async () => {
    seedTodos(3);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'drop_column', name: 'note' });
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 1)).not.toHaveProperty('note');
    const before = env.engine.data.metadata(T).schema_version;
    expectError(() => env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'add_column', column: { name: 'note', type: 'text' } }), 'VALIDATION', [
      'column.name',
    ]);
    expect(env.engine.data.metadata(T).schema_version).toBe(before);
    env.engine.ddl.alterTable(SYSTEM_SUBJECT, 'app.todos', { action: 'add_column', column: { name: 'note2', type: 'text' } });
    expect(env.engine.data.shared(T).getRow(SYSTEM_SUBJECT, 1)).toMatchObject({ note2: null });
  });

  it('dropping a table removes its segments; a new table of the same name starts empty', async () => {
    seedTodos(3);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    env.engine.ddl.dropTable(SYSTEM_SUBJECT, 'app.todos');
    expect(env.engine.system.manifest.count()).toBe(0);
    expect(env.data.files()).toEqual([]);
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
    expect(env.engine.data.shared(T).countRows(SYSTEM_SUBJECT)).toBe(0);
    expect(browseAll(env.engine, 'app.todos')).toEqual([]);
  });
});

describe('cancel and recovery', () => {
  it('a cancelled flush leaves nothing: no file, no manifest row, every row hot', async () => {
    seedTodos(50);
    const store = env.engine.data.shared(T);
    const hotBefore = [...store.scanHot()];
    const ctx = testJobContext((p, c) => {
      if (p.phase === 'write' && p.done >= 20) c.cancel();
    });
    await expect(runFlush(env.engine, { table: 'app.todos', rowGroupRows: 10 }, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(env.data.files()).toEqual([]);
    expect(env.engine.system.manifest.count()).toBe(0);
    expect([...store.scanHot()]).toEqual(hotBefore);
    // The table can be flushed again at once.
    expect(await runFlush(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ rows: 50 });
  });

  it('recoverFlush removes what an interrupted flush left unrecorded and rewrites manifest.json', async () => {
    seedTodos(5);
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    env.engine.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 6, title: 'T6' });
    // A dead process's flush: journal, a temp file, a published but unrecorded file, manifest.json listing it.
    const dir = join(env.data.dir, 'storage/app/todos');
    const journal = FlushJournal.create(join(env.data.dir, 'storage/.kalam-flush'), { table: 'app.todos', pid: 999_999_999, started: 0 });
    journal.add({ user: null, batch: 1, temp: join(dir, 'batch-1.parquet.tmp'), final: join(dir, 'batch-1.parquet'), dir });
    writeFileSync(join(dir, 'batch-1.parquet.tmp'), 'partial');
    writeFileSync(join(dir, 'batch-1.parquet'), 'unrecorded');
    writeFileSync(join(dir, 'manifest.json'), '{"segments":[{"batch":0},{"batch":1}]}');
    const r = recoverFlush(env.engine);
    expect(r).toMatchObject({ journals: 1, recordedSegments: 0 });
    expect(r.removedFiles.sort()).toEqual([join(dir, 'batch-1.parquet'), join(dir, 'batch-1.parquet.tmp')]);
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/manifest.json']);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ segments: [{ batch: 0 }] });
    expect(env.engine.data.shared(T).countRows(SYSTEM_SUBJECT)).toBe(6);
    expect(await runFlush(env.engine, { table: 'app.todos' }, testJobContext())).toMatchObject({ rows: 1, files: 1 });
    expect(existsSync(join(dir, 'batch-1.parquet'))).toBe(true);
  });

  it('recoverFlush leaves alone the journal of a flush running in another live process', () => {
    seedTodos(2);
    const dir = join(env.data.dir, 'storage/app/todos');
    const journal = FlushJournal.create(join(env.data.dir, 'storage/.kalam-flush'), { table: 'app.todos', pid: process.ppid, started: 0 });
    journal.add({ user: null, batch: 0, temp: join(dir, 'batch-0.parquet.tmp'), final: join(dir, 'batch-0.parquet'), dir });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'batch-0.parquet.tmp'), 'in progress');
    expect(recoverFlush(env.engine)).toMatchObject({ journals: 0, removedFiles: [] });
    expect(env.data.files()).toEqual(['.kalam-flush/app.todos.jsonl', 'app/todos/batch-0.parquet.tmp']);
  });

  it('recoverFlush finishes a recorded flush: its hot rows are evicted', async () => {
    seedTodos(5);
    const store = env.engine.data.shared(T);
    // Simulate a crash right after the commit: record the flush, then restore the hot rows and the journal.
    const hot = [...env.engine.backend.scan(store.partition)];
    await runFlush(env.engine, { table: 'app.todos' }, testJobContext());
    for (const [k, v] of hot) env.engine.backend.put(store.partition, k, v);
    const dir = join(env.data.dir, 'storage/app/todos');
    const journal = FlushJournal.create(join(env.data.dir, 'storage/.kalam-flush'), { table: 'app.todos', pid: 999_999_999, started: 0 });
    journal.add({ user: null, batch: 0, temp: join(dir, 'batch-0.parquet.tmp'), final: join(dir, 'batch-0.parquet'), dir });
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(5);
    expect(recoverFlush(env.engine)).toMatchObject({ journals: 1, recordedSegments: 1, removedFromHot: 5, removedFiles: [] });
    expect(env.engine.backend.count(store.partition)).toBe(0);
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(5);
    expect(env.data.files()).toEqual(['app/todos/batch-0.parquet', 'app/todos/manifest.json']);
  });
});
