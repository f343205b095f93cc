import type { ColumnInfo } from '../../shared/browse';
import { ownValue } from '../../shared/own-keys';
import type { AuditEntry } from '../../shared/system/audit-log';
import type { Subject } from '../engine/access/subject';

export type AuditSummary = NonNullable<AuditEntry['after']>;
export type AuditInput = Omit<AuditEntry, 'audit_id'>;

/**
 * What the audit log keeps of an entity: its browsable columns only, so secrets (password
 * hashes), which are never columns, never reach the log.
 */
export function summarize(columns: readonly ColumnInfo[], value: object): AuditSummary {
  const out: Record<string, AuditSummary> = {};
  for (const c of columns) {
    const v = ownValue(value, c.name);
    if (v !== undefined) out[c.name] = v as AuditSummary;
  }
  return out;
}

export interface AuditRecord {
  /** e.g. "users.update". */
  readonly action: string;
  /** e.g. "system.users/u_42". */
  readonly target: string;
  readonly before: AuditSummary | null;
  readonly after: AuditSummary | null;
}

export function auditEntry(subject: Subject, record: AuditRecord, at: number): AuditInput {
  return { actor_user_id: subject.userId, actor_role: subject.role, at, ...record };
}
