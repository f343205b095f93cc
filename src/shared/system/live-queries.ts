import { z } from 'zod';
import { timestamp } from '../column-meta';
import { NamespaceIdSchema } from '../keys/namespace-id';
import { idString } from '../keys/rules';
import { TableNameSchema } from '../keys/table-id';
import { UserIdSchema } from '../keys/user-id';

/** system.live_queries: one row per active subscription, removed when its connection goes away. */
export const LiveQuerySchema = z.object({
  user_id: UserIdSchema,
  connection_id: idString,
  subscription_id: idString,
  namespace_id: NamespaceIdSchema,
  table_name: TableNameSchema,
  filter: z.string().max(4000).nullable(),
  status: z.enum(['active', 'paused']),
  created_at: timestamp(),
  last_update: timestamp(),
  changes: z.number().int().min(0),
});
export type LiveQuery = z.infer<typeof LiveQuerySchema>;
