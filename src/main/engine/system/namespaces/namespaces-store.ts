import type { NamespaceId } from '../../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../../shared/keys/table-id';
import type { Namespace } from '../../../../shared/system/namespaces';
import { EngineError, NotFoundError } from '../../errors';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import type { TablesStore } from '../tables/tables-store';
import { namespacesTable } from './namespaces-table';

export class NamespacesStore extends SystemTableStore<NamespaceId, Namespace> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, namespacesTable));
  }

  /**
   * Drops a namespace. With tables in it, only when cascading, and then its table definitions go
   * in the same transaction. Returns the ids of the tables dropped with it.
   */
  drop(id: NamespaceId, tables: TablesStore, options: { cascade: boolean }): string[] {
    return this.backend.transaction(() => {
      if (!this.exists(id)) throw new NotFoundError(`namespace ${id}`);
      const inside = [...tables.inNamespace(id)].map((t) => tables.keyOf(t));
      if (inside.length > 0 && !options.cascade) {
        throw new EngineError('IN_USE', `namespace ${id} has ${inside.length} table(s); drop them first or drop with cascade`);
      }
      tables.deleteMany(inside);
      this.delete(id);
      return inside.map((t) => TableIdKey.display(t));
    });
  }
}
