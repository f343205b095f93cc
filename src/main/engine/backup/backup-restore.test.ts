import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TableIdKey } from '../../../shared/keys/table-id';
import { ADMIN } from '../tables/testing.test-support';
import type { Engine } from '../engine';
import { JobCancelledError } from '../jobs/job-context';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { PinnedReader } from '../storage/sqlite/sqlite.test-support';
import { runBackup } from './backup-job';
import { BACKUP_MANIFEST, BackupManifestSchema, BackupRefusedError } from './backup-format';
import { CleanupJournal, recoverBackupRestore } from './cleanup-journal';
import { checkBackup } from './backup-check';
import { runRestore } from './restore-job';
import { addSegment, ARCHIVE, ensureTables, fingerprint, openDataDir, SHARED, testContext, writeShared } from './testing.test-support';

let root: string;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'kalam-backup-'));
  dataDir = join(root, 'data');
  engine = openDataDir(dataDir);
  ensureTables(engine);
  writeShared(engine, 0, 200, 'old');
  await addSegment(engine, ARCHIVE, 0, 'segment zero, before the backup');
});

afterEach(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

const visible = (e: Engine) => e.data.provider(TableIdKey.parse(SHARED)).count(ADMIN);

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(BackupRefusedError);
  expect((e as Error).message).toMatch(message);
}

