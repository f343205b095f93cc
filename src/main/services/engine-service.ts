import type { EngineInfo } from '../../shared/contract/engine-contract';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import type { Acting } from './view-as';

export function engineInfo(deps: ServiceDeps, acting: Acting): EngineInfo {
  const { engine, runtime, rights } = deps;
  const readOnly = engine.readOnly.status;
  return {
    appVersion: runtime.appVersion,
    mode: runtime.mode,
    dataDir: runtime.dataDir,
    databasePath: engine.backend.path,
    logPath: runtime.logPath,
    schemaVersion: engine.migrated.to,
    readOnly: readOnly.enabled,
    readOnlyLocked: readOnly.locked,
    readOnlyReason: readOnly.reason,
    sqliteVersion: runtime.sqliteVersion,
    subject: { userId: acting.subject.userId, role: acting.subject.role },
    rights: rights.of(acting.subject),
  };
}

export function engineService(deps: ServiceDeps) {
  return {
    info: impl.engine.info.handler(({ context }) => engineInfo(deps, context.acting)),
    setReadOnly: impl.engine.setReadOnly.handler(({ input, context }) => {
      const { subject, actor } = context.acting;
      deps.rights.assert(subject, 'setReadOnly');
      const mode = deps.engine.readOnly;
      if (mode.enabled !== input.readOnly) {
        // Refused when the launch locked it (READ_ONLY, with the reason). The toggle happens in its
        // audit entry's transaction: one that could not be recorded did not happen.
        mode.assertMaySet(input.readOnly);
        deps.writer.audit(
          actor,
          { action: 'engine.setReadOnly', target: 'engine/read_only', before: { read_only: !input.readOnly }, after: { read_only: input.readOnly } },
          () => mode.set(input.readOnly),
        );
      }
      return engineInfo(deps, context.acting);
    }),
  };
}
