import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { RestoreStorage } from '../../../shared/jobs/backup-summary';
import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { Engine } from '../engine';
import type { StorageBackend } from '../storage/storage-backend';
import { followedLocalBase } from '../system/storages/local-storage-root';
import { LOCAL_STORAGE_ID } from '../system/storages/storages-table';
import type { SystemTables } from '../system/system-tables';
import { type BackupFile, BackupRefusedError } from './backup-format';
import { isInside, plainPathProblem, relativeInside, relativePathProblem } from './safe-paths';
import { backupPathOf } from './storage-files';

/** Where a backup's storage goes in this restore. */
export interface StoragePlacement extends RestoreStorage {
  /** Its files' folder in this restore: `backup_directory` when the user confirmed it, `directory` otherwise. */
  readonly target: string;
  /** The trusted folder above `target` (the data directory, or this database's storage folder the user confirmed): nothing below it may be a link. */
  readonly root: string;
}

/** One storage file of the backup and where it goes. */
export interface PlannedFile {
  readonly entry: ManifestEntry;
  /** Inside the backup folder ("storages/<storage_id>/<file_path>"). */
  readonly backupPath: string;
  /** The storage's trusted root (StoragePlacement.root). */
  readonly root: string;
  /** The absolute destination, inside `root`. */
  readonly absolute: string;
}

export interface RestorePlan {
  readonly storages: readonly StoragePlacement[];
  readonly files: readonly PlannedFile[];
  /** Where this restore may write, rename or delete: the data directory (and local's folder) and the confirmed folders. */
  readonly roots: readonly string[];
}

/** The folder a restore writes into: the database's own (restore-staging-… sits there too). */
export function dataDirectoryOf(engine: Engine): string {
  return dirname(resolve(engine.backend.path));
}

/** Folders of this data directory a restore may always write into. */
function ownRoots(engine: Engine): string[] {
  const dataDir = dataDirectoryOf(engine);
  const local = resolve(engine.storageDirectory);
  return isInside(dataDir, local) ? [dataDir] : [dataDir, local];
}

/** A folder name for a storage id (ids may hold characters a file name should not). */
function folderName(storageId: string): string {
  const plain = storageId.replace(/[^A-Za-z0-9_-]/g, '_');
  return plain === storageId ? plain : `${plain}-${createHash('sha256').update(storageId).digest('hex').slice(0, 8)}`;
}

/**
 * Decides where every storage of a staged backup database goes, and where each of its files
 * lands. The rule: a restore writes only inside the data directory, or inside a base directory of
 * one of THIS database's storages (which the user configured) once the user confirmed that folder
 * (`confirmed`). A backup's storage whose folder is neither is restored under the data directory
 * (`local` into the storage directory, others into `restored-storages/<id>`), and its row is
 * pointed there; the reason is part of the summary shown before the user confirms.
 *
 * Every file path the backup's system.manifest records must be a plain relative path (no "..", no
 * absolute path) to a ".parquet" file, listed in the backup's manifest.
 */