describe('backup', () => {
  it('writes the database, the storage files and a manifest with checksums and row counts', async () => {
    const ctx = testContext();
    const folder = join(root, 'b1');
    const result = await runBackup(engine, { folder }, ctx);
    const manifest = BackupManifestSchema.parse(JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')));
    expect(manifest.instance_id).toBe(engine.instanceId);
    expect(manifest.files.map((f) => f.path)).toEqual(['kalam.sqlite', 'storages/local/app/archive/batch-0.parquet']);
    expect(manifest.partitions['data.app.notes']).toBe(200);
    expect(manifest.tables.find((t) => t.table === SHARED)).toMatchObject({ hot_rows: 200, cold_rows: 0 });
    expect(manifest.tables.find((t) => t.table === ARCHIVE)).toMatchObject({ hot_rows: 0, cold_rows: 1 });
    expect(result.files).toBe(2);
    // The snapshot is a standalone database that passes its integrity check.
    const db = new SqliteBackend(join(folder, 'kalam.sqlite'), { readonly: true });
    expect(db.integrityCheck()).toEqual(['ok']);
    expect(db.count('data.app.notes')).toBe(200);
    db.close();
    expect(ctx.progress.some((p) => p.phase === 'database')).toBe(true);
    // Nothing else next to it: the temporary folder was renamed.
    expect(readdirSync(root).sort()).toEqual(['b1', 'data']);
  });

  it('refuses a folder that is not empty', async () => {
    const folder = join(root, 'full');
    await runBackup(engine, { folder }, testContext());
    await refused(runBackup(engine, { folder }, testContext()), /not empty/);
  });

  it.each(['database', 'files'])('cancelled in its %s phase, leaves no folder behind', async (phase) => {
    const ctx = testContext();
    const folder = join(root, 'cancelled');
    await expect(
      runBackup(engine, { folder }, { signal: ctx.signal, report: (p) => void (p.phase === phase && ctx.controller.abort()) }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(readdirSync(root)).toEqual(['data']);
    expect([...new CleanupJournal(engine.backend).entries()]).toEqual([]);
  });

  it('cancelled, leaves no folder behind', async () => {
    const ctx = testContext();
    ctx.controller.abort();
    const folder = join(root, 'cancelled');
    await expect(runBackup(engine, { folder }, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(readdirSync(root)).toEqual(['data']);
  });
});

describe('restore', () => {
  it('brings the old data back while the engine stays open', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    const before = fingerprint(engine);
    const seqBefore = engine.sequence.last();

    // Change everything: rows, a new table, a new segment, a changed segment under the old name.
    writeShared(engine, 1000, 50, 'new');
    engine.data.shared(TableIdKey.parse(SHARED)).deleteRow(ADMIN, 3);
    engine.ddl.createTable(ADMIN, { namespace: 'app', name: 'later', type: 'shared', columns: [{ name: 'id', type: 'integer', primary_key: true }] });
    const later = await addSegment(engine, 'app.later', 0, 'made after the backup');
    expect(visible(engine)).toBe(249);
    let reloads = 0;
    engine.onReload(() => reloads++);
    const shared = engine.data.shared(TableIdKey.parse(SHARED));

    const result = await runRestore(engine, { folder }, testContext());
    expect(result.summary.tables.find((t) => t.table === SHARED)?.hot_rows).toBe(200);
    expect(fingerprint(engine)).toBe(before);
    expect(visible(engine)).toBe(200);
    expect(engine.system.tables.exists(TableIdKey.parse('app.later'))).toBe(false);
    expect(existsSync(later)).toBe(false);
    expect(reloads).toBe(1);
    // A store opened before the restore is refused rather than writing into stale assumptions.
    expect(() => shared.insertRow(ADMIN, { id: 5000, body: 'x' })).toThrow(/altered or re-created|open it again/);
    // The engine keeps working, and ids never go backwards.
    engine.data.shared(TableIdKey.parse(SHARED)).insertRow(ADMIN, { id: 5000, body: 'after restore' });
    expect(engine.data.shared(TableIdKey.parse(SHARED)).getRow(ADMIN, 5000)!._seq).toBeGreaterThan(seqBefore + 50);
    expect(readdirSync(dataDir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);
    // The restored database survives a reopen.
    engine.close();
    engine = openDataDir(dataDir);
    expect(visible(engine)).toBe(201);
  });

  it('puts a backup file beside a different file that took its name, and points the manifest at it', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    const before = fingerprint(engine);
    // Drop the segment and write a different one under the same name (a later flush reusing batch 0).
    const entry = [...engine.system.manifest.scan()][0]![1];
    engine.system.manifest.delete(engine.system.manifest.keyOf(entry));
    const path = await addSegment(engine, ARCHIVE, 0, 'a different segment zero');
    await runRestore(engine, { folder }, testContext());
    expect(fingerprint(engine)).toBe(before);
    const restored = [...engine.system.manifest.scan()][0]![1];
    expect(restored.file_path).toMatch(/batch-0\.restored-[0-9a-f]{8}\.parquet$/);
    // The different file belonged only to the replaced data: it is gone.
    expect(existsSync(path)).toBe(false);
  });

  describe('refuses, leaving the current data untouched', () => {
    let folder: string;
    let current: string;
    beforeEach(async () => {
      folder = join(root, 'b');
      await runBackup(engine, { folder }, testContext());
      writeShared(engine, 1000, 10, 'new');
      current = fingerprint(engine);
    });
    afterEach(() => {
      expect(fingerprint(engine)).toBe(current);
      expect(readdirSync(dataDir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);
    });

    it('a missing manifest', async () => {
      rmSync(join(folder, BACKUP_MANIFEST));
      await refused(runRestore(engine, { folder }, testContext()), /not a Kalam Studio backup: backup-manifest.json is missing/);
      await refused(checkBackup(engine, { folder }, testContext()), /missing/);
    });

    it('a folder that does not exist', async () => {
      await refused(runRestore(engine, { folder: join(root, 'nope') }, testContext()), /missing/);
    });

    it('a manifest that is not JSON', async () => {
      writeFileSync(join(folder, BACKUP_MANIFEST), '{"format": "kalam');
      await refused(runRestore(engine, { folder }, testContext()), /corrupt \(not valid JSON\)/);
    });

    it('a corrupt checksum', async () => {
      const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { files: { sha256: string }[] };
      m.files[0]!.sha256 = '0'.repeat(64);
      writeFileSync(join(folder, BACKUP_MANIFEST), JSON.stringify(m));
      await refused(runRestore(engine, { folder }, testContext()), /checksum of kalam.sqlite does not match/);
    });

    it('a changed storage file of the same size', async () => {
      const file = join(folder, 'storages/local/app/archive/batch-0.parquet');
      const bytes = readFileSync(file);
      bytes[0] = bytes[0]! ^ 0xff;
      writeFileSync(file, bytes);
      await refused(runRestore(engine, { folder }, testContext()), /checksum of storages\/local\/app\/archive\/batch-0.parquet/);
    });

    it('a truncated database file', async () => {
      truncateSync(join(folder, 'kalam.sqlite'), 4096);
      await refused(runRestore(engine, { folder }, testContext()), /kalam.sqlite has 4096 bytes.*truncated/);
    });

    it('a database that fails its integrity check even though the manifest matches it', async () => {
      // Damage a page in the middle and update the manifest, as a bad disk plus a careless copy might.
      const dbFile = join(folder, 'kalam.sqlite');
      const bytes = readFileSync(dbFile);
      for (let i = 4096 * 2; i < 4096 * 3; i++) bytes[i] = 0x5a;
      writeFileSync(dbFile, bytes);
      const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { files: { sha256: string }[] };
      m.files[0]!.sha256 = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
      writeFileSync(join(folder, BACKUP_MANIFEST), JSON.stringify(m));
      await refused(runRestore(engine, { folder }, testContext()), /backup's database (is corrupt|fails its integrity check|cannot be opened)/);
    });

    it('a foreign backup (another database)', async () => {
      const otherDir = join(root, 'other');
      const other = openDataDir(otherDir);
      await runBackup(other, { folder: join(root, 'foreign') }, testContext());
      other.close();
      await refused(runRestore(engine, { folder: join(root, 'foreign') }, testContext()), /of another database/);
      await refused(checkBackup(engine, { folder: join(root, 'foreign') }, testContext()), /of another database/);
    });

    it('a newer format', async () => {
      const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { format_version: number };
      m.format_version = 99;
      writeFileSync(join(folder, BACKUP_MANIFEST), JSON.stringify(m));
      await refused(runRestore(engine, { folder }, testContext()), /format version 99, newer than this build/);
    });

    it('row counts that do not match the manifest', async () => {
      const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { partitions: Record<string, number> };
      m.partitions['data.app.notes'] = 199;
      writeFileSync(join(folder, BACKUP_MANIFEST), JSON.stringify(m));
      await refused(runRestore(engine, { folder }, testContext()), /data.app.notes has 200 rows, the manifest says 199/);
    });

    it('a manifest path that escapes the folder', async () => {
      const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { files: { path: string }[] };
      m.files[1]!.path = '../../etc/passwd';
      writeFileSync(join(folder, BACKUP_MANIFEST), JSON.stringify(m));
      await refused(runRestore(engine, { folder }, testContext()), /corrupt or not a Kalam Studio backup: files.1.path/);
    });

    it.each(['verifying', 'placing files'])('when cancelled in its %s phase', async (phase) => {
      // A segment the live data lacks, so the restore has a file to place.
      const entry = [...engine.system.manifest.scan()][0]![1];
      engine.system.manifest.delete(engine.system.manifest.keyOf(entry));
      rmSync(join(dataDir, 'storage', entry.file_path));
      current = fingerprint(engine);
      const ctx = testContext();
      await expect(
        runRestore(engine, { folder }, { signal: ctx.signal, report: (p) => void (p.phase === phase && ctx.controller.abort()) }),
      ).rejects.toBeInstanceOf(JobCancelledError);
      expect(existsSync(join(dataDir, 'storage', entry.file_path))).toBe(false);
      expect([...new CleanupJournal(engine.backend).entries()]).toEqual([]);
    });

    it('when cancelled before the swap', async () => {
      const ctx = testContext();
      ctx.controller.abort();
      await expect(runRestore(engine, { folder }, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    });
  });

  it('a foreign backup is restored when allowed, and the instance id follows it', async () => {
    const other = openDataDir(join(root, 'other'));
    const otherId = other.instanceId;
    await runBackup(other, { folder: join(root, 'foreign') }, testContext());
    other.close();
    await runRestore(engine, { folder: join(root, 'foreign'), allowForeign: true }, testContext());
    expect(engine.instanceId).toBe(otherId);
    expect(engine.system.tables.exists(TableIdKey.parse(SHARED))).toBe(false);
  });

  it('runs while another connection reads, which keeps its snapshot until it finishes', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    writeShared(engine, 1000, 100, 'new');
    const reader = new PinnedReader(join(dataDir, 'kalam.sqlite'));
    reader.begin();
    expect(reader.count('data.app.notes')).toBe(300);
    await runRestore(engine, { folder }, testContext());
    // The open read transaction still sees its snapshot; a new one sees the restored data.
    expect(reader.count('data.app.notes')).toBe(300);
    reader.commit();
    expect(reader.count('data.app.notes')).toBe(200);
    expect(reader.integrityCheck()).toEqual(['ok']);
    reader.close();
  });

  it('startup recovery removes what a dead process left', async () => {
    const folder = join(root, 'b');
    await runBackup(engine, { folder }, testContext());
    const staging = join(dataDir, 'restore-staging-deadbeef');
    writeFileSync(join(dataDir, 'x'), '');
    rmSync(join(dataDir, 'x'));
    const journal = new CleanupJournal(engine.backend);
    (await import('node:fs')).mkdirSync(staging);
    journal.set('restore:dead', [staging], 0);
    // Pretend it was another, dead process.
    const raw = engine.backend.get('engine.cleanup', new TextEncoder().encode('restore:dead'))!;
    const entry = JSON.parse(new TextDecoder().decode(raw)) as { pid: number };
    entry.pid = 2 ** 22 + 12345;
    engine.backend.put('engine.cleanup', new TextEncoder().encode('restore:dead'), new TextEncoder().encode(JSON.stringify(entry)));
    expect(await recoverBackupRestore(engine)).toEqual([staging]);
    expect(existsSync(staging)).toBe(false);
  });
});
