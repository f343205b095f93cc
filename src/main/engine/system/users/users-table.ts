import { type UserId, UserIdKey } from '../../../../shared/keys/user-id';
import { type User, UserSchema } from '../../../../shared/system/users';
import type { IndexDefinition } from '../../index/secondary-index';
import type { SystemTableDefinition } from '../system-table-definition';

/** Unique among live users: a deleted user's name can be taken again, and a user can be renamed. */
export const usernameIndex: IndexDefinition<User> = {
  name: 'username',
  unique: true,
  partial: true,
  fields: ['username'],
  extract: (u) => (u.deleted_at === null ? [u.username] : undefined),
};

export const roleIndex: IndexDefinition<User> = {
  name: 'role',
  unique: false,
  fields: ['role'],
  extract: (u) => [u.role],
};

export const usersTable: SystemTableDefinition<UserId, User> = {
  name: 'users',
  key: UserIdKey,
  entity: { kind: 'user', version: 1, schema: UserSchema },
  keyOf: (u) => u.user_id,
  keyColumns: ['user_id'],
  indexes: [usernameIndex, roleIndex],
};
