import type { TableAccess } from '../../../shared/access';
import { EngineError, NotFoundError, ValidationError } from '../errors';
import { SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { type TableId, tableId, TableNameSchema } from '../../../shared/keys/table-id';
import { EntityStore, type EntityStoreConfig } from './entity-store';

export interface SystemTableConfig<K, V> extends Omit<EntityStoreConfig<K, V>, 'partition'> {
  /** The table's name in the system namespace, e.g. "users". */
  readonly name: string;
  /** Defaults to dba: system tables are for administrators. */
  readonly access?: TableAccess;
  /** The key of an entity, from the entity itself (system entities carry their id). */
  readonly keyOf: (value: V) => K;
}

/** Partition of a system table: "system.users". */
export function systemPartition(name: string): string {
  return `system.${name}`;
}

/** One system table: an EntityStore in the system namespace with an access level. */
export class SystemTableStore<K, V> extends EntityStore<K, V> {
  readonly tableId: TableId;
  private readonly access: TableAccess;

  constructor(private readonly config: SystemTableConfig<K, V>) {
    super({ ...config, partition: systemPartition(config.name) });
    this.tableId = tableId(SYSTEM_NAMESPACE, TableNameSchema.parse(config.name));
    this.access = config.access ?? 'dba';
  }

  tableAccess(): TableAccess {
    return this.access;
  }

  keyOf(value: V): K {
    return this.config.keyOf(value);
  }

  /** Stores a new entity; an entity with the same key is an ALREADY_EXISTS error. */
  insert(value: V): V {
    const stored = this.valueCodec.validate(value);
    const key = this.keyOf(stored);
    return this.backend.transaction(() => {
      const k = this.keyCodec.encode(key);
      if (this.backend.get(this.partition, k) !== undefined) {
        throw new EngineError('ALREADY_EXISTS', `${this.tableId.namespace}.${this.tableId.table}: ${this.keyCodec.display(key)} already exists`);
      }
      return this.write(k, stored);
    });
  }

  /** Stores an entity under its own key, new or not. */
  upsert(value: V): V {
    const stored = this.valueCodec.validate(value);
    return this.backend.transaction(() => this.write(this.keyCodec.encode(this.keyOf(stored)), stored));
  }

  /**
   * Read-modify-write in one transaction. The change may not move the entity to another key.
   * Returns the stored value.
   */
  update(key: K, change: (current: V) => V): V {
    return this.backend.transaction(() => {
      const k = this.keyCodec.encode(key);
      const bytes = this.backend.get(this.partition, k);
      if (bytes === undefined) throw new NotFoundError(`${this.tableId.namespace}.${this.tableId.table}: ${this.keyCodec.display(key)}`);
      const next = this.valueCodec.validate(change(this.decodeValue(k, bytes)));
      if (this.keyCodec.display(this.keyOf(next)) !== this.keyCodec.display(key)) {
        throw ValidationError.single(systemPartition(this.config.name), '', `the key of ${this.keyCodec.display(key)} cannot change`);
      }
      return this.write(k, next);
    });
  }
}
