import { canRead, canWrite, type Role, type TableAccess } from '../../../shared/access';
import type { UserId } from '../../../shared/keys/user-id';
import { EngineError } from '../errors';

/** The caller every read and write is made for: a user (if any) and the role it acts with. */
export interface Subject {
  readonly userId: UserId | null;
  readonly role: Role;
}

/** The engine acting on its own behalf (migrations, jobs, first start). */
export const SYSTEM_SUBJECT: Subject = { userId: null, role: 'system' };

export class AccessDeniedError extends EngineError {
  override name = 'AccessDeniedError';
  constructor(role: Role, action: 'read' | 'write', table: string, access: TableAccess) {
    super('ACCESS_DENIED', `role "${role}" may not ${action} ${table} (access level ${access})`);
  }
}

export function assertCanRead(subject: Subject, table: string, access: TableAccess): void {
  if (!canRead(subject.role, access)) throw new AccessDeniedError(subject.role, 'read', table, access);
}

export function assertCanWrite(subject: Subject, table: string, access: TableAccess): void {
  if (!canWrite(subject.role, access)) throw new AccessDeniedError(subject.role, 'write', table, access);
}
