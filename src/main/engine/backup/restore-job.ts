import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { link, readFile, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import type { Engine } from '../engine';
import { readInstanceId } from '../instance-id';
import { type JobContext, throwIfCancelled, TransientJobError } from '../jobs/job-context';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../migrations';
import { mkdirPrivate } from '../private-files';
import { SqliteBackend } from '../storage/sqlite-backend';
import { followedLocalBase } from '../system/storages/local-storage-root';
import { LOCAL_STORAGE_ID } from '../system/storages/storages-table';
import { SystemTables } from '../system/system-tables';
import {
  BACKUP_DATABASE,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_MANIFEST,
  type BackupFile,
  type BackupManifest,
  BackupManifestSchema,
  BackupRefusedError,
  type BackupTable,
} from './backup-format';
import { CleanupJournal } from './cleanup-journal';
import { partitionCounts } from './database-summary';
import { copyHashed, hashFile, syncDir } from './file-copy';
import { replaceDatabaseContent } from './partition-swap';
import { PhaseProgress } from './progress';
import { syncScopeManifests } from './scope-manifests';
import { backupPathOf, referencedFiles, referencedPaths, type StorageFile } from './storage-files';

/** What the UI shows before asking "restore this backup?". */
export interface BackupSummary {
  readonly folder: string;
  readonly createdAt: number;
  readonly appVersion: string;
  readonly schemaVersion: number;
  readonly instanceId: string;
  /** The backup is of another database (another lineage) than the one it was checked against. */
  readonly foreign: boolean;
  readonly tables: readonly BackupTable[];
  readonly files: number;
  readonly bytes: number;
}

export interface SummaryOptions {
  /** The current database's instance id: a backup of another one is refused unless allowForeign. */
  readonly instanceId?: string | undefined;
  readonly allowForeign?: boolean | undefined;
}

export interface RestoreParams {
  readonly folder: string;
  /** Restore a backup of another database (e.g. onto a new machine); its instance id is taken over. */
  readonly allowForeign?: boolean | undefined;
}

export interface RestoreResult {
  readonly summary: BackupSummary;
  /** Storage files copied into place (files already present with the same content are not copied). */
  readonly filesPlaced: number;
  /** Storage files of the replaced data, removed after the swap. */
  readonly filesRemoved: number;
}

async function readManifest(folder: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(folder, BACKUP_MANIFEST), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BackupRefusedError(`${folder} is not a Kalam Studio backup: ${BACKUP_MANIFEST} is missing`);
    }
    throw new BackupRefusedError(`cannot read ${join(folder, BACKUP_MANIFEST)}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefusedError(`the backup manifest ${join(folder, BACKUP_MANIFEST)} is corrupt (not valid JSON)`);
  }
  const head = json as { format?: unknown; format_version?: unknown };
  if (
    typeof head === 'object' &&
    head !== null &&
    head.format === BACKUP_FORMAT &&
    typeof head.format_version === 'number' &&
    head.format_version > BACKUP_FORMAT_VERSION
  ) {
    throw new BackupRefusedError(
      `the backup has format version ${head.format_version}, newer than this build reads (${BACKUP_FORMAT_VERSION}); update Kalam Studio`,
    );
  }
  const parsed = BackupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupRefusedError(
      `the backup manifest is corrupt or not a Kalam Studio backup: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  const m = parsed.data;
  if (m.files[0]?.path !== BACKUP_DATABASE) throw new BackupRefusedError(`the backup manifest is corrupt: its first file must be ${BACKUP_DATABASE}`);
  if (new Set(m.files.map((f) => f.path)).size !== m.files.length) throw new BackupRefusedError('the backup manifest is corrupt: it lists a file twice');
  if (m.schema_version > LATEST_SCHEMA_VERSION) {
    throw new BackupRefusedError(
      `the backup has schema version ${m.schema_version}, newer than this build supports (${LATEST_SCHEMA_VERSION}); update Kalam Studio`,
    );
  }
  return m;
}

/**
 * Reads and checks a backup folder's manifest (shape, format and schema version, lineage, every
 * file present with its recorded size) without reading file contents: fast enough for a
 * confirmation dialog. runRestore() checks every checksum before touching anything.
 */
export async function readBackupSummary(folder: string, options: SummaryOptions = {}): Promise<BackupSummary> {
  const dir = resolve(folder);
  const m = await readManifest(dir);
  const foreign = options.instanceId !== undefined && options.instanceId !== m.instance_id;
  if (foreign && !options.allowForeign) {
    throw new BackupRefusedError(
      `the backup in ${dir} is of another database (instance ${m.instance_id}, this one is ${options.instanceId}); restoring it would replace this database with a foreign one`,
    );
  }
  for (const f of m.files) {
    let size: number;
    try {
      size = (await stat(join(dir, ...f.path.split('/')))).size;
    } catch {
      throw new BackupRefusedError(`the backup is incomplete: ${f.path} is missing`);
    }
    if (size !== f.size) throw new BackupRefusedError(`the backup is corrupt: ${f.path} has ${size} bytes, the manifest says ${f.size} (truncated or changed)`);
  }
  return {
    folder: dir,
    createdAt: m.created_at,
    appVersion: m.app_version,
    schemaVersion: m.schema_version,
    instanceId: m.instance_id,
    foreign,
    tables: m.tables,
    files: m.files.length,
    bytes: m.files.reduce((a, f) => a + f.size, 0),
  };
}

/** Copies every file of the backup into the staging folder, checking each SHA-256 on the way. */
async function stageFiles(folder: string, staging: string, files: readonly BackupFile[], ctx: JobContext): Promise<void> {
  const progress = new PhaseProgress(
    ctx,
    'verifying',
    files.reduce((a, f) => a + f.size, 0),
  );
  for (const f of files) {
    throwIfCancelled(ctx);
    const copied = await copyHashed(join(folder, ...f.path.split('/')), join(staging, ...f.path.split('/')), (n) => progress.add(n), ctx.signal);
    if (copied.size !== f.size || copied.sha256 !== f.sha256) {
      throw new BackupRefusedError(`the backup is corrupt: the checksum of ${f.path} does not match its manifest`);
    }
  }
  progress.finish();
}

/** Opens the staged database read-only: integrity check, lineage and row counts against the manifest. */
function checkStagedDatabase(path: string, m: BackupManifest): void {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupRefusedError(`the backup's database cannot be opened: ${(e as Error).message}`);
  }
  try {
    let result: string[];
    try {
      result = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (e) {
      throw new BackupRefusedError(`the backup's database is corrupt: ${(e as Error).message}`);
    }
    if (result.length !== 1 || result[0] !== 'ok')
      throw new BackupRefusedError(`the backup's database fails its integrity check: ${result.slice(0, 3).join('; ')}`);
  } finally {
    db.close();
  }
  const backend = new SqliteBackend(path, { readonly: true });
  try {
    const instance = readInstanceId(backend);
    if (instance !== m.instance_id)
      throw new BackupRefusedError(`the backup's database is of instance ${instance ?? '(none)'}, its manifest says ${m.instance_id}`);
    const version = schemaVersion(backend);
    if (version !== m.schema_version)
      throw new BackupRefusedError(`the backup's database has schema version ${version}, its manifest says ${m.schema_version}`);
    const counts = partitionCounts(backend);
    const names = new Set([...Object.keys(counts), ...Object.keys(m.partitions)]);
    for (const name of names) {
      if (counts[name] !== m.partitions[name]) {
        throw new BackupRefusedError(
          `the backup's database does not match its manifest: ${name} has ${counts[name] ?? 'no'} rows, the manifest says ${m.partitions[name] ?? 'none'}`,
        );
      }
    }
  } finally {
    backend.close();
  }
}

interface Placement {
  readonly file: StorageFile;
  /** Inside the staging folder. */
  readonly from: string;
  /** Where it goes; undefined when an identical file is already there. */
  readonly to: string | undefined;
  /** A new file_path for its system.manifest entry, when a different file already holds the original name. */
  readonly rewrite: string | undefined;
}

/** Where each storage file of the staged database goes: its own path, or a fresh name beside a different file that holds it. */
async function planPlacements(stagedDb: string, staging: string, m: BackupManifest, tag: string, storageDirectory: string): Promise<Placement[]> {
  const inBackup = new Map(m.files.map((f) => [f.path, f]));
  const backend = new SqliteBackend(stagedDb, { readonly: true });
  let files: StorageFile[];
  try {
    const system = new SystemTables(backend);
    // Where local will point once the swap applied the rule (a backup of another data directory moves to this one).
    const local = followedLocalBase(backend, system.storages, storageDirectory);
    files = referencedFiles(system, new Map(local === undefined ? [] : [[LOCAL_STORAGE_ID, local]]));
  } finally {
    backend.close();
  }
  const out: Placement[] = [];
  for (const file of files) {
    const path = backupPathOf(file.storageId, file.filePath);
    const entry = inBackup.get(path);
    if (!entry) throw new BackupRefusedError(`the backup is incomplete: its database references ${path}, which the manifest does not list`);
    const from = join(staging, ...path.split('/'));
    let existing: { sha256: string } | undefined;
    try {
      existing = await hashFile(file.absolute);
    } catch {
      existing = undefined;
    }
    if (existing === undefined) out.push({ file, from, to: file.absolute, rewrite: undefined });
    else if (existing.sha256 === entry.sha256) out.push({ file, from, to: undefined, rewrite: undefined });
    else {
      const name = basename(file.filePath).replace(/(\.[^.]*)?$/, (ext) => `.restored-${tag}${ext}`);
      const rewrite = posix.join(posix.dirname(file.filePath.replaceAll('\\', '/')), name);
      out.push({ file, from, to: join(dirname(file.absolute), name), rewrite });
    }
  }
  return out;
}

/** Copies a staged file next to its target, then links it in place: an existing file is never overwritten. */
async function place(p: Placement, tmp: string, onBytes: (n: number) => void, signal: AbortSignal): Promise<void> {
  await mkdirPrivate(dirname(p.to!));
  await copyHashed(p.from, tmp, onBytes, signal);
  try {
    await link(tmp, p.to!);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new TransientJobError(`cannot restore ${p.to}: a file appeared there while restoring (a flush running at the same time?)`, { cause: e });
    }
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dirname(p.to!));
}

