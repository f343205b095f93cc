import type { User } from '../../../../shared/system/users';

/** The fields a new user needs; the rest start empty. */
export type NewUserFields = Pick<User, 'user_id' | 'username'> & Partial<Omit<User, 'user_id' | 'username' | 'created_at' | 'updated_at'>>;

/**
 * A live user with no password, region or login history yet (role user, internal auth unless
 * given): the one place new-user defaults are written, for the root user of migration 1, the demo,
 * the users editor, the CLI's seed and the fixture database.
 */
export function newUser(fields: NewUserFields, now: number): User {
  return {
    password_hash: null,
    role: 'user',
    email: null,
    auth_type: 'internal',
    storage_mode: 'table',
    storage_id: null,
    failed_login_attempts: 0,
    locked_until: null,
    last_login_at: null,
    deleted_at: null,
    ...fields,
    created_at: now,
    updated_at: now,
  };
}
