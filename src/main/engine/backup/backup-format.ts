import { z } from 'zod';
import { ValidationError } from '../errors';
import { relativePathProblem } from './safe-paths';

/** The manifest every backup folder holds; a folder without it is not a backup. */
export const BACKUP_MANIFEST = 'backup-manifest.json';
/** The database file inside a backup folder. */
export const BACKUP_DATABASE = 'kalam.sqlite';
/** Storage files sit under `storages/<storage_id>/<file_path>` in a backup folder. */
export const BACKUP_STORAGES_DIR = 'storages';

export const BACKUP_FORMAT = 'kalam-studio-backup';
/** Bumped when the folder layout or the manifest changes incompatibly; a newer one is refused. */
export const BACKUP_FORMAT_VERSION = 1;

/** A relative path with "/" separators that stays inside the folder it is resolved against. */
const SafeRelativePath = z.string().refine((p) => relativePathProblem(p) === undefined, { message: 'must be a relative path inside the backup folder' });

export const BackupFileSchema = z.object({
  /** Inside the backup folder. */
  path: SafeRelativePath,
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
});
export type BackupFile = z.infer<typeof BackupFileSchema>;

export const BackupTableSchema = z.object({
  /** "namespace.table" (system tables as "system.users"). */
  table: z.string().min(1),
  type: z.enum(['system', 'shared', 'user', 'stream']),
  /** Rows in the hot store (tombstones excluded). */
  hot_rows: z.number().int().min(0),
  /** Rows in flushed Parquet segments (per system.manifest). */
  cold_rows: z.number().int().min(0),
});
export type BackupTable = z.infer<typeof BackupTableSchema>;

export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  format_version: z.number().int().min(1),
  app_version: z.string(),
  /** The database's schema version (migrations) at backup time. */
  schema_version: z.number().int().min(1),
  /** When the snapshot was taken, ms since the epoch. */
  created_at: z.number().int().min(0),
  /** The lineage of the database backed up (engine.instanceId). */
  instance_id: z.string().min(1),
  /** Every file of the backup except this manifest; the database first. */
  files: z.array(BackupFileSchema).min(1),
  /** Rows per SQLite partition, checked against the restored database. */
  partitions: z.record(z.string(), z.number().int().min(0)),
  tables: z.array(BackupTableSchema),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/** A backup that cannot be restored (missing, corrupt, truncated, foreign, too new): nothing was changed. */
export class BackupRefusedError extends ValidationError {
  override name = 'BackupRefusedError';
  constructor(message: string) {
    super('backup', [{ field: '', message }], message);
  }
}
