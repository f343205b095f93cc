import { join } from 'node:path';
import type { UserId } from '../../../shared/keys/user-id';
import type { Storage } from '../../../shared/system/storages';
import type { TableMetadata } from '../../../shared/system/tables';

/** The folder of one scope relative to the storage's base directory: its template with the placeholders filled. */
export function scopeDirectory(storage: Storage, meta: TableMetadata, user: UserId | null): string {
  const template = user === null ? storage.shared_tables_template : storage.user_tables_template;
  return template
    .replaceAll('{namespace}', meta.namespace_id)
    .replaceAll('{tableName}', meta.table_name)
    .replaceAll('{userId}', user ?? '')
    .replace(/\\/g, '/')
    .replace(/\/+$/, '');
}

/** `{scope directory}/batch-{N}.parquet`, relative to the base directory (what system.manifest records). */
export function segmentPath(scopeDir: string, batch: number): string {
  return `${scopeDir}/batch-${batch}.parquet`;
}

export const SCOPE_MANIFEST = 'manifest.json';

/** Where the flush journals of a storage live (one per table being flushed). */
export function journalDirectory(storage: Storage): string {
  return join(storage.base_directory, '.kalam-flush');
}
