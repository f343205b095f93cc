import type { ChangeEventSchema } from '../../shared/contract/events-contract';
import type { z } from 'zod';
import { deeperThan, MAX_JSON_DEPTH } from '../../shared/json-value';
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

/** Nesting a write's response may have: its values (at most MAX_JSON_DEPTH) inside a few levels of envelope. */
export const MAX_RESPONSE_DEPTH = 2 * MAX_JSON_DEPTH;

export interface CommitOptions<T> {
  /**
   * The procedure's output schema. The transport validates and serializes the response after the
   * handler returns, which is after the commit: so the response is checked here, inside the
   * transaction, and a response that could not be delivered rolls the write back.
   */
  readonly output: z.ZodType<T>;
  /** The time of this write (defaults to the clock); pass the time a write's entity was stamped with to audit it alike. */
  readonly now?: number | undefined;
}

/**
 * Commits writes: the read-only check, one transaction holding the write, its audit entries and
 * the making of its response, then the change events (only after the commit, so no one refetches
 * too early). Nothing after the commit can fail: a write that reports an error has not committed.
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
   * in system.audit_log: allowed in read-only mode, like the action itself. `apply`, if given, is
   * the action itself, run in the entry's transaction after it, so one that could not be recorded
   * did not happen.
   */
  audit(actor: Subject, record: AuditRecord, apply?: () => void): void {
    const entry = this.engine.backend.transaction(() => {
      const appended = this.engine.system.auditLog.append(auditEntry(actor, record, this.engine.now()));
      apply?.();
      return appended;
    });
    this.bus.publish({ type: 'change', table: 'system.audit_log', key: String(entry.audit_id), op: 'insert' });
  }

  /** Runs `work` (which returns the procedure's response) in one transaction; see CommitOptions. */
  commit<T>(subject: Subject, work: (scope: WriteScope) => T, options: CommitOptions<T>): T {
    this.engine.readOnly.assertWritable();
    const now = options.now ?? this.engine.now();
    const changes: { table: string; key: string | null; op: ChangeOp }[] = [];
    const audits: string[] = [];
    const result = this.engine.backend.transaction(() =>
      deliverable(
        options.output,
        work({
          now,
          audit: (record) => {
            const entry = this.engine.system.auditLog.append(auditEntry(subject, record, now));
            audits.push(String(entry.audit_id));
          },
          changed: (table, key, op) => changes.push({ table, key, op }),
        }),
      ),
    );
    for (const c of changes) this.bus.publish({ type: 'change', ...c });
    for (const key of audits) this.bus.publish({ type: 'change', table: 'system.audit_log', key, op: 'insert' });
    return result;
  }
}

/** A contract procedure's output schema: what the transport checks the response against after the handler returns. */
export function outputOf<S extends z.ZodType>(procedure: { readonly '~orpc': { readonly outputSchema?: S } }): S {
  const schema = procedure['~orpc'].outputSchema;
  if (!schema) throw new Error('a write procedure must declare its output schema');
  return schema;
}

/**
 * The response as the transport will check it (its output schema) and within the nesting its
 * recursive serializer survives; a plain Error otherwise (our bug, reported as INTERNAL), thrown
 * inside the transaction so that it rolls back.
 */
function deliverable<T>(output: z.ZodType<T>, response: T): T {
  if (deeperThan(response, MAX_RESPONSE_DEPTH)) throw new Error(`a write's response nests more than ${MAX_RESPONSE_DEPTH} levels deep`);
  const checked = output.safeParse(response);
  if (!checked.success) throw new Error(`a write's response does not match its output schema: ${checked.error.message}`);
  return response;
}
