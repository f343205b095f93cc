import type { ChangeEventSchema } from '../../shared/contract/events-contract';
import type { z } from 'zod';
import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { type AuditRecord, auditEntry } from './audit';
import type { ChangeBus } from './change-bus';

type ChangeOp = z.infer<typeof ChangeEventSchema>['op'];

/** What a write does besides its own store calls, all inside its transaction. */
export interface WriteScope {
  /** The time of this write (one clock reading for the entity and its audit entry). */
  readonly now: number;
  /** Records an audit entry, committed with the write. */
  audit(record: AuditRecord): void;
  /** Announces a change, published once the write has committed. */
  changed(table: string, key: string | null, op: ChangeOp): void;
}

/**
 * Commits writes: the read-only check, one transaction holding the write and its audit entries,
 * then the change events (only after the commit, so no one refetches too early).
 */
export class Writer {
  constructor(
    private readonly engine: Engine,
    private readonly bus: ChangeBus,
  ) {}

  /** Throws READ_ONLY; call before slow preparation, commit() checks again. */
  assertWritable(): void {
    this.engine.readOnly.assertWritable();
  }

  /**
   * Records an action that changes no data (a job started or cancelled, the read-only switch turned)
   * in system.audit_log: allowed in read-only mode, like the action itself.
   */
  audit(actor: Subject, record: AuditRecord): void {
    const entry = this.engine.system.auditLog.append(auditEntry(actor, record, this.engine.now()));
    this.bus.publish({ type: 'change', table: 'system.audit_log', key: String(entry.audit_id), op: 'insert' });
  }

  /** `now` defaults to the clock; pass the time a write's entity was stamped with to audit it alike. */
  commit<T>(subject: Subject, work: (scope: WriteScope) => T, now = this.engine.now()): T {
    this.engine.readOnly.assertWritable();
    const changes: { table: string; key: string | null; op: ChangeOp }[] = [];
    const audits: string[] = [];
    const result = this.engine.backend.transaction(() =>
      work({
        now,
        audit: (record) => {
          const entry = this.engine.system.auditLog.append(auditEntry(subject, record, now));
          audits.push(String(entry.audit_id));
        },
        changed: (table, key, op) => changes.push({ table, key, op }),
      }),
    );
    for (const c of changes) this.bus.publish({ type: 'change', ...c });
    for (const key of audits) this.bus.publish({ type: 'change', table: 'system.audit_log', key, op: 'insert' });
    return result;
  }
}
