import { z } from 'zod';
import { CursorSchema, PageDirectionSchema, PageLimitSchema } from './paging';
import { VersionSchema } from './contract/common';

/**
 * The shapes of browsing any table, system or data: its columns, a page request with filters and
 * sort, and a page of rows. Shared by the engine's providers and the renderer's grid.
 */
export const ColumnTypeSchema = z.enum(['text', 'integer', 'double', 'boolean', 'timestamp', 'json', 'bytes']);
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

export const ColumnInfoSchema = z.object({
  name: z.string(),
  type: ColumnTypeSchema,
  nullable: z.boolean(),
  primaryKey: z.boolean(),
  /** Name of an index whose first field is this column: the column can sort and seek fast. */
  index: z.string().optional(),
});
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>;

export const FilterOpSchema = z.enum([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'contains',
  'starts_with',
  'is_null',
  'not_null',
  /** Equal, ignoring letter case (text). */
  'ieq',
  /** One of `values`. */
  'in',
  /** From `value` to `to`, both included. */
  'between',
]);
export type FilterOp = z.infer<typeof FilterOpSchema>;

const FilterValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const FilterSchema = z.strictObject({
  column: z.string().min(1),
  op: FilterOpSchema,
  value: FilterValueSchema.optional(),
  /** The upper bound of `between`. */
  to: FilterValueSchema.optional(),
  /** The list of `in`. */
  values: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .max(100)
    .optional(),
  /**
   * Starts an OR group: filters are ANDed within a group and the groups ORed, so
   * `a, b, or c, d` keeps rows matching (a and b) or (c and d).
   */
  or: z.boolean().optional(),
});
export type Filter = z.infer<typeof FilterSchema>;

export const SortSchema = z.strictObject({ column: z.string().min(1), order: z.enum(['asc', 'desc']) });
export type Sort = z.infer<typeof SortSchema>;

/** A quick search: rows where any of `columns` contains `text`, in any letter case (ANDed with the filters). */
export const QuickSearchSchema = z.strictObject({
  text: z.string().min(1).max(200),
  columns: z.array(z.string().min(1)).min(1).max(200),
});
export type QuickSearch = z.infer<typeof QuickSearchSchema>;

export const BrowseRequestSchema = z.strictObject({
  limit: PageLimitSchema,
  cursor: CursorSchema.optional(),
  /** "Go to key": start the page at this key (display form), in key order; ignored with a cursor. */
  seek: z.string().min(1).max(2000).optional(),
  direction: PageDirectionSchema.optional(),
  sort: SortSchema.optional(),
  filters: z.array(FilterSchema).max(16).optional(),
  search: QuickSearchSchema.optional(),
});
export type BrowseRequest = z.infer<typeof BrowseRequestSchema>;

export const RowSchema = z.object({
  /** The row's key in display form (parse it with the table's key codec). */
  key: z.string(),
  values: z.record(z.string(), z.unknown()),
  /**
   * The row's version token, issued by the main process: passed back unchanged with a write of
   * the row (optimistic concurrency), compared for equality, never parsed or made by the client.
   */
  version: VersionSchema,
});
export type Row = z.infer<typeof RowSchema>;

export const RowPageSchema = z.object({
  rows: z.array(RowSchema),
  next: z.string().optional(),
  prev: z.string().optional(),
  /** Rows examined to fill the page; a filter that matches little may return a short page with a cursor. */
  scanned: z.number().int(),
});
export type RowPage = z.infer<typeof RowPageSchema>;
