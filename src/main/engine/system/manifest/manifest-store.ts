import { type ManifestId, scopeSegmentsPrefix, tableSegmentsPrefix } from '../../../../shared/keys/manifest-id';
import type { TableId } from '../../../../shared/keys/table-id';
import type { UserId } from '../../../../shared/keys/user-id';
import type { ManifestEntry } from '../../../../shared/system/manifest';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { manifestTable } from './manifest-table';

export class ManifestStore extends SystemTableStore<ManifestId, ManifestEntry> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, manifestTable));
  }

  /** Every segment of a table, shared scope first, then users in key order, batches ascending. */
  *segmentsOf(table: TableId): Generator<ManifestEntry> {
    for (const [, m] of this.scan({ prefix: tableSegmentsPrefix(table) })) yield m;
  }

  *segmentsOfScope(table: TableId, user: UserId | null): Generator<ManifestEntry> {
    for (const [, m] of this.scan({ prefix: scopeSegmentsPrefix(table, user) })) yield m;
  }

  /** The batch number the next flush of a scope writes. */
  nextBatch(table: TableId, user: UserId | null): number {
    const last = this.scan({ prefix: scopeSegmentsPrefix(table, user), reverse: true, limit: 1 }).next();
    return last.done ? 0 : last.value[1].batch + 1;
  }
}
