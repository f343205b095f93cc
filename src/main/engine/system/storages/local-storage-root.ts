import { resolve } from 'node:path';
import type { StorageBackend } from '../../storage/storage-backend';
import type { StoragesStore } from './storages-store';
import { LOCAL_STORAGE_ID } from './storages-table';

/** The engine's own bookkeeping partition (see Sequence, instance-id). */
const META_PARTITION = 'engine.meta';
/** The base directory the engine last gave the default storage (not one a user set). */
const ROOT_KEY = new TextEncoder().encode('local_storage_root');

const samePath = (a: string, b: string) => resolve(a) === resolve(b);

/** What following the data directory does to a database: local's base directory afterwards and the record to keep. */
interface Decision {
  readonly base: string;
  readonly record: string;
}

/**
 * The rule: the default storage lives in its data directory, so when the engine opens a database
 * under another storage directory (the data directory was moved or copied, or a restore brought in
 * another directory's database), local moves with it, unless a user pointed it elsewhere (its
 * base directory differs from the one the engine recorded). A database without a record (from
 * before records existed) gets one for its current base directory and is not moved: nothing tells
 * whether a user chose it.
 */
function decide(localBase: string, recorded: string | undefined, storageDirectory: string): Decision {
  if (recorded === undefined) return { base: localBase, record: localBase };
  if (samePath(localBase, recorded) && !samePath(localBase, storageDirectory)) return { base: storageDirectory, record: storageDirectory };
  return { base: localBase, record: recorded };
}

function readRecord(backend: StorageBackend): string | undefined {
  if (!backend.hasPartition(META_PARTITION)) return undefined;
  const bytes = backend.get(META_PARTITION, ROOT_KEY);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/**
 * Local's base directory once the rule is applied to this database, without writing anything
 * (a restore places a backup's files there before the swap applies it). Undefined without a local storage.
 */
export function followedLocalBase(backend: StorageBackend, storages: StoragesStore, storageDirectory: string): string | undefined {
  const local = storages.get(LOCAL_STORAGE_ID);
  return local === undefined ? undefined : decide(local.base_directory, readRecord(backend), storageDirectory).base;
}

/**
 * Applies the rule in one transaction (nested in the caller's when there is one): re-points local
 * and updates the record as needed. Returns the base directory local had before when it moved.
 */
export function followStorageDirectory(backend: StorageBackend, storages: StoragesStore, storageDirectory: string, now: number): string | undefined {
  return backend.transaction(() => {
    const local = storages.get(LOCAL_STORAGE_ID);
    if (local === undefined) return undefined;
    const recorded = readRecord(backend);
    const { base, record } = decide(local.base_directory, recorded, storageDirectory);
    if (record !== recorded) {
      backend.createPartition(META_PARTITION);
      backend.put(META_PARTITION, ROOT_KEY, new TextEncoder().encode(record));
    }
    if (base === local.base_directory) return undefined;
    storages.update(LOCAL_STORAGE_ID, (s) => ({ ...s, base_directory: base, updated_at: now }));
    return local.base_directory;
  });
}

/**
 * Points local at `storageDirectory` as the engine's own choice, so it follows the data directory
 * from then on (a restore confining a backup's local storage to this data directory). Nests in the
 * caller's transaction.
 */
export function adoptStorageDirectory(backend: StorageBackend, storages: StoragesStore, storageDirectory: string, now: number): void {
  backend.transaction(() => {
    const local = storages.get(LOCAL_STORAGE_ID);
    if (local === undefined) return;
    backend.createPartition(META_PARTITION);
    backend.put(META_PARTITION, ROOT_KEY, new TextEncoder().encode(storageDirectory));
    if (!samePath(local.base_directory, storageDirectory))
      storages.update(LOCAL_STORAGE_ID, (s) => ({ ...s, base_directory: storageDirectory, updated_at: now }));
  });
}
