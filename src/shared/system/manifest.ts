import { z } from 'zod';
import { timestamp } from '../column-meta';
import { NamespaceIdSchema } from '../keys/namespace-id';
import { TableNameSchema } from '../keys/table-id';
import { UserIdSchema } from '../keys/user-id';

/** system.manifest: one flushed Parquet segment of a table scope (the table, or one user of a user table). */
export const ManifestEntrySchema = z
  .object({
    namespace_id: NamespaceIdSchema,
    table_name: TableNameSchema,
    user_id: UserIdSchema.nullable(),
    batch: z.number().int().min(0),
    /** Relative to the storage's base directory. */
    file_path: z.string().min(1),
    row_count: z.number().int().min(0),
    size_bytes: z.number().int().min(0),
    min_seq: z.number().int().min(0),
    max_seq: z.number().int().min(0),
    schema_version: z.number().int().min(1),
    created_at: timestamp(),
  })
  .refine((m) => m.min_seq <= m.max_seq, { path: ['max_seq'], message: 'must not be below min_seq' });
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
