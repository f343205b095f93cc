import { z } from 'zod';
import type { TableAccess } from '../../../shared/access';
import type { ColumnInfo } from '../../../shared/browse';
import type { KeyCodec } from '../../../shared/keys/key-codec';
import { type EntityKind, ValueCodec } from '../codec/value-codec';
import type { IndexDefinition } from '../index/secondary-index';
import { columnsOf } from '../provider/columns';
import { EntityTableProvider } from '../provider/entity-table-provider';
import type { StorageBackend } from '../storage/storage-backend';
import type { SystemTableConfig, SystemTableStore } from '../store/system-table-store';

/** Everything that makes one system table: its key, entity kind, indexes and key columns. */
export interface SystemTableDefinition<K, V extends object> {
  readonly name: string;
  readonly key: KeyCodec<K>;
  /** Its schema must be an object schema: its fields are the table's columns. */
  readonly entity: EntityKind<V>;
  readonly keyOf: (value: V) => K;
  /** Entity fields that make up the key, shown as primary-key columns. */
  readonly keyColumns: readonly string[];
  readonly indexes: readonly IndexDefinition<V>[];
  readonly access?: TableAccess;
}

export function storeConfig<K, V extends object>(backend: StorageBackend, def: SystemTableDefinition<K, V>): SystemTableConfig<K, V> {
  return {
    backend,
    name: def.name,
    key: def.key,
    value: new ValueCodec(def.entity),
    indexes: def.indexes,
    keyOf: def.keyOf,
    ...(def.access ? { access: def.access } : {}),
  };
}

/** Columns from the entity schema; a column sorts through the index whose first field it is. */
export function systemColumns<K, V extends object>(def: SystemTableDefinition<K, V>): { columns: ColumnInfo[]; secrets: string[] } {
  const indexed: Record<string, string> = {};
  for (const index of def.indexes) {
    // A partial index leaves rows out (deleted users, finished jobs): sorting or seeking through it would hide them.
    if (index.partial) continue;
    const first = index.fields[0];
    if (first && !(first in indexed)) indexed[first] = index.name;
  }
  const schema = def.entity.schema;
  if (!(schema instanceof z.ZodObject)) throw new Error(`system.${def.name}: entity schema must be an object schema`);
  return columnsOf(schema, { primaryKey: def.keyColumns, indexed });
}

export function systemProvider<K, V extends object>(store: SystemTableStore<K, V>, def: SystemTableDefinition<K, V>): EntityTableProvider<K, V> {
  return new EntityTableProvider(store, systemColumns(def));
}
