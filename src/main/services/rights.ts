import type { SubjectRights } from '../../shared/contract/engine-contract';
import { AccessDeniedError, assertCanRead, assertCanWrite, type Subject } from '../engine/access/subject';
import { assertCanChangeSchema } from '../engine/ddl/ddl';
import { EngineError } from '../engine/errors';
import type { SystemCatalog } from './catalog';

export type Right = keyof SubjectRights;

const JOBS = 'system.jobs';
/** Statistics list every segment (the rows of system.manifest) and every user's row counts. */
const MANIFEST = 'system.manifest';

/**
 * What a subject may do beyond reading and writing rows, each decided by the engine's one rule set
 * (src/shared/access.ts, the DDL rule): the handlers enforce these, and engine.info reports them so
 * the renderer can disable a control with the same reason before anyone fills in a form.
 */
export class Rights {
  constructor(private readonly catalog: SystemCatalog) {}

  /** Throws ACCESS_DENIED (with the rule's reason) when the subject lacks the right. */
  assert(subject: Subject, right: Right): void {
    const jobs = this.catalog.resolve(JOBS);
    switch (right) {
      case 'readJobs':
        return assertCanRead(subject, jobs.ref, jobs.provider.access);
      // Starting, cancelling and retrying jobs writes system.jobs; backups and restores are jobs.
      case 'manageJobs':
        return assertCanWrite(subject, jobs.ref, jobs.provider.access);
      case 'changeSchema':
        return assertCanChangeSchema(subject);
      case 'readStatistics': {
        const manifest = this.catalog.resolve(MANIFEST);
        return assertCanRead(subject, manifest.ref, manifest.provider.access);
      }
      // The switch guards every table: the strictest access level decides.
      case 'setReadOnly':
        if (subject.role !== 'dba' && subject.role !== 'system') throw new AccessDeniedError(subject.role, 'write', 'the read-only switch', 'dba');
        return;
    }
  }

  /** Why the subject lacks the right, or null when it has it. */
  refusal(subject: Subject, right: Right): string | null {
    try {
      this.assert(subject, right);
      return null;
    } catch (e) {
      if (e instanceof EngineError && e.code === 'ACCESS_DENIED') return e.message;
      throw e;
    }
  }

  of(subject: Subject): SubjectRights {
    return {
      readJobs: this.refusal(subject, 'readJobs'),
      manageJobs: this.refusal(subject, 'manageJobs'),
      changeSchema: this.refusal(subject, 'changeSchema'),
      readStatistics: this.refusal(subject, 'readStatistics'),
      setReadOnly: this.refusal(subject, 'setReadOnly'),
    };
  }
}
