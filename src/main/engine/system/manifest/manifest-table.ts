import { type ManifestId, manifestId, ManifestIdKey } from '../../../../shared/keys/manifest-id';
import { tableId } from '../../../../shared/keys/table-id';
import { type ManifestEntry, ManifestEntrySchema } from '../../../../shared/system/manifest';
import type { SystemTableDefinition } from '../system-table-definition';

export const manifestTable: SystemTableDefinition<ManifestId, ManifestEntry> = {
  name: 'manifest',
  key: ManifestIdKey,
  entity: { kind: 'manifest_entry', version: 1, schema: ManifestEntrySchema },
  keyOf: (m) => manifestId(tableId(m.namespace_id, m.table_name), m.user_id, m.batch),
  keyColumns: ['namespace_id', 'table_name', 'user_id', 'batch'],
  indexes: [],
};
