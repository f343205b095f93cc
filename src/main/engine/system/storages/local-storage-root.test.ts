import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../../access/subject';
import { runBackup } from '../../backup/backup-job';
import { runRestore } from '../../backup/restore-job';
import { Engine } from '../../engine';
import { runFlush } from '../../flush/flush-job';
import { testJobContext } from '../../flush/testing/flush.test-support';
import { tid, todoTable } from '../../tables/testing.test-support';
import { followedLocalBase, followStorageDirectory } from './local-storage-root';
import { LOCAL_STORAGE_ID } from './storages-table';

const T = tid('app.todos');
const META = 'engine.meta';
const ROOT_KEY = new TextEncoder().encode('local_storage_root');

let root: string;
const open: Engine[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kalam-local-root-'));
});
afterEach(() => {
  for (const e of open.splice(0)) e.close();
  rmSync(root, { recursive: true, force: true });
});

function openDir(name: string): Engine {
  const engine = Engine.openDataDir(join(root, name));
  open.push(engine);
  return engine;
}

function close(engine: Engine): void {
  open.splice(open.indexOf(engine), 1);
  engine.close();
}

const localBase = (engine: Engine) => engine.system.storages.get(LOCAL_STORAGE_ID)!.base_directory;
const titles = (engine: Engine) =>
  engine.data
    .provider(T)
    .browse(SYSTEM_SUBJECT, { limit: 100 })
    .rows.map((r) => r.values.title);

/** A data directory with app.todos: `flushed` rows in a Parquet segment, one more row hot. */
async function seeded(name: string, flushed = 3): Promise<Engine> {
  const engine = openDir(name);
  engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
  const store = engine.data.shared(T);
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: flushed }, (_, i) => ({ id: i + 1, title: `cold ${i + 1}`, done: false, note: null })),
  );
  await runFlush(engine, { table: 'app.todos' }, testJobContext());
  store.insertRow(SYSTEM_SUBJECT, { id: 100, title: 'hot', done: false, note: null });
  return engine;
}

/** Copies a closed data directory to `to` and removes the original, like a user moving it. */
function move(from: string, to: string): void {
  cpSync(join(root, from), join(root, to), { recursive: true });
  rmSync(join(root, from), { recursive: true, force: true });
}

describe('the local storage follows its data directory', () => {
  it('a new data directory records where local points', () => {
    const engine = openDir('a');
    expect(localBase(engine)).toBe(join(root, 'a', 'storage'));
    expect(new TextDecoder().decode(engine.backend.get(META, ROOT_KEY))).toBe(join(root, 'a', 'storage'));
  });

  it('a moved data directory reads its flushed rows from, and flushes into, its new storage folder', async () => {
    close(await seeded('a'));
    move('a', 'b');

    const engine = openDir('b');
    expect(localBase(engine)).toBe(join(root, 'b', 'storage'));
    expect(titles(engine)).toEqual(['cold 1', 'cold 2', 'cold 3', 'hot']);
    // The next flush writes beside the first one, not into the old (now missing) folder.
    await runFlush(engine, { table: 'app.todos' }, testJobContext());
    expect(existsSync(join(root, 'b', 'storage', 'app', 'todos', 'batch-1.parquet'))).toBe(true);
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(titles(engine)).toEqual(['cold 1', 'cold 2', 'cold 3', 'hot']);

    // Opening again where it already points changes nothing.
    const updatedAt = engine.system.storages.get(LOCAL_STORAGE_ID)!.updated_at;
    close(engine);
    const again = openDir('b');
    expect(again.system.storages.get(LOCAL_STORAGE_ID)!.updated_at).toBe(updatedAt);
  });

  it('a copy follows its own folder while the original keeps its own', async () => {
    close(await seeded('a'));
    cpSync(join(root, 'a'), join(root, 'copy'), { recursive: true });
    const copy = openDir('copy');
    copy.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 200, title: 'copy only', done: false, note: null });
    await runFlush(copy, { table: 'app.todos' }, testJobContext());
    const original = openDir('a');
    expect(localBase(copy)).toBe(join(root, 'copy', 'storage'));
    expect(localBase(original)).toBe(join(root, 'a', 'storage'));
    expect(existsSync(join(root, 'a', 'storage', 'app', 'todos', 'batch-1.parquet'))).toBe(false);
    expect(titles(original)).toEqual(['cold 1', 'cold 2', 'cold 3', 'hot']);
  });

  it('leaves a base directory a user set alone, wherever the data directory goes', () => {
    const custom = join(root, 'elsewhere');
    const engine = openDir('a');
    engine.system.storages.update(LOCAL_STORAGE_ID, (s) => ({ ...s, base_directory: custom }));
    close(engine);
    move('a', 'b');
    expect(localBase(openDir('b'))).toBe(custom);
  });

  it('records without moving a database from before the record existed, then follows the next move', () => {
    const engine = openDir('a');
    engine.backend.delete(META, ROOT_KEY);
    close(engine);
    move('a', 'b');
    const legacy = openDir('b');
    // Nothing tells whether a user chose the old path: it stays, and is recorded as the engine's.
    expect(localBase(legacy)).toBe(join(root, 'a', 'storage'));
    close(legacy);
    move('b', 'c');
    expect(localBase(openDir('c'))).toBe(join(root, 'c', 'storage'));
  });

  it('a read-only open changes nothing', () => {
    close(openDir('a'));
    move('a', 'b');
    const engine = Engine.open({ databasePath: join(root, 'b', 'kalam.sqlite'), storageDirectory: join(root, 'b', 'storage'), sqlite: { readonly: true } });
    open.push(engine);
    expect(localBase(engine)).toBe(join(root, 'a', 'storage'));
  });

  it('followedLocalBase predicts what followStorageDirectory does, and writes nothing itself', () => {
    const engine = openDir('a');
    const elsewhere = join(root, 'z', 'storage');
    expect(followedLocalBase(engine.backend, engine.system.storages, elsewhere)).toBe(elsewhere);
    expect(localBase(engine)).toBe(join(root, 'a', 'storage'));
    expect(engine.backend.transaction(() => followStorageDirectory(engine.backend, engine.system.storages, elsewhere, 5))).toBe(join(root, 'a', 'storage'));
    expect(engine.system.storages.get(LOCAL_STORAGE_ID)).toMatchObject({ base_directory: elsewhere, updated_at: 5 });
  });
});

