import { oc } from '@orpc/contract';
import { z } from 'zod';
import { JobIdSchema } from '../keys/job-id';
import { JobSchema, JobStatusSchema } from '../system/jobs';
import { TableRefSchema } from './common';

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
export const FlushParamsSchema = z.object({ table: TableRefSchema });
/** Merges each scope's Parquet segments of a shared or user table into one. */
export const CompactParamsSchema = z.object({ table: TableRefSchema });
export const FolderParamsSchema = z.object({ folder: AbsolutePathSchema });
export const RestoreParamsSchema = FolderParamsSchema.extend({
  /** Restore a backup of another database (its lineage is taken over). */
  allow_foreign: z.boolean().optional(),
});
export const EvictParamsSchema = z.object({
  /** Rows deleted per transaction (and per cancel check). */
  batch_size: z.number().int().min(1).max(100_000).optional(),
});
export const IndexRebuildParamsSchema = z.object({ table: TableRefSchema, index: z.string().min(1).max(100) });

/** What jobs.start accepts: one job, or `flush_all` (a flush of every shared and user table). */
export const StartJobInputSchema = z.discriminatedUnion('type', [
  FlushParamsSchema.extend({ type: z.literal('flush') }),
  z.object({ type: z.literal('flush_all') }),
  FolderParamsSchema.extend({ type: z.literal('backup') }),
  RestoreParamsSchema.extend({ type: z.literal('restore') }),
  EvictParamsSchema.extend({ type: z.literal('evict') }),
  IndexRebuildParamsSchema.extend({ type: z.literal('index_rebuild') }),
  CompactParamsSchema.extend({ type: z.literal('compact') }),
]);
export type StartJobInput = z.infer<typeof StartJobInputSchema>;

export const JobListInputSchema = z.object({
  status: JobStatusSchema.optional(),
  limit: z.number().int().min(1).max(500).default(50),
  /** The `next` of the previous page. */
  cursor: z.string().max(200).optional(),
});

export const JobListSchema = z.object({
  jobs: z.array(JobSchema),
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  next: z.string().optional(),
  /** Jobs queued, running or waiting to retry, whatever the filter (the header indicator). */
  active: z.number().int().min(0),
});
export type JobList = z.infer<typeof JobListSchema>;

/** A backup's manifest, summarised for the restore confirmation (readBackupSummary). */
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
});
export type BackupSummary = z.infer<typeof BackupSummarySchema>;

const JobRefSchema = z.object({ id: JobIdSchema });

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
  list: oc.input(JobListInputSchema).output(JobListSchema),
  get: oc.input(JobRefSchema).output(JobSchema),
  /**
   * Queues the job(s); a second flush of a table while one is active is CONFLICT, and so is a flush
   * during a compaction of the table and the reverse. A compaction with nothing to compact is
   * recorded as skipped.
   */
  start: oc.input(StartJobInputSchema).output(z.object({ jobs: z.array(JobSchema) })),
  /** Queued jobs end at once; a running one stops at its next batch. */
  cancel: oc.input(JobRefSchema).output(JobSchema),
  /** Queues a failed or cancelled job again, as a new job. */
  retry: oc.input(JobRefSchema).output(JobSchema),
  /** Tables whose automatic flush is paused after failures (the table toolbar says so). */
  flushSchedule: oc.output(z.object({ paused: z.array(FlushBackoffSchema) })),
  /** The manifest of the backup in `folder`, validated (for the restore confirmation). */
  backupSummary: oc.input(RestoreParamsSchema).output(BackupSummarySchema),
};
