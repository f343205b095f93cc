import { eventIterator } from '@orpc/contract';
import { z } from 'zod';
import { CursorSchema, PageLimitSchema } from '../paging';
import { JobIdSchema } from '../keys/job-id';
import { BackupSummarySchema } from '../jobs/backup-summary';
import {
  BackupCheckInputSchema,
  CompactParamsSchema,
  EvictParamsSchema,
  FlushParamsSchema,
  FolderParamsSchema,
  IndexRebuildParamsSchema,
  RestoreParamsSchema,
} from '../jobs/params';
import { JobProgressSchema, JobSchema, JobStatusSchema } from '../system/jobs';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';

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
