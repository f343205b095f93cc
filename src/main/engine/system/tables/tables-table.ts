import { type TableId, tableId, TableIdKey } from '../../../../shared/keys/table-id';
import { type TableMetadata, TableMetadataSchema } from '../../../../shared/system/tables';
import type { IndexDefinition } from '../../index/secondary-index';
import type { SystemTableDefinition } from '../system-table-definition';

/** Which tables keep their files in a storage: a storage in use cannot be dropped. */
export const storageIndex: IndexDefinition<TableMetadata> = {
  name: 'storage',
  unique: false,
  fields: ['storage_id'],
  extract: (t) => [t.storage_id],
};

export const tablesTable: SystemTableDefinition<TableId, TableMetadata> = {
  name: 'tables',
  key: TableIdKey,
  entity: { kind: 'table', version: 1, schema: TableMetadataSchema },
  keyOf: (t) => tableId(t.namespace_id, t.table_name),
  keyColumns: ['namespace_id', 'table_name'],
  indexes: [storageIndex],
};
