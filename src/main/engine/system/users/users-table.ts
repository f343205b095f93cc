import { lowerCased } from '../../../../shared/keys/rules';
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

/** Login names are case-insensitive: whatever a caller passes is stored lower-cased (" Alice " is "alice"). */
export function lowerCaseUsername(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const name = (value as { username?: unknown }).username;
  if (typeof name !== 'string') return value;
  const lower = lowerCased(name);
  return lower === name ? value : { ...value, username: lower };
}

export const usersTable: SystemTableDefinition<UserId, User> = {
  name: 'users',
  key: UserIdKey,
  entity: { kind: 'user', version: 1, schema: UserSchema, normalize: lowerCaseUsername },
  keyOf: (u) => u.user_id,
  keyColumns: ['user_id'],
  indexes: [usernameIndex, roleIndex],
};
