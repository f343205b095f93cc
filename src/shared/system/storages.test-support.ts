import { StorageIdSchema } from '../keys/storage-id';
import type { Storage } from './storages';

/** A filesystem storage row for tests, with the default path templates; tests name its id and folder. */
export function storageFixture(storageId: string, baseDirectory: string, now: number, over: Partial<Omit<Storage, 'storage_id'>> = {}): Storage {
  return {
    storage_id: StorageIdSchema.parse(storageId),
    storage_name: storageId,
    description: null,
    storage_type: 'filesystem',
    base_directory: baseDirectory,
    shared_tables_template: '{namespace}/{tableName}',
    user_tables_template: '{namespace}/{tableName}/{userId}',
    created_at: now,
    updated_at: now,
    ...over,
  };
}
