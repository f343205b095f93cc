import { z } from 'zod';
import { TableAccessSchema } from '../access';
import { ColumnInfoSchema } from '../browse';
import { NamespaceSchema } from '../system/namespaces';
import { TableMetadataSchema } from '../system/tables';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';
import { TableRefSchema } from '../keys/table-id';
import { IndexInfoSchema } from './indexes-contract';

export const TableKindSchema = z.enum(['system', 'shared', 'user', 'stream']);
export type TableKind = z.infer<typeof TableKindSchema>;

/** Row counts in tables.list stop here (`rowCountCapped` then says "at least"). */
export const TABLE_LIST_COUNT_CAP = 10_000;

export const TableSummarySchema = z.object({
  table: z.string(),
  namespace: z.string(),
  name: z.string(),
  kind: TableKindSchema,
  access: TableAccessSchema,
  /** Whether rows can be created, edited and deleted through forms. */
  editable: z.boolean(),
  /** Whether the subject asking (see `as`) may read its rows; user and stream tables: its own rows. */
  canRead: z.boolean(),
  /** Whether the subject asking may write rows (false for tables without forms). */
  canWrite: z.boolean(),
});
export type TableSummary = z.infer<typeof TableSummarySchema>;

/** A table in the sidebar: its summary and the rows the subject sees, counted up to TABLE_LIST_COUNT_CAP. */
export const TableListEntrySchema = TableSummarySchema.extend({
  /** null when the subject may not read the table. */
  rowCount: z.number().int().nullable(),
  rowCountCapped: z.boolean(),
});
export type TableListEntry = z.infer<typeof TableListEntrySchema>;

export const TableDescriptionSchema = TableSummarySchema.extend({
  /**
   * The browsing columns. Data tables: `_user` first (user and stream tables, the owner), then the
   * table's columns, then `_seq` (the row's version) and, on stream tables, `_ts` (write time).
   * Columns starting with "_" are system columns: shown, never written.
   */
  columns: z.array(ColumnInfoSchema),
  keyColumns: z.array(z.string()),
  indexes: z.array(IndexInfoSchema),
  /**
   * Data tables: their row of system.tables (type, columns with defaults, access level, TTL, flush
   * policy, storage, schema_version, comment), to prefill the alter dialog. null for system tables.
   */
  definition: TableMetadataSchema.nullable(),
});
export type TableDescription = z.infer<typeof TableDescriptionSchema>;

/** A namespace of the sidebar tree; one without tables is listed too. */
export const NamespaceSummarySchema = z.object({
  name: z.string(),
  comment: NamespaceSchema.shape.comment,
  /** The engine's own namespace: its tables cannot be created, altered or dropped. */
  system: z.boolean(),
  /** How many tables it holds. */
  tables: z.number().int(),
});
export type NamespaceSummary = z.infer<typeof NamespaceSummarySchema>;

export const tablesContract = {
  /** The system tables (in their usual order), then the data tables in (namespace, table) order. */
  list: procedure.input(SubjectOnlyInputSchema).output(z.array(TableListEntrySchema)),
  describe: procedure.input(subjectInput({ table: TableRefSchema })).output(TableDescriptionSchema),
  /** Every namespace ("system" included), in name order. */
  namespaces: procedure.input(SubjectOnlyInputSchema).output(z.array(NamespaceSummarySchema)),
};
