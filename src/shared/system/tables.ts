import { z } from 'zod';
import { TableAccessSchema } from '../access';
import { ColumnTypeSchema } from '../browse';
import { timestamp } from '../column-meta';
import { JsonValueSchema } from '../json-value';
import { NamespaceIdSchema } from '../keys/namespace-id';
import { identifierName } from '../keys/rules';
import { StorageIdSchema } from '../keys/storage-id';
import { TableNameSchema } from '../keys/table-id';
import { type RuleProblem, ruleCheck } from '../rule-check';

export const TableTypeSchema = z.enum(['user', 'shared', 'stream', 'system']);

export const ColumnDefinitionSchema = z.object({
  name: identifierName,
  type: ColumnTypeSchema,
  nullable: z.boolean(),
  primary_key: z.boolean(),
  default: JsonValueSchema.optional(),
});
export type ColumnDefinition = z.infer<typeof ColumnDefinitionSchema>;

export const FlushPolicySchema = z
  .strictObject({
    row_limit: z.number().int().min(1).optional(),
    interval_seconds: z.number().int().min(1).optional(),
  })
  .refine((p) => p.row_limit !== undefined || p.interval_seconds !== undefined, 'needs a row limit, an interval, or both');
export type FlushPolicy = z.infer<typeof FlushPolicySchema>;

/** system.tables: the definition of every table, keyed by (namespace, table). */
export const TableMetadataSchema = z
  .object({
    namespace_id: NamespaceIdSchema,
    table_name: TableNameSchema,
    table_type: TableTypeSchema,
    columns: z.array(ColumnDefinitionSchema).min(1, 'needs at least one column').max(1000),
    access_level: TableAccessSchema.nullable(),
    storage_id: StorageIdSchema,
    flush_policy: FlushPolicySchema.nullable(),
    ttl_seconds: z.number().int().min(1).nullable(),
    schema_version: z.number().int().min(1),
    comment: z.string().max(1000).nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .check(
    ruleCheck((t) => {
      const problems: RuleProblem[] = [];
      const keys = t.columns.filter((c) => c.primary_key);
      if (keys.length !== 1) problems.push({ path: ['columns'], message: `needs exactly one primary key column, found ${keys.length}` });
      if (keys[0]?.nullable) problems.push({ path: ['columns'], message: `primary key ${keys[0].name} cannot be nullable` });
      const seen = new Set<string>();
      t.columns.forEach((c, i) => {
        if (seen.has(c.name)) problems.push({ path: ['columns', i, 'name'], message: `duplicate column ${c.name}` });
        seen.add(c.name);
      });
      if (t.table_type === 'shared' && t.access_level === null) problems.push({ path: ['access_level'], message: 'is required for shared tables' });
      if (t.table_type !== 'shared' && t.table_type !== 'system' && t.access_level !== null) {
        problems.push({ path: ['access_level'], message: `does not apply to ${t.table_type} tables` });
      }
      if (t.table_type === 'stream' && t.ttl_seconds === null) problems.push({ path: ['ttl_seconds'], message: 'is required for stream tables' });
      if (t.table_type !== 'stream' && t.ttl_seconds !== null) problems.push({ path: ['ttl_seconds'], message: 'only applies to stream tables' });
      return problems;
    }),
  );
export type TableMetadata = z.infer<typeof TableMetadataSchema>;
