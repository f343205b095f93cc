import { z } from 'zod';
import { RoleSchema } from '../access';
import { secret, timestamp } from '../column-meta';
import { StorageIdSchema } from '../keys/storage-id';
import { UserIdSchema } from '../keys/user-id';
import { UserNameSchema } from '../keys/user-name';
import { type RuleProblem, ruleCheck } from '../rule-check';

export const AuthTypeSchema = z.enum(['password', 'oauth', 'internal']);

/** Where a user's table data goes: the table's own storage, or the user's region storage. */
export const StorageModeSchema = z.enum(['table', 'region']);

/** Roles a stored user can hold; anonymous is only ever the absence of a user. */
export const UserRoleSchema = RoleSchema.exclude(['anonymous']);

/** RFC 5321: a path holds at most 256 octets, angle brackets included, so an address at most 254; a local part at most 64. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_EMAIL_LOCAL_PART = 64;

/** An email address: valid, and short enough for mail to reach it (forms and the engine alike). */
export const EmailSchema = z
  .email('must be a valid email address')
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .check(
    ruleCheck((s: string) =>
      s.lastIndexOf('@') > MAX_EMAIL_LOCAL_PART ? `the part before "@" must be at most ${MAX_EMAIL_LOCAL_PART} characters` : undefined,
    ),
  );

/** An argon2id PHC string; never leaves the main process. */
export const PasswordHashSchema = z.string().regex(/^\$argon2id\$/, 'must be an argon2id hash');

/** system.users: one row per user. Deleting a user is a soft delete (deleted_at set). */
export const UserSchema = z
  .object({
    user_id: UserIdSchema,
    username: UserNameSchema,
    password_hash: secret(PasswordHashSchema.nullable()),
    role: UserRoleSchema,
    email: EmailSchema.nullable(),
    auth_type: AuthTypeSchema,
    storage_mode: StorageModeSchema,
    storage_id: StorageIdSchema.nullable(),
    failed_login_attempts: z.number().int().min(0),
    locked_until: timestamp().nullable(),
    last_login_at: timestamp().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
    deleted_at: timestamp().nullable(),
  })
  .check(
    ruleCheck((u) => {
      const problems: RuleProblem[] = [];
      if (u.storage_mode === 'region' && u.storage_id === null) problems.push({ path: ['storage_id'], message: 'is required when storage_mode is region' });
      if (u.auth_type !== 'password' && u.password_hash !== null)
        problems.push({ path: ['password_hash'], message: `must be empty for auth type ${u.auth_type}` });
      return problems;
    }),
  );
export type User = z.infer<typeof UserSchema>;
