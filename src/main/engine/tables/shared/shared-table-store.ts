import { type RowId, RowIdKey } from '../../../../shared/keys/row-id';
import type { UserId } from '../../../../shared/keys/user-id';
import { assertCanRead, assertCanWrite, type Subject } from '../../access/subject';
import { ValidationError } from '../../errors';
import type { DataStoreContext } from '../data-table-store';
import { KeyedTableStore, type RowKeys } from '../keyed-table-store';
import type { TableSchema } from '../table-schema';

/**
 * A shared table: one key space of rows keyed by RowId (the order-preserving encoding of the
 * primary key, so integer keys sort numerically), open to roles by the table's access level.
 */
export type SharedTableStore = KeyedTableStore<RowId, 'shared'>;

const EMPTY = new Uint8Array(0);

/** The keys of a shared table: the primary key alone; who may read and write is its access level. */
function sharedKeys(schema: TableSchema): RowKeys<RowId, 'shared'> {
  if (schema.type !== 'shared') throw ValidationError.single(schema.label, '', `${schema.label} is a ${schema.type} table, not a shared table`);
  const access = schema.access ?? 'private';
  const noOwner = (user: UserId | undefined) => {
    if (user !== undefined) throw new ValidationError(schema.label, [{ field: 'user', message: 'the rows of a shared table have no owner' }]);
  };
  const read = (subject: Subject, user: UserId | undefined) => {
    noOwner(user);
    assertCanRead(subject, schema.label, access);
  };
  const write = (subject: Subject, user: UserId | undefined) => {
    noOwner(user);
    assertCanWrite(subject, schema.label, access);
    return EMPTY;
  };
  return {
    kind: 'shared',
    codec: RowIdKey,
    access,
    owned: false,
    readScope: (subject, user) => {
      read(subject, user);
      return undefined;
    },
    pointScope: (subject, user) => {
      read(subject, user);
      return EMPTY;
    },
    writeScope: write,
    newRowScope: write,
    ownerOf: () => undefined,
    parseDisplayKey: (text) => schema.parseRowId(text),
  };
}

export function sharedTableStore(schema: TableSchema, context: DataStoreContext): SharedTableStore {
  return new KeyedTableStore(schema, context, sharedKeys(schema));
}
