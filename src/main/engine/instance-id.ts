import { randomUUID } from 'node:crypto';
import type { StorageBackend } from './storage/storage-backend';

const META_PARTITION = 'engine.meta';
const INSTANCE_KEY = new TextEncoder().encode('instance_id');

/**
 * The database's lineage: a random id written the first time a database is opened and carried by
 * its backups, so a restore can tell a backup of this database (or an earlier state of it) from a
 * foreign one. Restoring a backup keeps the id it carries.
 */
export function ensureInstanceId(backend: StorageBackend): string {
  return backend.transaction(() => {
    backend.createPartition(META_PARTITION);
    const existing = readInstanceId(backend);
    if (existing !== undefined) return existing;
    const id = randomUUID();
    backend.put(META_PARTITION, INSTANCE_KEY, new TextEncoder().encode(id));
    return id;
  });
}

/** The id stored in a database, or undefined (a database from before ids existed, or not ours). */
export function readInstanceId(backend: StorageBackend): string | undefined {
  if (!backend.hasPartition(META_PARTITION)) return undefined;
  const bytes = backend.get(META_PARTITION, INSTANCE_KEY);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
