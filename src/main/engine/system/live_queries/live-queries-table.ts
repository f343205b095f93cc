import { type LiveQueryId, LiveQueryIdKey } from '../../../../shared/keys/live-query-id';
import { type LiveQuery, LiveQuerySchema } from '../../../../shared/system/live-queries';
import type { SystemTableDefinition } from '../system-table-definition';

export const liveQueriesTable: SystemTableDefinition<LiveQueryId, LiveQuery> = {
  name: 'live_queries',
  key: LiveQueryIdKey,
  entity: { kind: 'live_query', version: 1, schema: LiveQuerySchema },
  keyOf: (q) => ({ user: q.user_id, connection: q.connection_id, subscription: q.subscription_id }) as LiveQueryId,
  keyColumns: ['user_id', 'connection_id', 'subscription_id'],
  indexes: [],
};