/**
 * Restores a backup while the app keeps running. Nothing live changes until every check passed:
 * manifest (zod), format, schema version and lineage; every file copied into a staging folder next
 * to the database with its SHA-256 checked; the staged database's integrity check, instance id and
 * row counts. Then the backup's storage files are put in place beside the live ones (a name taken
 * by a different file gets a fresh name), and one SQLite transaction replaces the content of every
 * partition (replaceDatabaseContent). Storage files only the replaced data used are removed after
 * the commit. The CleanupJournal entry follows each step, so a crash at any point leaves the old or
 * the restored data whole and recoverBackupRestore() removes the leftovers. Cancel works until the
 * swap begins.
 */
export async function runRestore(engine: Engine, params: RestoreParams, ctx: JobContext): Promise<RestoreResult> {
  const summary = await readBackupSummary(params.folder, { instanceId: engine.instanceId, allowForeign: params.allowForeign });
  const folder = summary.folder;
  const manifest = await readManifest(folder);
  const id = randomUUID();
  const tag = id.slice(0, 8);
  const staging = join(dirname(resolve(engine.backend.path)), `restore-staging-${tag}`);
  const journal = new CleanupJournal(engine.backend);
  const journalId = `restore:${id}`;
  journal.set(journalId, [staging], engine.now());
  /** Files this restore created that no committed data references yet. */
  let created: string[] = [];
  let swapped = false;
  try {
    await stageFiles(folder, staging, manifest.files, ctx);
    throwIfCancelled(ctx);
    ctx.report({ phase: 'checking', done: 0, total: null });
    const stagedDb = join(staging, BACKUP_DATABASE);
    checkStagedDatabase(stagedDb, manifest);
    throwIfCancelled(ctx);

    const placements = await planPlacements(stagedDb, staging, manifest, tag, engine.storageDirectory);
    const toPlace = placements.filter((p) => p.to !== undefined);
    const tmpOf = (p: Placement) => `${p.to!}.restore-tmp-${tag}`;
    created = toPlace.flatMap((p) => [p.to!, tmpOf(p)]);
    // Recorded before the first file appears: a crash from here on leaves nothing behind.
    journal.set(journalId, [staging, ...created], engine.now());
    const placing = new PhaseProgress(
      ctx,
      'placing files',
      toPlace.reduce((a, p) => a + p.file.entry.size_bytes, 0),
    );
    for (const p of toPlace) {
      throwIfCancelled(ctx);
      await place(p, tmpOf(p), (n) => placing.add(n), ctx.signal);
    }
    placing.finish();
    throwIfCancelled(ctx);

    ctx.report({ phase: 'swapping', done: 0, total: null });
    let before = new Set<string>();
    const scopeDirs = new Set<string>();
    const oldFiles = replaceDatabaseContent(engine, stagedDb, {
      before: () => {
        before = referencedPaths(engine.system);
      },
      after: () => {
        for (const p of placements) {
          if (p.rewrite === undefined) continue;
          engine.system.manifest.update(engine.system.manifest.keyOf(p.file.entry), (e) => ({ ...e, file_path: p.rewrite! }));
        }
        const after = referencedPaths(engine.system);
        const stale = [...before].filter((f) => !after.has(f));
        for (const f of [...before, ...after]) scopeDirs.add(dirname(f));
        journal.set(journalId, [staging, ...stale], engine.now());
        return stale;
      },
    });
    swapped = true;
    engine.reload();
    ctx.report({ phase: 'cleaning up', done: 0, total: oldFiles.length });
    for (const f of oldFiles) await rm(f, { force: true });
    syncScopeManifests(engine, scopeDirs);
    await rm(staging, { recursive: true, force: true });
    journal.clear(journalId);
    return { summary, filesPlaced: toPlace.length, filesRemoved: oldFiles.length };
  } catch (e) {
    if (!swapped) {
      await rm(staging, { recursive: true, force: true });
      for (const f of created) await rm(f, { force: true });
      journal.clear(journalId);
    }
    throw e;
  }
}