export function planRestore(
  engine: Engine,
  staged: { readonly backend: StorageBackend; readonly system: SystemTables },
  backupFiles: ReadonlyMap<string, BackupFile>,
  confirmed: readonly string[] = [],
): RestorePlan {
  const roots = ownRoots(engine);
  const dataDir = roots[0]!;
  const insideOwn = (dir: string) => roots.find((r) => isInside(r, dir));
  // Folders of this database's storages outside the data directory: the only others a restore may use.
  const configured: string[] = [];
  for (const [, s] of engine.system.storages.scan()) {
    const base = resolve(s.base_directory);
    if (insideOwn(base) === undefined) configured.push(base);
  }
  const wanted = new Set(confirmed.map((d) => resolve(d)));
  const used = new Set<string>();

  const storages: StoragePlacement[] = [];
  const localBase = followedLocalBase(staged.backend, staged.system.storages, engine.storageDirectory);
  for (const [, s] of staged.system.storages.scan()) {
    const backupDir = resolve(s.storage_id === LOCAL_STORAGE_ID && localBase !== undefined ? localBase : s.base_directory);
    const own = insideOwn(backupDir);
    const base = { storage_id: s.storage_id, backup_directory: backupDir, files: 0, bytes: 0 };
    if (own !== undefined) {
      storages.push({ ...base, directory: backupDir, confirmable: false, reason: null, target: backupDir, root: own });
      continue;
    }
    const fallback = s.storage_id === LOCAL_STORAGE_ID ? resolve(engine.storageDirectory) : join(dataDir, 'restored-storages', folderName(s.storage_id));
    const folder = configured.find((c) => isInside(c, backupDir));
    const reason =
      folder === undefined
        ? `${backupDir} is outside the data directory and is not a storage folder of this database, so its files go to ${fallback}`
        : `${backupDir} is outside the data directory, in the folder of a storage of this database (${folder}): its files go there only if you confirm it, otherwise to ${fallback}`;
    const confirmedHere = folder !== undefined && wanted.has(backupDir);
    if (confirmedHere) used.add(backupDir);
    storages.push({
      ...base,
      directory: fallback,
      confirmable: folder !== undefined,
      reason,
      target: confirmedHere ? backupDir : fallback,
      root: confirmedHere ? folder : dataDir,
    });
  }
  for (const dir of wanted) {
    if (!used.has(dir)) {
      throw new BackupRefusedError(
        `${dir} was confirmed, but no storage of this backup can be restored there (only folders of this database's storages outside the data directory can)`,
      );
    }
  }

  const byId = new Map(storages.map((s) => [s.storage_id, s]));
  const storageOf = new Map<string, string>();
  for (const [, t] of staged.system.tables.scan()) storageOf.set(TableIdKey.display(tableId(t.namespace_id, t.table_name)), t.storage_id);
  const files: PlannedFile[] = [];
  const destinations = new Set<string>();
  for (const [, entry] of staged.system.manifest.scan()) {
    // Every entry, even one nothing reads today: a table created later under its name would.
    const what = `the backup's database records the storage file path ${JSON.stringify(entry.file_path)} (of ${entry.namespace_id}.${entry.table_name})`;
    const problem = relativePathProblem(entry.file_path);
    if (problem !== undefined) throw new BackupRefusedError(`${what}, which ${problem}; a restore only accepts plain relative paths`);
    if (!entry.file_path.endsWith('.parquet')) throw new BackupRefusedError(`${what}, which is not a .parquet file`);
    const storage = byId.get(storageOf.get(TableIdKey.display(tableId(entry.namespace_id, entry.table_name))) ?? '');
    // A segment of a table or storage that no longer exists: nothing reads it, and it is not placed.
    if (storage === undefined) continue;
    const backupPath = backupPathOf(storage.storage_id, entry.file_path);
    const listed = backupFiles.get(backupPath);
    if (!listed) throw new BackupRefusedError(`the backup is incomplete: its database references ${backupPath}, which the manifest does not list`);
    const absolute = join(storage.target, ...entry.file_path.split('/'));
    if (destinations.has(absolute)) throw new BackupRefusedError(`${what}, which another segment records too`);
    destinations.add(absolute);
    storage.files++;
    storage.bytes += listed.size;
    files.push({ entry, backupPath, root: storage.root, absolute });
  }
  return { storages, files, roots: [...roots, ...used] };
}

/**
 * Refuses a planned destination whose path goes through a symbolic link or a non-folder below its
 * trusted root, or that is not a regular file where one exists (lstat of every component).
 */
export async function assertDestinations(plan: RestorePlan): Promise<void> {
  for (const f of plan.files) {
    const problem = await plainPathProblem(f.root, relativeInside(f.root, f.absolute), 'file-or-missing');
    if (problem !== undefined) throw new BackupRefusedError(`cannot restore ${f.backupPath} to ${f.absolute}: the destination ${problem}`);
  }
}

/** Whether a restore may write, rename or delete `path`: inside one of the plan's roots, and no link below it. */
export async function mayTouch(roots: readonly string[], path: string, last: 'file-or-missing' | 'folder-or-missing'): Promise<boolean> {
  const root = roots.find((r) => isInside(r, path));
  if (root === undefined) return false;
  return (await plainPathProblem(root, relativeInside(root, path), last)) === undefined;
}
