import type { Role } from '../../../../shared/access';
import type { UserId } from '../../../../shared/keys/user-id';
import type { UserName } from '../../../../shared/keys/user-name';
import type { User } from '../../../../shared/system/users';
import { ValidationError } from '../../errors';
import { issuesOf } from '../../codec/value-codec';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { hashPassword, PasswordSchema } from './passwords';
import { usersTable } from './users-table';

export class UsersStore extends SystemTableStore<UserId, User> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, usersTable));
  }

  /** A live (not deleted) user by login name. */
  byUsername(name: UserName): User | undefined {
    return this.getBy('username', [name])?.[1];
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
