import { z } from 'zod';
import { timestamp } from '../column-meta';
import { JsonObjectSchema } from '../json-value';
import { NamespaceIdSchema } from '../keys/namespace-id';

/** system.namespaces: a namespace groups tables; it cannot be dropped while it has tables, unless cascading. */
export const NamespaceSchema = z.object({
  namespace_id: NamespaceIdSchema,
  options: JsonObjectSchema,
  comment: z.string().max(1000).nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export type Namespace = z.infer<typeof NamespaceSchema>;
