/**
 * Crafted backups (issue 12 §1, §5): an attacker who hands someone a backup folder controls its
 * database (system.storages, system.manifest, table names), its files and its manifest, and
 * recomputes every checksum and row count. A restore must refuse such a backup or confine it to
 * the data directory: a walk of a sandbox folder that holds the data directory, the backups and
 * the "victim" folders shows that nothing outside the data directory was written, changed or
 * deleted.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageId } from '../../../shared/keys/storage-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { Engine } from '../engine';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { addRawTable, useRollbackJournal } from '../storage/sqlite/sqlite.test-support';
import { SystemTables } from '../system/system-tables';
import { ADMIN } from '../tables/testing.test-support';
import { checkBackup } from './backup-check';
import { runBackup } from './backup-job';
import { BACKUP_MANIFEST, BackupRefusedError } from './backup-format';
import { CleanupJournal } from './cleanup-journal';
import { partitionCounts } from './database-summary';
import { runRestore } from './restore-job';
import { referencedPaths } from './storage-files';
import { addSegment, ARCHIVE, ensureTables, fingerprint, openDataDir, testContext, writeShared } from './testing.test-support';

let root: string;
let dataDir: string;
let victim: string;
let engine: Engine;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'kalam-hostile-'));
  dataDir = join(root, 'data');
  victim = join(root, 'victim');
  // The folders an attacker would like to write into: a home folder with .ssh, a storage folder of someone else's.
  mkdirSync(join(victim, '.ssh'), { recursive: true });
  writeFileSync(join(victim, '.ssh', 'known_hosts'), 'github.com ssh-ed25519 AAAA\n');
  mkdirSync(join(victim, 'app', 'archive'), { recursive: true });
  writeFileSync(join(victim, 'app', 'archive', 'manifest.json'), '{"format":1,"table":"someone else\'s"}\n');
  engine = openDataDir(dataDir);
  ensureTables(engine);
  writeShared(engine, 0, 20, 'old');
  await addSegment(engine, ARCHIVE, 0, 'segment zero');
});

afterEach(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

/** Every entry under `dir` (links not followed): a file by its bytes and mode, a link by its target, a folder by its mode. */
function walk(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const s = lstatSync(path);
      const rel = relative(root, path);
      if (s.isSymbolicLink()) out.set(rel, `link ${readlinkSync(path)}`);
      else if (s.isDirectory()) {
        out.set(rel, `dir ${s.mode}`);
        visit(path);
      } else out.set(rel, `file ${s.mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  visit(dir);
  return out;
}

/** What changed in the sandbox since `before` outside the data directory (created, changed or deleted entries). */
function changedOutsideData(before: Map<string, string>): string[] {
  const after = walk(root);
  const inData = (rel: string) => rel === 'data' || rel.startsWith(`data${sep}`);
  const out: string[] = [];
  for (const [rel, what] of after) if (!inData(rel) && before.get(rel) !== what) out.push(`${before.has(rel) ? 'changed' : 'created'} ${rel}`);
  for (const rel of before.keys()) if (!inData(rel) && !after.has(rel)) out.push(`deleted ${rel}`);
  return out.sort();
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Rewrites a backup's manifest as an attacker would: every file of the folder listed, checksums, sizes and row counts recomputed. */
function resign(folder: string, partitions?: Record<string, number>): void {
  const manifestPath = join(folder, BACKUP_MANIFEST);
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: { path: string; size: number; sha256: string }[]; partitions: Record<string, number> };
  const files = (readdirSync(folder, { recursive: true }) as string[])
    .map((p) => p.split(sep).join('/'))
    .filter((p) => p !== BACKUP_MANIFEST && lstatSync(join(folder, p)).isFile())
    .sort((a, b) => (a === 'kalam.sqlite' ? -1 : b === 'kalam.sqlite' ? 1 : a.localeCompare(b)));
  m.files = files.map((path) => ({ path, size: lstatSync(join(folder, path)).size, sha256: sha256(join(folder, path)) }));
  if (partitions) m.partitions = partitions;
  else {
    const backend = new SqliteBackend(join(folder, 'kalam.sqlite'), { readonly: true });
    m.partitions = partitionCounts(backend);
    backend.close();
  }
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));
}

/** Edits a backup's database through the engine's own stores (validated writes), then re-signs the manifest. */
function craft(folder: string, edit: (system: SystemTables) => void): void {
  const backend = new SqliteBackend(join(folder, 'kalam.sqlite'));
  try {
    edit(new SystemTables(backend));
    useRollbackJournal(backend);
  } finally {
    backend.close();
  }
  resign(folder);
}

/** A filesystem storage row. */
function storageRow(id: string, base: string) {
  return {
    storage_id: id as StorageId,
    storage_name: id,
    description: null,
    storage_type: 'filesystem' as const,
    base_directory: base,
    shared_tables_template: '{namespace}/{tableName}',
    user_tables_template: '{namespace}/{tableName}/{userId}',
    created_at: 1,
    updated_at: 1,
  };
}

/** Moves app.archive to storage `id` (in a backup's database or a live one). */
function moveArchive(system: SystemTables, id: string): void {
  system.tables.update(TableIdKey.parse(ARCHIVE), (t) => ({ ...t, storage_id: id as StorageId }));
}

/** The backup of another database (an attacker's), for restores with allowForeign. */
async function foreignBackup(name: string): Promise<string> {
  const other = openDataDir(join(root, `${name}-source`));
  ensureTables(other);
  await addSegment(other, ARCHIVE, 0, 'the attacker segment');
  const folder = join(root, name);
  await runBackup(other, { folder }, testContext());
  other.close();
  rmSync(join(root, `${name}-source`), { recursive: true, force: true });
  return folder;
}

async function refusal(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(BackupRefusedError);
  return e as Error;
}

/** Restoring `folder` is refused, at the check already (before any confirmation) and by the job, and the sandbox outside the data directory is unchanged. */
async function expectRefused(folder: string, message: RegExp, options: { allowForeign?: boolean } = {}): Promise<void> {
  const before = walk(root);
  const current = fingerprint(engine);
  expect((await refusal(checkBackup(engine, { folder, ...options }, testContext()))).message).toMatch(message);
  expect((await refusal(runRestore(engine, { folder, ...options }, testContext()))).message).toMatch(message);
  expect(changedOutsideData(before)).toEqual([]);
  expect(fingerprint(engine)).toBe(current);
  expect(readdirSync(dataDir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);
  expect([...new CleanupJournal(engine.backend).entries()]).toEqual([]);
}

describe('a crafted backup never writes outside the data directory', () => {
  it('a foreign storage folder with a .ssh/authorized_keys segment, checksums recomputed, allowForeign: refused', async () => {
    const folder = await foreignBackup('evil');
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker attacker@evil\n';
    mkdirSync(join(folder, 'storages', 'evil', '.ssh'), { recursive: true });
    writeFileSync(join(folder, 'storages', 'evil', '.ssh', 'authorized_keys'), key);
    craft(folder, (system) => {
      system.storages.insert(storageRow('evil', victim));
      moveArchive(system, 'evil');
      const entry = [...system.manifest.scan()][0]![1];
      system.manifest.update(system.manifest.keyOf(entry), (e) => ({ ...e, file_path: '.ssh/authorized_keys', size_bytes: key.length }));
    });
    await expectRefused(folder, /records the storage file path "\.ssh\/authorized_keys" .*which is not a \.parquet file/, { allowForeign: true });
    expect(existsSync(join(victim, '.ssh', 'authorized_keys'))).toBe(false);
  });

  it('a foreign storage folder with valid segments, allowForeign: the summary says why, and the files are confined to the data directory', async () => {
    const folder = await foreignBackup('evil');
    // The segment moves with its table to a storage whose folder is the victim's (a manifest.json is already there).
    cpSync(join(folder, 'storages', 'local'), join(folder, 'storages', 'evil'), { recursive: true });
    rmSync(join(folder, 'storages', 'local'), { recursive: true });
    craft(folder, (system) => {
      system.storages.insert(storageRow('evil', victim));
      moveArchive(system, 'evil');
    });
    const before = walk(root);

    const summary = await checkBackup(engine, { folder, allowForeign: true }, testContext());
    const confined = join(dataDir, 'restored-storages', 'evil');
    expect(summary.storages.find((s) => s.storage_id === 'evil')).toEqual({
      storage_id: 'evil',
      backup_directory: victim,
      directory: confined,
      confirmable: false,
      reason: `${victim} is outside the data directory and is not a storage folder of this database, so its files go to ${confined}`,
      files: 1,
      bytes: expect.any(Number) as number,
    });
    // Confirming the victim's folder is refused: it is no storage folder of this database.
    expect((await refusal(runRestore(engine, { folder, allowForeign: true, confirmedDirectories: [victim] }, testContext()))).message).toMatch(
      /was confirmed, but no storage of this backup can be restored there/,
    );

    await runRestore(engine, { folder, allowForeign: true }, testContext());
    expect(changedOutsideData(before)).toEqual([]);
    expect(engine.system.storages.get('evil' as StorageId)?.base_directory).toBe(confined);
    expect(existsSync(join(confined, 'app', 'archive', 'batch-0.parquet'))).toBe(true);
    // The confined segment is read like any other.
    expect(engine.data.provider(TableIdKey.parse(ARCHIVE)).count(ADMIN)).toBe(1);
  });

  it('a storage file path with "..", or absolute: refused', async () => {
    for (const path of ['../../victim/app/archive/batch-0.parquet', 'app/../../../victim/x.parquet', `${victim}/x.parquet`]) {
      const folder = join(root, `dots-${createHash('sha256').update(path).digest('hex').slice(0, 6)}`);
      await runBackup(engine, { folder }, testContext());
      craft(folder, (system) => {
        const entry = [...system.manifest.scan()][0]![1];
        system.manifest.update(system.manifest.keyOf(entry), (e) => ({ ...e, file_path: path }));
      });
      await expectRefused(folder, /records the storage file path .*which (contains "\.\."|is absolute)/);
    }
    // Also for a segment of a table that does not exist (yet): one created later under its name would read it.
    const folder = join(root, 'dots-orphan');
    await runBackup(engine, { folder }, testContext());
    craft(folder, (system) => {
      const entry = [...system.manifest.scan()][0]![1];
      system.manifest.insert({ ...entry, table_name: 'ghost' as never, file_path: '../../victim/.ssh/x.parquet' });
    });
    await expectRefused(folder, /records the storage file path "\.\.\/\.\.\/victim\/\.ssh\/x\.parquet" \(of app\.ghost\), which contains "\.\."/);
  });

  it('a symbolic link in the backup folder (a folder, or the database): refused', async () => {
    const folder = join(root, 'linked');
    await runBackup(engine, { folder }, testContext());
    // The same bytes, reached through a link to a folder outside the backup.
    const outside = join(root, 'elsewhere');
    cpSync(join(folder, 'storages', 'local', 'app'), outside, { recursive: true });
    rmSync(join(folder, 'storages', 'local', 'app'), { recursive: true });
    symlinkSync(outside, join(folder, 'storages', 'local', 'app'));
    await expectRefused(folder, /storages\/local\/app\/archive\/batch-0\.parquet goes through a symbolic link/);

    const db = join(root, 'linked-db');
    await runBackup(engine, { folder: db }, testContext());
    cpSync(join(db, 'kalam.sqlite'), join(root, 'db-elsewhere.sqlite'));
    rmSync(join(db, 'kalam.sqlite'));
    symlinkSync(join(root, 'db-elsewhere.sqlite'), join(db, 'kalam.sqlite'));
    await expectRefused(db, /kalam\.sqlite goes through a symbolic link/);
  });

  it('a symbolic link at the destination inside the data directory: refused, nothing written through it', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    // The live segment is gone, so a restore must place it; its folder now leads to the victim's.
    const entry = [...engine.system.manifest.scan()][0]![1];
    engine.system.manifest.delete(engine.system.manifest.keyOf(entry));
    rmSync(join(dataDir, 'storage', 'app', 'archive'), { recursive: true });
    symlinkSync(join(victim, 'app', 'archive'), join(dataDir, 'storage', 'app', 'archive'));
    await expectRefused(folder, /the destination goes through a symbolic link/);
  });

  it('a non-Parquet file under a .parquet name, checksum recomputed: refused', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    writeFileSync(join(folder, 'storages', 'local', 'app', 'archive', 'batch-0.parquet'), '#!/bin/sh\necho pwned\n');
    resign(folder);
    await expectRefused(folder, /storages\/local\/app\/archive\/batch-0\.parquet is not a valid Parquet segment: it does not start like a Parquet file/);
  });

  it('a file beside the database in the manifest (a WAL the checks would read): refused', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    writeFileSync(join(folder, 'kalam.sqlite-wal'), 'not a WAL');
    resign(folder);
    await expectRefused(folder, /kalam\.sqlite-wal is neither the database nor under storages\//);
  });

  it('a table whose name is no partition name ("p_zz" AS "q"): refused at the check, before any SQL uses it', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    addRawTable(join(folder, 'kalam.sqlite'), 'p_zz');
    addRawTable(join(folder, 'kalam.sqlite'), 'p_zz" AS "q');
    const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { partitions: Record<string, number> };
    resign(folder, { ...m.partitions, zz: 0, 'zz" AS "q': 0 });
    await expectRefused(
      folder,
      /the backup's database is refused: the database holds a table named "p_zz\\" AS \\"q", which is not a partition of this engine/,
    );
  });
});

describe("stale files and this database's own storage folders", () => {
  /** A storage of the live database outside the data directory, holding app.archive's segment. */
  async function configuredStorage(dir: string): Promise<string> {
    engine.system.storages.insert(storageRow('ext', dir));
    moveArchive(engine.system, 'ext');
    const entry = [...engine.system.manifest.scan()][0]![1];
    engine.system.manifest.delete(engine.system.manifest.keyOf(entry));
    return addSegment(engine, ARCHIVE, 0, 'segment zero, in ext');
  }

  it('an ordinary restore never deletes or rewrites files outside the data directory that only the replaced data referenced', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    // Since the backup, app.archive's files went to the victim's folder (as an earlier crafted restore could have made them).
    const planted = await configuredStorage(victim);
    writeFileSync(join(victim, 'app', 'archive', 'manifest.json'), '{"format":1,"table":"someone else\'s"}\n');
    const before = walk(root);
    await runRestore(engine, { folder }, testContext());
    expect(changedOutsideData(before)).toEqual([]);
    expect(existsSync(planted)).toBe(true);
    expect(engine.system.storages.get('ext' as StorageId)).toBeUndefined();
  });

  it('a folder of a storage of this database is used only once the user confirmed it', async () => {
    const configured = join(root, 'configured');
    const livePath = await configuredStorage(configured);
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    const confined = join(dataDir, 'restored-storages', 'ext');
    const summary = await checkBackup(engine, { folder }, testContext());
    expect(summary.storages.find((s) => s.storage_id === 'ext')).toMatchObject({
      backup_directory: configured,
      directory: confined,
      confirmable: true,
      reason: `${configured} is outside the data directory, in the folder of a storage of this database (${configured}): its files go there only if you confirm it, otherwise to ${confined}`,
    });
    // The segment is gone from the live folder, so the restore must write one.
    rmSync(livePath);
    const template = join(root, 'template');
    engine.close();
    cpSync(dataDir, template, { recursive: true });
    engine = openDataDir(dataDir);

    // Not confirmed: restored under the data directory, the configured folder untouched.
    let before = walk(root);
    await runRestore(engine, { folder }, testContext());
    expect(changedOutsideData(before)).toEqual([]);
    expect(engine.system.storages.get('ext' as StorageId)?.base_directory).toBe(confined);
    expect(existsSync(join(confined, 'app', 'archive', 'batch-0.parquet'))).toBe(true);

    // Confirmed: restored into it; nothing else outside the data directory changes.
    engine.close();
    rmSync(dataDir, { recursive: true });
    cpSync(template, dataDir, { recursive: true });
    engine = openDataDir(dataDir);
    before = walk(root);
    await runRestore(engine, { folder, confirmedDirectories: [configured] }, testContext());
    expect(changedOutsideData(before).filter((c) => !c.startsWith(`created ${join('configured', 'app', 'archive')}`))).toEqual([]);
    expect(changedOutsideData(before)).toContain(`created ${join('configured', 'app', 'archive', 'batch-0.parquet')}`);
    expect(engine.system.storages.get('ext' as StorageId)?.base_directory).toBe(configured);
    expect(engine.data.provider(TableIdKey.parse(ARCHIVE)).count(ADMIN)).toBe(1);
  });
});

describe('the local storage of a backup made elsewhere', () => {
  it('pointed by its user at a folder this database does not use: restored into this data directory, and follows it again', async () => {
    const folder = await foreignBackup('moved');
    const custom = join(root, 'custom-storage');
    craft(folder, (system) => system.storages.update('local' as StorageId, (s) => ({ ...s, base_directory: custom })));
    const summary = await checkBackup(engine, { folder, allowForeign: true }, testContext());
    expect(summary.storages.find((s) => s.storage_id === 'local')).toMatchObject({
      backup_directory: custom,
      directory: join(dataDir, 'storage'),
      confirmable: false,
    });
    const before = walk(root);
    await runRestore(engine, { folder, allowForeign: true }, testContext());
    expect(changedOutsideData(before)).toEqual([]);
    expect(engine.system.storages.get('local' as StorageId)?.base_directory).toBe(join(dataDir, 'storage'));
    // Its segment sits beside this database's own (same name, other bytes: a fresh name).
    const [segment] = referencedPaths(engine.system);
    expect(segment).toMatch(new RegExp(`^${join(dataDir, 'storage', 'app', 'archive', 'batch-0.restored-')}[0-9a-f]{8}\\.parquet$`));
    expect(existsSync(segment!)).toBe(true);
    // A move of the data directory takes local along again.
    engine.close();
    const moved = join(root, 'data-moved');
    cpSync(dataDir, moved, { recursive: true });
    engine = openDataDir(moved);
    expect(engine.system.storages.get('local' as StorageId)?.base_directory).toBe(join(moved, 'storage'));
  });
});
