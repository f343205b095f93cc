import { randomBytes } from 'node:crypto';
import { EDITABLE_SYSTEM_TABLES, type UserCreateForm, type UserForm } from '../../../shared/forms';
import { type UserId, UserIdSchema } from '../../../shared/keys/user-id';
import type { User } from '../../../shared/system/users';
import type { Engine } from '../../engine/engine';
import { EngineError, ValidationError } from '../../engine/errors';
import { ROOT_USER_ID } from '../../engine/migrations';
import { newUser } from '../../engine/system/users/new-user';
import { UsersStore } from '../../engine/system/users/users-store';
import type { EditorSpec } from '../editor';

/** A new user id: "u_" and 13 random base-36 digits. */
export function newUserId(): UserId {
  const n = BigInt(`0x${randomBytes(8).toString('hex')}`);
  return UserIdSchema.parse(`u_${n.toString(36).padStart(13, '0')}`);
}

/** Users: ids generated when absent, a first password hashed before the insert, soft deletes. */
export function usersEditor(engine: Engine): EditorSpec<UserId, User, UserCreateForm, UserForm> {
  const { users, storages } = engine.system;

  return {
    name: 'users',
    store: users,
    forms: EDITABLE_SYSTEM_TABLES.users,

    draft(form, now) {
      if (form.password !== undefined && form.auth_type !== 'password') {
        throw new ValidationError('user', [{ field: 'password', message: `can only be set when auth_type is password (not ${form.auth_type})` }]);
      }
      const { username, role, email, auth_type, storage_mode, storage_id } = form;
      return newUser({ user_id: form.user_id ?? newUserId(), username, role, email, auth_type, storage_mode, storage_id }, now);
    },

    async prepare(form) {
      return form.password === undefined ? {} : { password_hash: await UsersStore.hashNewPassword(form.password) };
    },

    merge(current, form, now) {
      // A deleted user stays as it was deleted, for the audit trail (the renderer disables Edit, saying so).
      if (current.deleted_at !== null) throw new EngineError('NOT_FOUND', `user ${current.user_id} is deleted; a deleted user cannot be edited`);
      // Leaving password authentication drops the password: the user schema allows no hash then.
      return { ...current, ...form, password_hash: form.auth_type === 'password' ? current.password_hash : null, updated_at: now };
    },

    check(user) {
      if (user.storage_id !== null && !storages.exists(user.storage_id)) {
        throw new ValidationError('user', [{ field: 'storage_id', message: `storage "${user.storage_id}" does not exist` }]);
      }
    },

    remove(id, current, scope) {
      if (id === ROOT_USER_ID) throw new EngineError('IN_USE', 'the root user is the identity Kalam Studio acts as; it cannot be deleted');
      if (current.deleted_at !== null) throw new EngineError('NOT_FOUND', `user ${id} is already deleted`);
      users.softDelete(id, scope.now);
    },
  };
}
