import { z } from 'zod';
import { AbsolutePathSchema } from '../host-path';
import { TableRefSchema } from '../keys/table-id';

/** Parameters of each job type, as stored in system.jobs `parameters`. */
export const FlushParamsSchema = z.strictObject({ table: TableRefSchema });
/** Merges each scope's Parquet segments of a shared or user table into one. */
export const CompactParamsSchema = z.strictObject({ table: TableRefSchema });
export const FolderParamsSchema = z.strictObject({ folder: AbsolutePathSchema });
/** What "Check backup" reads: a backup folder, and whether a backup of another database may be restored. */
export const BackupCheckInputSchema = FolderParamsSchema.extend({
  /** Restore a backup of another database (its lineage is taken over). */
  allow_foreign: z.boolean().optional(),
});
export const RestoreParamsSchema = BackupCheckInputSchema.extend({
  /**
   * Folders outside the data directory the user confirmed in the restore summary (each a
   * storage's `backup_directory` there that is `confirmable`): only these receive or lose files.
   * Every other storage's files are restored under the data directory.
   */
  confirmed_directories: z.array(AbsolutePathSchema).max(100).optional(),
});
export const EvictParamsSchema = z.strictObject({
  /** Rows deleted per transaction (and per cancel check). */
  batch_size: z.number().int().min(1).max(100_000).optional(),
});
/** Verifies the secondary indexes of one system table, or of every one without `table`. */
export const IndexVerifyParamsSchema = z.strictObject({ table: TableRefSchema.optional() });
export const IndexRebuildParamsSchema = z.strictObject({ table: TableRefSchema, index: z.string().min(1).max(100) });
