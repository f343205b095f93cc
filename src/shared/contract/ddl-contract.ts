import { z } from 'zod';
import { AlterTableInputSchema, CreateNamespaceInputSchema, CreateTableInputSchema } from '../ddl';
import { NamespaceSchema } from '../system/namespaces';
import { TableMetadataSchema } from '../system/tables';
import { procedure, subjectInput, WRITES } from './common';
import { TableRefSchema } from '../keys/table-id';

/**
 * With `dryRun: true` the main process runs the whole operation (every rule, the new definition,
 * the schema_version bump) and rolls it back: a preview of the change that writes nothing.
 */
const DryRunSchema = z.boolean().optional();

/** The result of a create or alter: the table's definition after it, and the change as DDL text. */
export const TableChangeResultSchema = z.object({
  /** false for a dry run. */
  applied: z.boolean(),
  definition: TableMetadataSchema,
  /** The change in KalamDB's SQL dialect, e.g. "CREATE USER TABLE app.notes (…)", for the preview. */
  statement: z.string(),
});
export type TableChangeResult = z.infer<typeof TableChangeResultSchema>;

export const NamespaceChangeResultSchema = z.object({
  applied: z.boolean(),
  namespace: NamespaceSchema,
  statement: z.string(),
});
export type NamespaceChangeResult = z.infer<typeof NamespaceChangeResultSchema>;

export const CreateTableRequestSchema = subjectInput({ ...CreateTableInputSchema.shape, dryRun: DryRunSchema });
export const AlterTableRequestSchema = subjectInput({ table: TableRefSchema, change: AlterTableInputSchema, dryRun: DryRunSchema });

/**
 * Schema changes (need the admin; refused in read-only mode). Errors are VALIDATION with fields
 * that are paths of these inputs ("columns.1.name", "change.column.default"), NOT_FOUND,
 * ALREADY_EXISTS, or IN_USE (dropping a namespace with tables without `cascade`).
 */
export const ddlContract = {
  createNamespace: procedure
    .meta(WRITES)
    .input(subjectInput({ ...CreateNamespaceInputSchema.shape, dryRun: DryRunSchema }))
    .output(NamespaceChangeResultSchema),
  /** Returns the tables dropped with it (a cascade). */
  dropNamespace: procedure
    .meta(WRITES)
    .input(subjectInput({ name: z.string().max(200), cascade: z.boolean().optional() }))
    .output(z.object({ dropped: z.array(z.string()), statement: z.string() })),
  createTable: procedure.meta(WRITES).input(CreateTableRequestSchema).output(TableChangeResultSchema),
  /** One change per call; schema_version goes up by one. */
  alterTable: procedure.meta(WRITES).input(AlterTableRequestSchema).output(TableChangeResultSchema),
  /** Drops a table with its rows. */
  dropTable: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema }))
    .output(z.object({ dropped: z.literal(true), statement: z.string() })),
};
