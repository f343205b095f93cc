import { KeyError, parseWith } from '../../../shared/keys/key-codec';
import { type UserId, UserIdSchema } from '../../../shared/keys/user-id';
import type { Subject } from '../access/subject';
import { EngineError, ValidationError } from '../errors';

/** Whose rows an operation is about: only admins (no user id, role dba or system) may name one. */
export interface OwnerOption {
  readonly user?: UserId | undefined;
}

/**
 * The user a subject's operation is confined to, or undefined for "every user" (admin reads).
 *
 *  - a subject with a user id works on that user's rows only (naming another user is ACCESS_DENIED),
 *    whatever its role: "view as" a user sees exactly what that user sees;
 *  - a subject without a user id and role dba or system is the admin view: it may read across users
 *    or name one user;
 *  - anyone else (anonymous, or a user/service without an id) is denied.
 */
export function scopeUser(subject: Subject, user: UserId | undefined, action: 'read' | 'write', table: string): UserId | undefined {
  if (subject.role === 'anonymous') throw new EngineError('ACCESS_DENIED', `role "anonymous" may not ${action} ${table}`);
  if (subject.userId !== null) {
    if (user !== undefined && user !== subject.userId) {
      throw new EngineError('ACCESS_DENIED', `user "${subject.userId}" may not ${action} the rows of another user in ${table}`);
    }
    return subject.userId;
  }
  if (subject.role === 'dba' || subject.role === 'system') return user;
  throw new EngineError('ACCESS_DENIED', `role "${subject.role}" without a user may not ${action} ${table}`);
}

/** The owner of a write: the subject's own user, or the user an admin names (required then). */
export function writeOwner(subject: Subject, user: UserId | undefined, table: string): UserId {
  const owner = scopeUser(subject, user, 'write', table);
  if (owner === undefined) throw new ValidationError(table, [{ field: 'user', message: 'an admin write must name the user who owns the row' }]);
  return owner;
}

/** Who may own rows of user and stream tables (the engine's users). */
export interface RowOwners {
  /** Why `user` may not own new rows (unknown, deleted, a username given for an id), or undefined. */
  ownerProblem(user: UserId): string | undefined;
}

/**
 * The owner of new rows: as writeOwner, and an owner an admin names must be an existing, non-deleted
 * user (a subject acting as a user was resolved to a live one where it was made: "view as").
 * Updates and deletes of existing rows need no such check: an admin may clean up a deleted user's rows.
 */
export function newRowOwner(subject: Subject, user: UserId | undefined, table: string, owners: RowOwners | undefined): UserId {
  const owner = writeOwner(subject, user, table);
  const problem = subject.userId === null ? owners?.ownerProblem(owner) : undefined;
  if (problem !== undefined) throw new ValidationError(table, [{ field: 'user', message: problem }]);
  return owner;
}

/** "<user>/<key>" with the key part parsed by the table's key type. */
export function splitUserKey(kind: string, text: string): [UserId, string] {
  const slash = text.indexOf('/');
  if (slash < 0) throw new KeyError(kind, 'must have the form <user>/<key>');
  return [parseWith(kind, UserIdSchema, text.slice(0, slash)), text.slice(slash + 1)];
}
