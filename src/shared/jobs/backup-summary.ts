import { z } from 'zod';

/** Where a restore puts one storage's files, decided before the user confirms. */
export const RestoreStorageSchema = z.object({
  storage_id: z.string(),
  /** The storage's base directory in the backup's database (local's after following this data directory). */
  backup_directory: z.string(),
  /** Where its files go (and what the storage points at afterwards) unless `backup_directory` is confirmed: inside the data directory. */
  directory: z.string(),
  /**
   * `backup_directory` lies outside the data directory but inside a base directory of one of this
   * database's storages: the user may confirm it (RestoreParams `confirmed_directories`).
   */
  confirmable: z.boolean(),
  /** Why `directory` is not `backup_directory`; null when they are the same. */
  reason: z.string().nullable(),
  /** Storage files of the backup in this storage, and their bytes. */
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type RestoreStorage = z.infer<typeof RestoreStorageSchema>;

/** A checked backup, summarised for the restore confirmation. */
export const BackupSummarySchema = z.object({
  folder: z.string(),
  createdAt: z.number(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  instanceId: z.string(),
  /** The backup is of another database than this one. */
  foreign: z.boolean(),
  tables: z.array(
    z.object({
      table: z.string(),
      type: z.enum(['system', 'shared', 'user', 'stream']),
      hot_rows: z.number().int().min(0),
      cold_rows: z.number().int().min(0),
    }),
  ),
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** Every storage of the backup's database and where its files go. */
  storages: z.array(RestoreStorageSchema),
});
export type BackupSummary = z.infer<typeof BackupSummarySchema>;
