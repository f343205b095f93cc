import { type NamespaceId, NamespaceIdKey } from '../../../../shared/keys/namespace-id';
import { type Namespace, NamespaceSchema } from '../../../../shared/system/namespaces';
import type { SystemTableDefinition } from '../system-table-definition';

export const namespacesTable: SystemTableDefinition<NamespaceId, Namespace> = {
  name: 'namespaces',
  key: NamespaceIdKey,
  entity: { kind: 'namespace', version: 1, schema: NamespaceSchema },
  keyOf: (n) => n.namespace_id,
  keyColumns: ['namespace_id'],
  indexes: [],
};
