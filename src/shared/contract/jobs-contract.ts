import { eventIterator } from '@orpc/contract';
import { z } from 'zod';
import { CursorSchema, PageLimitSchema } from '../paging';
import { JobIdSchema } from '../keys/job-id';
import { JobProgressSchema, JobSchema, JobStatusSchema } from '../system/jobs';
import { procedure, SubjectOnlyInputSchema, subjectInput, TableRefSchema } from './common';

/**
 * An absolute filesystem path of the main process's machine (POSIX "/…", Windows "C:\…" or
 * "\\server\share"). The renderer cannot resolve relative paths against anything meaningful.
 */
export const AbsolutePathSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4096, 'is too long')
  .refine((s) => !s.includes('\0'), 'must not contain NUL characters')
  .refine((s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\'), 'must be an absolute path');

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
export const IndexRebuildParamsSchema = z.strictObject({ table: TableRefSchema, index: z.string().min(1).max(100) });

/** What jobs.start accepts: one job, or `flush_all` (a flush of every shared and user table); each with the subject `as`. */
export const StartJobInputSchema = z.discriminatedUnion('type', [
  subjectInput({ ...FlushParamsSchema.shape, type: z.literal('flush') }),
  subjectInput({ type: z.literal('flush_all') }),
  subjectInput({ ...FolderParamsSchema.shape, type: z.literal('backup') }),
  subjectInput({ ...RestoreParamsSchema.shape, type: z.literal('restore') }),
  subjectInput({ ...EvictParamsSchema.shape, type: z.literal('evict') }),
  subjectInput({ ...IndexRebuildParamsSchema.shape, type: z.literal('index_rebuild') }),
  subjectInput({ ...CompactParamsSchema.shape, type: z.literal('compact') }),
]);
export type StartJobInput = z.infer<typeof StartJobInputSchema>;

export const JobListInputSchema = subjectInput({
  status: JobStatusSchema.optional(),
  limit: PageLimitSchema.default(50),
  /** The `next` of the previous page. */
  cursor: CursorSchema.optional(),
});

export const JobListSchema = z.object({
  jobs: z.array(JobSchema),
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  next: z.string().optional(),
  /** Jobs queued, running or waiting to retry, whatever the filter (the header indicator). */
  active: z.number().int().min(0),
});
export type JobList = z.infer<typeof JobListSchema>;

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

/** What checkBackup streams: progress (as a job reports it), then the summary as its last event. */
export const BackupCheckEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: JobProgressSchema }),
  z.object({ type: z.literal('summary'), summary: BackupSummarySchema }),
]);
export type BackupCheckEvent = z.infer<typeof BackupCheckEventSchema>;

const JobRefSchema = subjectInput({ id: JobIdSchema });

/** A table whose automatic flush (its flush policy) is paused after failed flushes, until `next_try_at`. */
export const FlushBackoffSchema = z.object({
  table: z.string(),
  /** Failed flushes in a row. */
  failures: z.number().int().min(1),
  /** When the scheduler may queue its flush again (ms since the epoch). */
  next_try_at: z.number(),
  last_error: z.string().nullable(),
});
export type FlushBackoff = z.infer<typeof FlushBackoffSchema>;

export const jobsContract = {
  /** Newest first; `status` narrows to one status. */
  list: procedure.input(JobListInputSchema).output(JobListSchema),
  get: procedure.input(JobRefSchema).output(JobSchema),
  /**
   * Queues the job(s); a second flush of a table while one is active is CONFLICT, and so is a flush
   * during a compaction of the table and the reverse. A compaction with nothing to compact is
   * recorded as skipped.
   */
  start: procedure.input(StartJobInputSchema).output(z.object({ jobs: z.array(JobSchema) })),
  /** Queued jobs end at once; a running one stops at its next batch. */
  cancel: procedure.input(JobRefSchema).output(JobSchema),
  /** Queues a failed or cancelled job again, as a new job. */
  retry: procedure.input(JobRefSchema).output(JobSchema),
  /**
   * "Check backup": verifies the backup in `folder` as a restore would before changing anything
   * (manifest, every checksum, the database's integrity, partitions and row counts, every storage
   * file a valid Parquet segment, where each storage's files would go), streaming progress, then
   * its summary. Nothing is changed; aborting the call stops the check.
   */
  checkBackup: procedure.input(subjectInput(BackupCheckInputSchema.shape)).output(eventIterator(BackupCheckEventSchema)),
  /** Tables whose automatic flush is paused after failures (the table toolbar says so). */
  flushSchedule: procedure.input(SubjectOnlyInputSchema).output(z.object({ paused: z.array(FlushBackoffSchema) })),
};
