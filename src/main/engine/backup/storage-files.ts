import { isAbsolute, relative, resolve, sep } from 'node:path';
import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { StorageId } from '../../../shared/keys/storage-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import { BackupRefusedError } from './backup-format';
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

/** `base/rel`, refusing a rel that escapes base (a crafted or corrupt file_path). */
export function insideBase(baseDir: string, rel: string): string {
  const abs = resolve(baseDir, rel);
  const back = relative(resolve(baseDir), abs);
  if (back === '' || back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..')) {
    throw new BackupRefusedError(`storage file path "${rel}" points outside its storage directory ${baseDir}`);
  }
  return abs;
}

/** Where a storage file sits inside a backup folder. */
export function backupPathOf(storageId: string, filePath: string): string {
  return ['storages', storageId, ...filePath.split(/[\\/]/)].join('/');
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
    out.push({ storageId, baseDir, filePath: entry.file_path, absolute: insideBase(baseDir, entry.file_path), entry });
  }
  return out;
}

/** The absolute paths of referencedFiles(), for set membership. */
export function referencedPaths(system: SystemTables): Set<string> {
  return new Set(referencedFiles(system).map((f) => f.absolute));
}
