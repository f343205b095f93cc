import { z } from 'zod';
import { AbsolutePathSchema } from '../host-path';
import { ruleCheck } from '../rule-check';
import {
  DelimiterSchema,
  ExportOptionsSchema,
  exportSourceProblems,
  ImportFormatSchema,
  ImportOptionsSchema,
  ImportPreviewSchema,
  RejectedRowSchema,
} from '../jobs/io-params';
import { JobIdSchema } from '../keys/job-id';
import { JobSchema } from '../system/jobs';
import { procedure, subjectInput, WRITES } from './common';

/** A table's rows (`table`, with the grid's view) or a SQL query's (`source: { kind: 'sql', sql }`): exactly one. */
export const ExportInputSchema = subjectInput(ExportOptionsSchema.shape).check(ruleCheck(exportSourceProblems));

export const ImportInputSchema = subjectInput(ImportOptionsSchema.shape);

export const PreviewInputSchema = subjectInput({
  file: AbsolutePathSchema,
  format: ImportFormatSchema.optional(),
  delimiter: DelimiterSchema.optional(),
});

export const ImportReportSchema = z.object({
  /** The report file in the data directory. */
  file: z.string(),
  rows: z.array(RejectedRowSchema),
  /** More rejections than `rows` are in the file. */
  truncated: z.boolean(),
});

export const ioContract = {
  /**
   * Queues an export (EX-) of a table, as the subject `as` may read it (hot and flushed rows,
   * filters, quick search and sort as in the grid, secret columns never), or of a SQL query's result
   * (one read-only query, run as `as` or its EXECUTE AS user; anything else is VALIDATION on
   * `source.sql`, before a job exists), into `file`: a temporary name beside it, fsynced and renamed
   * at the end; a cancel removes it. A destination inside the app's data is refused.
   */
  export: procedure.input(ExportInputSchema).output(z.object({ job: JobSchema })),
  /**
   * Queues an import (IM-) of a CSV/TSV, JSON Lines or Parquet file into a data table (or a new
   * one, `create`), as the subject `as`. Rows are validated by the table's rules; rejected ones go
   * to a report in the data directory (io.report).
   */
  import: procedure
    .meta(WRITES)
    .input(ImportInputSchema)
    .output(z.object({ job: JobSchema })),
  /** Reads the start of a file: detected format and delimiter, columns with inferred types, first rows. Nothing is written. */
  preview: procedure.input(PreviewInputSchema).output(ImportPreviewSchema),
  /** The first rejected rows of an import job's report. */
  report: procedure.input(subjectInput({ id: JobIdSchema, limit: z.number().int().min(1).max(1000).default(100) })).output(ImportReportSchema),
};
