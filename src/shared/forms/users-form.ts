import { z } from 'zod';
import { references } from '../column-meta';
import { StorageIdSchema } from '../keys/storage-id';
import { UserIdSchema } from '../keys/user-id';
import { UserNameInputSchema } from '../keys/user-name';
import { AuthTypeSchema, EmailSchema, StorageModeSchema, UserRoleSchema } from '../system/users';

/** New passwords: checked in the renderer for quick feedback and again in the main process. */
export const NewPasswordSchema = z.string().min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters');

/** The fields an administrator edits on a user; the rest (timestamps, hash, counters) are the engine's. */
export const UserFormSchema = z.strictObject({
  username: UserNameInputSchema,
  email: EmailSchema.nullable(),
  role: UserRoleSchema,
  auth_type: AuthTypeSchema,
  storage_mode: StorageModeSchema,
  storage_id: references(StorageIdSchema.nullable(), 'system.storages'),
});
export type UserForm = z.infer<typeof UserFormSchema>;

/** Creating a user may name its id (generated when absent) and set a first password. */
export const UserCreateFormSchema = UserFormSchema.extend({
  user_id: UserIdSchema.optional(),
  password: NewPasswordSchema.optional(),
});
export type UserCreateForm = z.infer<typeof UserCreateFormSchema>;
