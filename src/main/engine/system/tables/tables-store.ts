import type { NamespaceId } from '../../../../shared/keys/namespace-id';
import type { StorageId } from '../../../../shared/keys/storage-id';
import { namespaceTablesPrefix, type TableId } from '../../../../shared/keys/table-id';
import type { TableMetadata } from '../../../../shared/system/tables';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { tablesTable } from './tables-table';

export class TablesStore extends SystemTableStore<TableId, TableMetadata> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, tablesTable));
  }

  /** Tables of one namespace, by key prefix. */
  *inNamespace(namespace: NamespaceId): Generator<TableMetadata> {
    for (const [, t] of this.scan({ prefix: namespaceTablesPrefix(namespace) })) yield t;
  }

  countInNamespace(namespace: NamespaceId): number {
    return this.count({ prefix: namespaceTablesPrefix(namespace) });
  }

  *usingStorage(storage: StorageId, limit?: number): Generator<TableMetadata> {
    for (const [, t] of this.findBy('storage', [storage], limit)) yield t;
  }
}
