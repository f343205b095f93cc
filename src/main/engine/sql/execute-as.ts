import { UserNameSchema } from '../../../shared/keys/user-name';
import type { User } from '../../../shared/system/users';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { SqlStatementError } from './sql-statement-error';
import type { Statement } from './statements';

const ROLE_RANK = { anonymous: 0, user: 1, service: 2, dba: 3, system: 4 } as const;

/**
 * The user `EXECUTE AS USER '<name>' ( … )` runs as, after KalamDB's target rules: a subject may
 * execute as itself, and a service, dba or system subject as any user whose role ranks no higher
 * than its own. NOT_FOUND (no such user) and ACCESS_DENIED come at the name's position.
 */
export function executeAsUser(engine: Engine, statement: Extract<Statement, { kind: 'execute_as' }>, self: Subject): User {
  const name = UserNameSchema.safeParse(statement.user.toLowerCase());
  const user = name.success ? engine.system.users.byUsername(name.data) : undefined;
  if (!user || user.deleted_at !== null) throw new SqlStatementError('NOT_FOUND', `no user "${statement.user}"`, statement.userStart, statement.userEnd);
  const allowed = self.userId === user.user_id || (ROLE_RANK[self.role] >= ROLE_RANK[user.role] && self.role !== 'user' && self.role !== 'anonymous');
  if (!allowed)
    throw new SqlStatementError(
      'ACCESS_DENIED',
      `role "${self.role}" may not execute as user "${user.username}" (role ${user.role})`,
      statement.userStart,
      statement.userEnd,
    );
  return user;
}
