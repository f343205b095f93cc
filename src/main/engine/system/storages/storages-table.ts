import { type StorageId, StorageIdKey, StorageIdSchema } from '../../../../shared/keys/storage-id';
import { type Storage, StorageSchema } from '../../../../shared/system/storages';
import type { SystemTableDefinition } from '../system-table-definition';

/** The storage every database has from its first start; it cannot be dropped. */
export const LOCAL_STORAGE_ID = StorageIdSchema.parse('local');

export const DEFAULT_SHARED_TEMPLATE = '{namespace}/{tableName}';
export const DEFAULT_USER_TEMPLATE = '{namespace}/{tableName}/{userId}';

export const storagesTable: SystemTableDefinition<StorageId, Storage> = {
  name: 'storages',
  key: StorageIdKey,
  entity: { kind: 'storage', version: 1, schema: StorageSchema },
  keyOf: (s) => s.storage_id,
  keyColumns: ['storage_id'],
  indexes: [],
};
