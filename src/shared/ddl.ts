import { z } from 'zod';
import { TableAccessSchema } from './access';
import { ColumnTypeSchema } from './browse';
import { JsonObjectSchema, JsonValueSchema } from './json-value';
import { lowerCased, MAX_NAME_LENGTH } from './keys/rules';
import { ruleCheck } from './rule-check';
import { FlushPolicySchema } from './system/tables';

/**
 * Inputs of the DDL operations (create/alter/drop of namespaces and tables), shared by the engine,
 * the contract and the forms. The engine re-checks everything and answers with field-named
 * ValidationErrors whose fields are the paths of these shapes ("columns.1.name", "column.default").
 */

/**
 * Names every JavaScript object answers to (Object.prototype's: constructor, __proto__, toString,
 * …, and "prototype"), by their lower-cased form, as column names are lower-cased. A row is a
 * JavaScript object on its way through zod, the transports and the renderer: a column named like
 * this reads the inherited property wherever a row lacks its own (e.g. "constructor" reads a
 * function). The lower-cased forms of the others are refused too: identifiers are
 * case-insensitive, so "tostring" is one letter case away from toString.
 */
export const RESERVED_COLUMN_NAMES: ReadonlyMap<string, string> = new Map(
  [...Object.getOwnPropertyNames(Object.prototype), 'prototype'].map((n) => [n.toLowerCase(), n]),
);

/** The first rule a new column name breaks, or undefined. */
export function columnNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  const reserved = RESERVED_COLUMN_NAMES.get(name.toLowerCase());
  if (reserved !== undefined) return `"${name}" is reserved: every JavaScript object has a property "${reserved}"`;
  if (name.startsWith('_')) return 'must not start with "_" (reserved for system columns such as _seq and _deleted)';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if (/^[0-9]/.test(name)) return 'must not start with a digit';
  if (!/^[a-z0-9_]*$/.test(name)) return 'may only contain lower-case letters, digits and "_"';
  return undefined;
}

/** A column name as typed: lower-cased, then the identifier rules with a system-column message. */
export const ColumnNameSchema = z.string().transform(lowerCased).check(ruleCheck(columnNameProblem));

export const ColumnInputSchema = z.strictObject({
  name: ColumnNameSchema,
  type: ColumnTypeSchema,
  /** Defaults to true, and to false for the primary key (which can never be null). */
  nullable: z.boolean().optional(),
  primary_key: z.boolean().default(false),
  /** A JSON value valid for the column's type; filled in when a write leaves the column out. */
  default: JsonValueSchema.optional(),
});
export type ColumnInput = z.input<typeof ColumnInputSchema>;

export const DataTableTypeSchema = z.enum(['shared', 'user', 'stream']);
export type DataTableType = z.infer<typeof DataTableTypeSchema>;

export const CreateNamespaceInputSchema = z.strictObject({
  name: z.string(),
  comment: z.string().max(1000).nullable().optional(),
  options: JsonObjectSchema.optional(),
});
export type CreateNamespaceInput = z.input<typeof CreateNamespaceInputSchema>;

export const CreateTableInputSchema = z.strictObject({
  namespace: z.string(),
  name: z.string(),
  type: DataTableTypeSchema,
  columns: z.array(ColumnInputSchema).min(1, 'needs at least one column').max(1000),
  /** Shared tables only; defaults to "private". */
  access_level: TableAccessSchema.optional(),
  /** Stream tables only, and required there: how long a row stays visible. */
  ttl_seconds: z.int().min(1).optional(),
  flush_policy: FlushPolicySchema.nullable().optional(),
  /** Defaults to the "local" storage. */
  storage_id: z.string().optional(),
  comment: z.string().max(1000).nullable().optional(),
});
export type CreateTableInput = z.input<typeof CreateTableInputSchema>;

export const AlterTableInputSchema = z.discriminatedUnion('action', [
  /** A new column must be nullable or have a default, which existing rows then read. */
  z.strictObject({ action: z.literal('add_column'), column: ColumnInputSchema }),
  /** Not the primary key. */
  z.strictObject({ action: z.literal('drop_column'), name: z.string() }),
  z.strictObject({ action: z.literal('rename_column'), from: z.string(), to: ColumnNameSchema }),
  z.strictObject({
    action: z.literal('set_options'),
    comment: z.string().max(1000).nullable().optional(),
    /** Shared tables only. */
    access_level: TableAccessSchema.optional(),
    /** Stream tables only. */
    ttl_seconds: z.int().min(1).optional(),
    flush_policy: FlushPolicySchema.nullable().optional(),
  }),
]);
export type AlterTableInput = z.input<typeof AlterTableInputSchema>;
