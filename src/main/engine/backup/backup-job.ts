import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Engine } from '../engine';
import { JobCancelledError, type JobContext, throwIfCancelled } from '../jobs/job-context';
import { schemaVersion } from '../migrations';
import { mkdirPrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { SystemTables } from '../system/system-tables';
import { appVersion } from './app-version';
import {
  BACKUP_DATABASE,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_MANIFEST,
  type BackupFile,
  type BackupManifest,
  BackupRefusedError,
} from './backup-format';
import { CleanupJournal } from './cleanup-journal';
import { partitionCounts, tableSummary } from './database-summary';
import { copyHashed, hashFile, syncDir } from './file-copy';
import { PhaseProgress } from './progress';
import { backupPathOf, referencedFiles } from './storage-files';

export interface BackupParams {
  /** The backup folder to create; it must not exist yet (or be an empty folder). */
  readonly folder: string;
}

export interface BackupResult {
  readonly folder: string;
  readonly files: number;
  readonly bytes: number;
  readonly manifest: BackupManifest;
}

async function assertFreeTarget(folder: string): Promise<void> {
  let entries: string[];
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) throw new BackupRefusedError(`${folder} already exists and is not a folder`);
    entries = await readdir(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length > 0) throw new BackupRefusedError(`${folder} already exists and is not empty; choose a new folder for the backup`);
}

/**
 * Snapshot of the live database into `path` (see SqliteBackend.snapshotTo: writes meanwhile, this
 * job's own progress among them, cannot restart it), with its progress in bytes.
 */
async function snapshotDatabase(engine: Engine, path: string, ctx: JobContext): Promise<void> {
  let progress: PhaseProgress | undefined;
  await engine.backend.snapshotTo(path, (copied, total) => {
    if (ctx.signal.aborted) throw new JobCancelledError();
    progress ??= new PhaseProgress(ctx, 'database', total, 'bytes');
    progress.set(copied);
  });
  progress?.finish();
}

/**
 * A consistent backup of the whole database into a new folder: the SQLite database (online backup
 * API, so the app keeps running) and every Parquet file its system.manifest references, with
 * backup-manifest.json (format and app version, time, instance id, SHA-256 and size of each file,
 * rows per table). Everything is written to a temporary sibling folder that is renamed into place
 * at the end, so a folder with a manifest is always complete; cancel or failure removes it, and a
 * crash leaves it to recoverBackupRestore().
 */
export async function runBackup(engine: Engine, params: BackupParams, ctx: JobContext): Promise<BackupResult> {
  const folder = resolve(params.folder);
  await assertFreeTarget(folder);
  await mkdirPrivate(dirname(folder));
  const id = randomUUID();
  const temp = join(dirname(folder), `.${basename(folder)}.partial-${id.slice(0, 8)}`);
  const journal = new CleanupJournal(engine.backend);
  const journalId = `backup:${id}`;
  journal.set(journalId, [temp], engine.now());
  try {
    await mkdir(temp, { mode: PRIVATE_DIR_MODE });
    const createdAt = engine.now();
    const dbPath = join(temp, BACKUP_DATABASE);
    await snapshotDatabase(engine, dbPath, ctx);

    // Which storage files, and the row counts, come from the snapshot: they match it exactly.
    const snapshot = new SqliteBackend(dbPath, { readonly: true });
    let storageFiles;
    let partitions;
    let tables;
    let schema;
    try {
      const system = new SystemTables(snapshot);
      storageFiles = referencedFiles(system);
      partitions = partitionCounts(snapshot);
      tables = tableSummary(snapshot, system);
      schema = schemaVersion(snapshot);
    } finally {
      snapshot.close();
    }

    const files: BackupFile[] = [];
    const dbHash = await hashFile(dbPath, () => {}, ctx.signal);
    files.push({ path: BACKUP_DATABASE, ...dbHash });

    const sizes = await Promise.all(
      storageFiles.map(async (f) => {
        try {
          return (await stat(f.absolute)).size;
        } catch {
          throw new BackupRefusedError(`storage file ${f.absolute} (of ${f.entry.namespace_id}.${f.entry.table_name}) is missing; the storage is damaged`);
        }
      }),
    );
    const copying = new PhaseProgress(
      ctx,
      'files',
      sizes.reduce((a, b) => a + b, 0),
      'bytes',
    );
    for (const f of storageFiles) {
      throwIfCancelled(ctx);
      const path = backupPathOf(f.storageId, f.filePath);
      const copied = await copyHashed(f.absolute, join(temp, ...path.split('/')), (n) => copying.add(n), ctx.signal);
      files.push({ path, ...copied });
    }
    copying.finish();
    throwIfCancelled(ctx);

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      app_version: appVersion(),
      schema_version: schema,
      created_at: createdAt,
      instance_id: engine.instanceId,
      files,
      partitions,
      tables,
    };
    const manifestPath = join(temp, BACKUP_MANIFEST);
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    const fh = await open(manifestPath, 'r+');
    await fh.sync();
    await fh.close();
    await syncDir(temp);

    throwIfCancelled(ctx);
    // An empty target folder (accepted above) gives way to the finished one.
    await rmdir(folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(temp, folder);
    await syncDir(dirname(folder));
    journal.clear(journalId);
    return { folder, files: files.length, bytes: files.reduce((a, f) => a + f.size, 0), manifest };
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    journal.clear(journalId);
    throw e;
  }
}
