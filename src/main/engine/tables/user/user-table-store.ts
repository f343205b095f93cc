import type { UserId } from '../../../../shared/keys/user-id';
import { type UserRowId, UserRowIdKey, userRowsPrefix } from '../../../../shared/keys/user-row-id';
import type { Subject } from '../../access/subject';
import { ValidationError } from '../../errors';
import { type DataStoreContext, keyBuffer } from '../data-table-store';
import { KeyedTableStore, type RowKeys } from '../keyed-table-store';
import { newRowOwner, scopeUser, splitUserKey, writeOwner } from '../ownership';
import type { TableSchema } from '../table-schema';

/**
 * A user table: every row belongs to one user and is keyed by UserRowId (user, row key), so one
 * user's rows are one contiguous key range (userRowsPrefix, whose string terminator keeps "alice"
 * from ever matching "alice2"). Every *Row method resolves the subject to a user first and reads
 * or writes under that user's prefix only.
 */
export type UserTableStore = KeyedTableStore<UserRowId, 'user'>;

/** The keys of a user table: the owner's prefix, then the primary key; the subject decides the owner (ownership.ts). */
function userKeys(schema: TableSchema): RowKeys<UserRowId, 'user'> {
  if (schema.type !== 'user') throw ValidationError.single(schema.label, '', `${schema.label} is a ${schema.type} table, not a user table`);
  const label = schema.label;
  const readScope = (subject: Subject, user: UserId | undefined) => {
    const owner = scopeUser(subject, user, 'read', label);
    return owner === undefined ? undefined : userRowsPrefix(owner);
  };
  return {
    kind: 'user',
    codec: UserRowIdKey,
    access: 'public',
    owned: true,
    readScope,
    pointScope: (subject, user) => {
      const prefix = readScope(subject, user);
      if (prefix === undefined) throw new ValidationError(label, [{ field: 'user', message: 'an admin read of one row must name the user who owns it' }]);
      return prefix;
    },
    writeScope: (subject, user) => userRowsPrefix(writeOwner(subject, user, label)),
    newRowScope: (subject, user, owners) => userRowsPrefix(newRowOwner(subject, user, label, owners)),
    ownerOf: (keyBytes) => UserRowIdKey.decode(keyBytes).user,
    parseDisplayKey: (text) => {
      const [user, key] = splitUserKey('UserRowId', text);
      return keyBuffer(userRowsPrefix(user), schema.parseRowId(key));
    },
  };
}

export function userTableStore(schema: TableSchema, context: DataStoreContext): UserTableStore {
  return new KeyedTableStore(schema, context, userKeys(schema));
}
