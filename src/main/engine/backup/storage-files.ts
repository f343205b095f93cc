import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { StorageId } from '../../../shared/keys/storage-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import { join, resolve } from 'node:path';
import { BACKUP_STORAGES_DIR, BackupRefusedError } from './backup-format';
import { relativePathProblem } from './safe-paths';
import type { SystemTables } from '../system/system-tables';

/** One Parquet segment recorded in system.manifest, located on disk. */
export interface StorageFile {
  readonly storageId: StorageId;
  /** The storage's base directory. */
  readonly baseDir: string;
  /** Relative to baseDir, "/"-separated (system.manifest's file_path). */
  readonly filePath: string;
  /** Absolute path on disk. */
  readonly absolute: string;
  readonly entry: ManifestEntry;
}

/** `root/rel` for a plain relative path (see relativePathProblem); `what` names it in the refusal. */
export function joinInside(root: string, rel: string, what: string): string {
  const problem = relativePathProblem(rel);
  if (problem !== undefined) throw new BackupRefusedError(`${what} "${rel}" ${problem}; only plain relative paths are accepted`);
  return join(resolve(root), ...rel.split('/'));
}

/** Where a storage file sits inside a backup folder. */
export function backupPathOf(storageId: string, filePath: string): string {
  return `${BACKUP_STORAGES_DIR}/${storageId}/${filePath}`;
}

/**
 * Every file system.manifest references, with its storage's base directory (through the table's
 * storage_id). Entries of tables or storages that no longer exist are skipped: nothing reads them.
 * `baseOverrides` replaces a storage's recorded base directory (by storage id).
 */
export function referencedFiles(system: SystemTables, baseOverrides: ReadonlyMap<string, string> = new Map()): StorageFile[] {
  const baseDirs = new Map<string, string>();
  for (const [, s] of system.storages.scan()) baseDirs.set(s.storage_id, baseOverrides.get(s.storage_id) ?? s.base_directory);
  const storageOf = new Map<string, StorageId>();
  for (const [, t] of system.tables.scan()) storageOf.set(TableIdKey.display(tableId(t.namespace_id, t.table_name)), t.storage_id);
  const out: StorageFile[] = [];
  for (const [, entry] of system.manifest.scan()) {
    const storageId = storageOf.get(TableIdKey.display(tableId(entry.namespace_id, entry.table_name)));
    const baseDir = storageId === undefined ? undefined : baseDirs.get(storageId);
    if (storageId === undefined || baseDir === undefined) continue;
    out.push({ storageId, baseDir, filePath: entry.file_path, absolute: joinInside(baseDir, entry.file_path, 'storage file path'), entry });
  }
  return out;
}

/** The absolute paths of referencedFiles(), for set membership. */
export function referencedPaths(system: SystemTables): Set<string> {
  return new Set(referencedFiles(system).map((f) => f.absolute));
}
