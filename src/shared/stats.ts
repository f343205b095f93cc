import { z } from 'zod';
import { JobIdSchema } from './keys/job-id';
import { UserIdSchema } from './keys/user-id';
import { JobStatusSchema, JobTypeSchema } from './system/jobs';

/**
 * Storage statistics: what the Overview dashboard and a table's Storage tab show. The engine makes
 * them (src/main/engine/stats) and the contract serves them; none reads hot rows one by one: hot
 * sizes come from each partition's maintained counter, flushed sizes from system.manifest.
 */

const count = z.number().int().min(0);

/** One tier of a table: stored rows (every version, tombstones included) and their bytes. */
export const TierSchema = z.object({
  rows: count,
  bytes: count,
});

/** How close a table is to its next automatic flush (null fields: the policy has no such limit). */
export const FlushPolicyStateSchema = z.object({
  rowLimit: count.nullable(),
  intervalSeconds: count.nullable(),
  /** Hot rows now: what the next flush would move (the row limit counts these). */
  hotRows: count,
  /** When the last flush of this table completed (its newest segment), or null. */
  lastFlushAt: z.number().int().nullable(),
});

export const TableTiersSchema = z.object({
  /** "namespace.table" */
  table: z.string(),
  type: z.enum(['shared', 'user', 'stream']),
  /** Rows in the hot (SQLite) partition, tombstones included; `tombstones` of them are deletes. */
  hot: TierSchema.extend({ tombstones: count }),
  /** Rows and bytes in flushed Parquet segments, from system.manifest. */
  cold: TierSchema.extend({ segments: count }),
  /** Null: no flush policy (or a stream table). */
  policy: FlushPolicyStateSchema.nullable(),
});
export type TableTiers = z.infer<typeof TableTiersSchema>;

/** Rows of a user table per user, hot and flushed. */
export const UserRowsSchema = z.object({
  userId: UserIdSchema,
  hot: count,
  cold: count,
});

export const UserDistributionSchema = z.object({
  table: z.string(),
  users: count,
  /** The users with the most rows, most first (at most 10). */
  top: z.array(UserRowsSchema),
  /** Users per bucket of row counts: [from, to) rows, powers of ten. */
  histogram: z.array(z.object({ from: count, to: count, users: count })),
});
export type UserDistribution = z.infer<typeof UserDistributionSchema>;

/** The segments of one scope (a shared table, or one user of a user table). */
export const ScopeHealthSchema = z.object({
  table: z.string(),
  user: UserIdSchema.nullable(),
  segments: count,
  rows: count,
  bytes: count,
  smallest: count,
  median: count,
  largest: count,
  /** Why compaction would help, or null when it is not a candidate. */
  candidate: z.string().nullable(),
  /** Bytes a compaction of the scope would save, estimated (0 when not a candidate). */
  estimatedGain: count,
});
export type ScopeHealth = z.infer<typeof ScopeHealthSchema>;

/** The scopes the Overview lists: the most pressing ones (gain, then segments), bounded; the totals count every scope. */
export const SCOPES_LISTED = 100;

/** Every scope of every table, counted (the list holds at most SCOPES_LISTED of them). */
export const ScopeTotalsSchema = z.object({ scopes: count, segments: count, candidates: count, estimatedGain: count });
export type ScopeTotals = z.infer<typeof ScopeTotalsSchema>;

/** The database file, its WAL and the free pages inside it, at one moment. */
export const DatabaseSampleSchema = z.object({
  at: z.number().int(),
  fileBytes: count,
  walBytes: count,
  freeBytes: count,
});
export type DatabaseSample = z.infer<typeof DatabaseSampleSchema>;

/** One job as the timeline draws it. */
export const JobBarSchema = z.object({
  id: JobIdSchema,
  kind: JobTypeSchema,
  status: JobStatusSchema,
  table: z.string().nullable(),
  startedAt: z.number().int(),
  /** Null while it runs. */
  finishedAt: z.number().int().nullable(),
  durationMs: count,
  /** Rows it processed (from its result or progress), when it says. */
  rows: count.nullable(),
  rowsPerSecond: count.nullable(),
});
export type JobBar = z.infer<typeof JobBarSchema>;

/** Index sizes are indexes.list's (each from its partition's counter). */
export const StorageOverviewSchema = z.object({
  at: z.number().int(),
  tables: z.array(TableTiersSchema),
  /** The most pressing scopes first (estimated gain, then segments), at most SCOPES_LISTED. */
  scopes: z.array(ScopeHealthSchema),
  scopeTotals: ScopeTotalsSchema,
  database: z.object({ pageSize: count, samples: z.array(DatabaseSampleSchema) }),
  jobs: z.array(JobBarSchema),
});
export type StorageOverview = z.infer<typeof StorageOverviewSchema>;

/** One flushed segment, as a table's Storage tab lists it. */
export const SegmentInfoSchema = z.object({
  user: UserIdSchema.nullable(),
  batch: count,
  file: z.string(),
  rows: count,
  bytes: count,
  /** Display forms of its first and last key; null when the file could not be read. */
  minKey: z.string().nullable(),
  maxKey: z.string().nullable(),
  rowGroups: count.nullable(),
  createdAt: z.number().int(),
  /** The flush or compaction that wrote it, when system.jobs still has it. */
  createdBy: JobIdSchema.nullable(),
});
export type SegmentInfo = z.infer<typeof SegmentInfoSchema>;

/** What a flush would do now (a dry run: nothing is written). */
export const FlushPreviewSchema = z.object({
  /** Rows written, tombstones included; the same rows leave the hot store. */
  rows: count,
  files: count,
  /** Estimated size of the files written. */
  estimatedBytes: count,
  removeHotRows: count,
});
export type FlushPreview = z.infer<typeof FlushPreviewSchema>;

/** What a compaction would do now (a dry run). */
export const CompactPreviewSchema = z.object({
  /** Scopes with two segments or more, each merged into one. */
  scopes: count,
  segments: count,
  rowsRead: count,
  bytesBefore: count,
  estimatedSaving: count,
});
export type CompactPreview = z.infer<typeof CompactPreviewSchema>;

export const TableStorageSchema = z.object({
  tiers: TableTiersSchema,
  segments: z.array(SegmentInfoSchema),
  /** Each scope's manifest.json as stored in its folder (null: the folder has none). */
  manifests: z.array(z.object({ user: UserIdSchema.nullable(), path: z.string(), text: z.string().nullable() })),
  flush: FlushPreviewSchema,
  compact: CompactPreviewSchema,
});
export type TableStorage = z.infer<typeof TableStorageSchema>;
