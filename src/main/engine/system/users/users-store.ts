import type { Role } from '../../../../shared/access';
import type { UserId } from '../../../../shared/keys/user-id';
import { type UserName, UserNameSchema } from '../../../../shared/keys/user-name';
import { lowerCased } from '../../../../shared/keys/rules';
import type { User } from '../../../../shared/system/users';
import { issuesOf, ValidationError } from '../../errors';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import type { RowOwners } from '../../tables/ownership';
import { storeConfig } from '../system-table-definition';
import { hashPassword, PasswordSchema } from './passwords';
import { usersTable } from './users-table';

export class UsersStore extends SystemTableStore<UserId, User> implements RowOwners {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, usersTable));
  }

  /** A live (not deleted) user by login name. */
  byUsername(name: UserName): User | undefined {
    return this.getBy('username', [name])?.[1];
  }

  /**
   * Why `id` cannot own new rows of user and stream tables, or undefined. User ids and usernames
   * are different keys ("u_…" and "alice"): a username given for an id is named as such.
   */
  ownerProblem(id: UserId): string | undefined {
    const user = this.get(id);
    if (user !== undefined)
      return user.deleted_at === null ? undefined : `user "${id}" (${user.username}) is deleted: rows can only be created for existing users`;
    const name = UserNameSchema.safeParse(lowerCased(id));
    const named = name.success ? this.byUsername(name.data) : undefined;
    if (named !== undefined)
      return `"${id}" is a username, not a user id: rows belong to a user id, and the user id of ${named.username} is "${named.user_id}"`;
    return `no user has the id "${id}" (rows belong to a user id, such as "u_…", not a username)`;
  }

  *withRole(role: Role): Generator<User> {
    for (const [, user] of this.findBy('role', [role])) yield user;
  }

  /** Soft delete: the row stays for the audit trail; the username becomes free. */
  softDelete(id: UserId, now: number): User {
    return this.update(id, (u) => ({ ...u, deleted_at: now, updated_at: now }));
  }

  /** Hashes outside the transaction (argon2 is slow on purpose), then stores the hash. */
  async setPassword(id: UserId, password: string, now: number): Promise<User> {
    return this.storePasswordHash(id, await UsersStore.hashNewPassword(password), now);
  }

  /** Checks a new password and hashes it; slow on purpose, so call it outside any transaction. */
  static async hashNewPassword(password: string): Promise<string> {
    const checked = PasswordSchema.safeParse(password);
    if (!checked.success)
      throw new ValidationError(
        'user',
        issuesOf(checked.error).map((i) => ({ ...i, field: 'password' })),
      );
    return hashPassword(password);
  }

  /** Stores a hash from hashNewPassword; may run inside the caller's transaction (e.g. with its audit entry). */
  storePasswordHash(id: UserId, passwordHash: string, now: number): User {
    return this.update(id, (u) => ({
      ...u,
      auth_type: 'password',
      password_hash: passwordHash,
      failed_login_attempts: 0,
      locked_until: null,
      updated_at: now,
    }));
  }
}
