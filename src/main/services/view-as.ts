import type { ViewAs } from '../../shared/contract/common';
import type { UserId } from '../../shared/keys/user-id';
import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { ROOT_USER_ID } from '../engine/migrations';
import { contractError, validationError } from './errors';

/** Who a request acts as, resolved from the connection's subject and the request's `as`. */
export interface Acting {
  /** What the engine's access rules see. */
  readonly subject: Subject;
  /** Who the audit log names: the admin itself, or the user (or role) it acts as. */
  readonly actor: Subject;
  /** The user live queries are recorded under (the signed-in user when acting as a role only). */
  readonly user: UserId;
  /** The unrestricted admin view: every user's rows, every event. */
  readonly admin: boolean;
}

const isAdminRole = (subject: Subject) => subject.role === 'dba' || subject.role === 'system';

/**
 * Resolves "view as". The admin (the connection's subject, role dba or system) acts without a user
 * id towards the engine, which is how the engine's rules spell "across users"; with `as` it acts as
 * the named user, with that user's role unless `as.role` overrides it, or as a bare role. Only an
 * admin may view as someone else.
 */
export function resolveActing(engine: Engine, connection: Subject, as: ViewAs | undefined): Acting {
  const signedIn = connection.userId ?? ROOT_USER_ID;
  const asAdmin = as === undefined || (as.userId === null && as.role === undefined);
  if (!isAdminRole(connection)) {
    if (!asAdmin) throw contractError('ACCESS_DENIED', `role "${connection.role}" may not view as another user or role`);
    return { subject: connection, actor: connection, user: signedIn, admin: false };
  }
  if (asAdmin) return { subject: { userId: null, role: connection.role }, actor: connection, user: signedIn, admin: true };
  if (as.userId === null) {
    const subject: Subject = { userId: null, role: as.role! };
    return { subject, actor: subject, user: signedIn, admin: isAdminRole(subject) };
  }
  const user = engine.system.users.get(as.userId);
  if (!user) throw validationError([{ field: 'as.userId', message: `no user "${as.userId}"` }]);
  if (user.deleted_at !== null) throw validationError([{ field: 'as.userId', message: `user "${as.userId}" is deleted` }]);
  const subject: Subject = { userId: user.user_id, role: as.role ?? user.role };
  return { subject, actor: subject, user: user.user_id, admin: false };
}
