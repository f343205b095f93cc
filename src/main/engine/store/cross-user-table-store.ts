import type { TableAccess } from '../../../shared/access';
import type { TableId } from '../../../shared/keys/table-id';
import type { EntityStore } from './entity-store';

/**
 * A store whose rows are not owned by one user (system and shared tables): who may read and
 * write it is decided by its access level. User tables are scoped by key prefix instead.
 */
export interface CrossUserTableStore<K, V> extends EntityStore<K, V> {
  readonly tableId: TableId;
  tableAccess(): TableAccess;
}
