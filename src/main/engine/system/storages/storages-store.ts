import type { StorageId } from '../../../../shared/keys/storage-id';
import { TableIdKey } from '../../../../shared/keys/table-id';
import type { Storage } from '../../../../shared/system/storages';
import { EngineError, NotFoundError } from '../../errors';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import type { TablesStore } from '../tables/tables-store';
import { DEFAULT_SHARED_TEMPLATE, DEFAULT_USER_TEMPLATE, LOCAL_STORAGE_ID, storagesTable } from './storages-table';

export class StoragesStore extends SystemTableStore<StorageId, Storage> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, storagesTable));
  }

  /** The default filesystem storage under the data directory. */
  createLocal(baseDirectory: string, now: number): Storage {
    return this.insert({
      storage_id: LOCAL_STORAGE_ID,
      storage_name: 'Local filesystem',
      description: 'Default storage in the data directory',
      storage_type: 'filesystem',
      base_directory: baseDirectory,
      shared_tables_template: DEFAULT_SHARED_TEMPLATE,
      user_tables_template: DEFAULT_USER_TEMPLATE,
      created_at: now,
      updated_at: now,
    });
  }

  /** Drops a storage no table uses; the default storage stays. */
  drop(id: StorageId, tables: TablesStore): void {
    this.backend.transaction(() => {
      if (id === LOCAL_STORAGE_ID) throw new EngineError('IN_USE', 'the default storage "local" cannot be dropped');
      if (!this.exists(id)) throw new NotFoundError(`storage ${id}`);
      const users = [...tables.usingStorage(id, 5)].map((t) => TableIdKey.display(tables.keyOf(t)));
      if (users.length > 0) throw new EngineError('IN_USE', `storage ${id} is used by ${users.join(', ')}${users.length === 5 ? ', …' : ''}`);
      this.delete(id);
    });
  }
}
