import { EDITABLE_SYSTEM_TABLES, type StorageCreateForm, type StorageForm } from '../../../shared/forms';
import type { StorageId } from '../../../shared/keys/storage-id';
import type { Storage } from '../../../shared/system/storages';
import type { Engine } from '../../engine/engine';
import { EngineError } from '../../engine/errors';
import { assertHostPath } from '../../engine/host-path';
import type { EditorSpec } from '../editor';

/** Storages: the engine refuses to drop the default one or one a table uses; so do users here. */
export function storagesEditor(engine: Engine): EditorSpec<StorageId, Storage, StorageCreateForm, StorageForm> {
  const { storages, tables, users } = engine.system;

  return {
    name: 'storages',
    store: storages,
    forms: EDITABLE_SYSTEM_TABLES.storages,

    draft: (form, now) => ({ ...form, created_at: now, updated_at: now }),

    merge: (current, form, now) => ({ ...current, ...form, updated_at: now }),

    // The main process decides by its own platform's rule (the shared form schema checks syntax only).
    check: (storage) => assertHostPath('storage', 'base_directory', storage.base_directory),

    remove(id) {
      for (const [, user] of users.scan()) {
        if (user.storage_id === id && user.deleted_at === null) {
          throw new EngineError('IN_USE', `storage ${id} is the region storage of user ${user.username}`);
        }
      }
      storages.drop(id, tables);
    },
  };
}