describe('restore of a backup from another data directory', () => {
  it('keeps local on the restoring data directory and places the segments there', async () => {
    const source = await seeded('a');
    await runBackup(source, { folder: join(root, 'backup') }, testJobContext());
    close(source);
    rmSync(join(root, 'a'), { recursive: true, force: true });

    const engine = openDir('b');
    await runRestore(engine, { folder: join(root, 'backup'), allowForeign: true }, testJobContext());
    expect(localBase(engine)).toBe(join(root, 'b', 'storage'));
    expect(existsSync(join(root, 'b', 'storage', 'app', 'todos', 'batch-0.parquet'))).toBe(true);
    // Nothing was written into the backed-up directory's folder.
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(titles(engine)).toEqual(['cold 1', 'cold 2', 'cold 3', 'hot']);

    // And it stays there after a restart.
    close(engine);
    const reopened = openDir('b');
    expect(localBase(reopened)).toBe(join(root, 'b', 'storage'));
    expect(titles(reopened)).toEqual(['cold 1', 'cold 2', 'cold 3', 'hot']);
  });

  it('keeps a base directory a user set in the backed-up database only where this database uses it and the user confirms it', async () => {
    const custom = join(root, 'custom-storage');
    const source = openDir('a');
    source.system.storages.update(LOCAL_STORAGE_ID, (s) => ({ ...s, base_directory: custom }));
    source.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
    source.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
    source.data.shared(T).insertRow(SYSTEM_SUBJECT, { id: 1, title: 'cold 1', done: false, note: null });
    await runFlush(source, { table: 'app.todos' }, testJobContext());
    await runBackup(source, { folder: join(root, 'backup') }, testJobContext());
    close(source);
    rmSync(custom, { recursive: true, force: true });

    // A folder this database does not use: confined to this data directory (restore-hostile.test.ts has more).
    const engine = openDir('b');
    await runRestore(engine, { folder: join(root, 'backup'), allowForeign: true }, testJobContext());
    expect(localBase(engine)).toBe(join(root, 'b', 'storage'));
    expect(existsSync(custom)).toBe(false);
    expect(titles(engine)).toEqual(['cold 1']);

    // This database's local points there too, and the user confirmed it.
    const other = openDir('c');
    other.system.storages.update(LOCAL_STORAGE_ID, (s) => ({ ...s, base_directory: custom }));
    await runRestore(other, { folder: join(root, 'backup'), allowForeign: true, confirmedDirectories: [custom] }, testJobContext());
    expect(localBase(other)).toBe(custom);
    expect(titles(other)).toEqual(['cold 1']);
  });
});
