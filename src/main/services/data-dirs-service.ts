import type { CreateDataDirInput, DataDirs, DataDirSwitch, OpenDataDirInput } from '../../shared/contract/data-dirs-contract';
import { dataDirName } from '../../shared/data-dir-name';
import type { Subject } from '../engine/access/subject';
import { EngineError } from '../engine/errors';
import type { ServiceDeps } from './deps';
import { contractError } from './errors';
import { impl } from './implementer';

/**
 * Switches the process to another data directory (the app's session, src/main/app/app-session.ts):
 * it checks the path, ends the open directory's jobs, closes its engine and lock, and opens the
 * other. The services of the old directory answer this one call; later calls reach the new ones.
 */
export interface DataDirSwitcher {
  list(): DataDirs;
  /** `actor`: who switches, as the audit log names it (in the directory left and the one opened). */
  open(input: Omit<OpenDataDirInput, 'as'>, actor: Subject): Promise<DataDirSwitch>;
  create(input: Omit<CreateDataDirInput, 'as'>, actor: Subject): Promise<DataDirSwitch>;
}

/** Switching acts on every table at once, as the read-only switch does: a dba or the operator only. */
export function assertMaySwitch(subject: Subject): void {
  if (subject.role === 'dba' || subject.role === 'system') return;
  throw new EngineError('ACCESS_DENIED', `role "${subject.role}" may not switch the data directory (a dba may)`);
}

const NO_SWITCH = 'This process cannot switch its data directory (only the app can; start it with --data-dir instead).';

export function dataDirsService({ dataDirs, runtime }: ServiceDeps) {
  const switcher = (): DataDirSwitcher => {
    if (!dataDirs) throw contractError('NOT_FOUND', NO_SWITCH);
    return dataDirs;
  };
  return {
    list: impl.dataDirs.list.handler(({ context }) => {
      assertMaySwitch(context.acting.subject);
      if (dataDirs) return dataDirs.list();
      return {
        current: { path: runtime.dataDir, name: dataDirName(runtime.dataDir), openedAt: null, current: true, available: true },
        recent: [],
        canSwitch: false,
      };
    }),
    open: impl.dataDirs.open.handler(({ input, context }) => {
      assertMaySwitch(context.acting.subject);
      const { as: _as, ...rest } = input;
      return switcher().open(rest, context.acting.actor);
    }),
    create: impl.dataDirs.create.handler(({ input, context }) => {
      assertMaySwitch(context.acting.subject);
      const { as: _as, ...rest } = input;
      return switcher().create(rest, context.acting.actor);
    }),
  };
}
