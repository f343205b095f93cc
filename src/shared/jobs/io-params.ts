import { z } from 'zod';
import { RoleSchema } from '../access';
import { ColumnTypeSchema, FilterSchema, QuickSearchSchema, SortSchema } from '../browse';
import { AbsolutePathSchema } from '../host-path';
import { TableRefSchema } from '../keys/table-id';
import { UserIdSchema } from '../keys/user-id';
import type { RuleProblem } from '../rule-check';
import { MAX_SCRIPT_LENGTH } from '../sql/sql-results';

/**
 * Parameters of the export (EX-) and import (IM-) jobs, as stored in system.jobs. The subject is
 * the one the starting call acted as (resolved by the main process, never taken from a client):
 * the job reads or writes exactly what that subject may.
 */
export const JobSubjectSchema = z.strictObject({ userId: UserIdSchema.nullable(), role: RoleSchema });

export const ExportFormatSchema = z.enum(['csv', 'jsonl', 'parquet']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ImportFormatSchema = z.enum(['csv', 'tsv', 'jsonl', 'parquet']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

/** A one-character field delimiter (CSV): not a quote, CR or LF. */
export const DelimiterSchema = z
  .string()
  .length(1, 'must be one character')
  .refine((d) => d !== '"' && d !== '\r' && d !== '\n', 'must not be a quote or a line break');

/**
 * Rows from a SQL query instead of a table: one statement of the console's dialect that only reads
 * (a SELECT, WITH or VALUES query, optionally inside EXECUTE AS USER '<name>' ( … )).
 */
export const ExportSqlSourceSchema = z.strictObject({
  kind: z.literal('sql'),
  sql: z.string().min(1, 'must not be empty').max(MAX_SCRIPT_LENGTH),
});

/**
 * What an export writes: a table's rows (`table`) or a query's (`source`), exactly one of them.
 * Columns (default: every column the subject may read, secrets never); for a table, the rows its
 * filters and quick search keep, in the sort's order (default: key order): the grid's view. A
 * query's columns are its result's (repeated names made unique as the console's grid shows them).
 * The object has no cross-field rule of its own (it is extended); `exportSourceProblems` is that rule.
 */
export const ExportOptionsSchema = z.strictObject({
  table: TableRefSchema.optional(),
  source: ExportSqlSourceSchema.optional(),
  /** The destination the user chose; written through a temporary name beside it, then renamed. */
  file: AbsolutePathSchema,
  format: ExportFormatSchema,
  filters: z.array(FilterSchema).max(16).optional(),
  /** The grid's quick search (ANDed with the filters). */
  search: QuickSearchSchema.optional(),
  /** A column the table can sort by (as in the grid), ascending or descending. */
  sort: SortSchema.optional(),
  columns: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
  /** CSV only (default ","). */
  delimiter: DelimiterSchema.optional(),
  /** CSV only: a UTF-8 byte order mark first, for spreadsheets. */
  bom: z.boolean().optional(),
});

/** An export reads a table or a query, never both; the grid's view (filters, search, sort) belongs to a table. */
export function exportSourceProblems(value: {
  table?: unknown;
  source?: unknown;
  filters?: unknown;
  search?: unknown;
  sort?: unknown;
}): RuleProblem[] | undefined {
  if (value.table === undefined && value.source === undefined) return [{ path: ['table'], message: 'give a table, or a SQL query as `source`' }];
  if (value.table !== undefined && value.source !== undefined) return [{ path: ['source'], message: 'give a table or a SQL query, not both' }];
  if (value.source === undefined) return undefined;
  const misplaced = (['filters', 'search', 'sort'] as const).filter((key) => value[key] !== undefined);
  return misplaced.length === 0
    ? undefined
    : misplaced.map((key) => ({ path: [key], message: 'applies to a table, not to a SQL query (put it in the query)' }));
}

export const ExportParamsSchema = ExportOptionsSchema.extend({ subject: JobSubjectSchema });
export type ExportParams = z.infer<typeof ExportParamsSchema>;

/** One file column: where it goes (a table column, or null to skip it) and, optionally, its type. */
export const ColumnMappingSchema = z.strictObject({
  source: z.string().max(1000),
  target: z.string().min(1).max(200).nullable(),
  /** The type a created table gives the column (existing tables keep theirs). */
  type: ColumnTypeSchema.optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const OnErrorSchema = z.enum(['abort', 'skip']);
export const OnConflictSchema = z.enum(['fail', 'skip', 'replace']);

export const ImportOptionsSchema = z.strictObject({
  table: TableRefSchema,
  file: AbsolutePathSchema,
  /** Detected from the name and content when absent. */
  format: ImportFormatSchema.optional(),
  /** CSV: detected when absent (TSV: tab). */
  delimiter: DelimiterSchema.optional(),
  /** Create the table from the file's columns (it must not exist). */
  create: z
    .strictObject({
      type: z.enum(['shared', 'user']),
      /** Default: a column named "id", else the first mapped column. */
      primary_key: z.string().min(1).max(200).optional(),
    })
    .optional(),
  /** File columns to table columns; absent: every column by its own name (system columns skipped). */
  mapping: z.array(ColumnMappingSchema).max(1000).optional(),
  /** User tables: the owner of every row (a user id), else the file's mapped "_user" column. */
  owner: UserIdSchema.optional(),
  /** abort: one transaction, any rejected row leaves the table unchanged (default). skip: bad rows are reported and left out. */
  on_error: OnErrorSchema.optional(),
  /** A row whose key exists: fail (a rejected row, default), skip it, or replace it. */
  on_conflict: OnConflictSchema.optional(),
});

export const ImportParamsSchema = ImportOptionsSchema.extend({
  subject: JobSubjectSchema,
  /** Where the rejected-row report goes: inside the data directory (chosen by the main process). */
  report: AbsolutePathSchema,
});
export type ImportParams = z.infer<typeof ImportParamsSchema>;

/** One rejected row (or field) of an import, as the report file and the job's result list it. */
export const RejectedRowSchema = z.object({
  /** CSV/TSV/JSONL: the line the record starts on (1 = the first line). Parquet: the row number (1 = the first row). */
  line: z.number().int().min(0),
  column: z.string(),
  value: z.string(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRowSchema>;

export const ImportResultSchema = z.object({
  table: z.string(),
  format: ImportFormatSchema,
  read: z.number().int(),
  inserted: z.number().int(),
  replaced: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  created: z.boolean(),
  /** File columns left out: they match no column of the table. */
  ignored: z.array(z.string()),
  /** The report file (written even when nothing was rejected: then just its header). */
  report: z.string(),
  /** The first rejected rows (the report holds them all). */
  first_rejected: z.array(RejectedRowSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const ExportResultSchema = z.object({
  table: z.string(),
  file: z.string(),
  format: ExportFormatSchema,
  rows: z.number().int(),
  bytes: z.number().int(),
  columns: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** What `io.preview` reads of a file: its format, delimiter, columns with inferred types, first rows. */
export const ImportPreviewSchema = z.object({
  format: ImportFormatSchema,
  delimiter: z.string().nullable(),
  columns: z.array(z.object({ name: z.string(), type: ColumnTypeSchema, nullable: z.boolean() })),
  /** First rows as read (text for CSV, typed for JSONL and Parquet). */
  rows: z.array(z.array(z.unknown())),
  /** Rows read for the sample. */
  sampled: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
