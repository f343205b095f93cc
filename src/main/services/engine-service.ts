import type { EngineInfo } from '../../shared/contract/engine-contract';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';

export function engineInfo(deps: ServiceDeps): EngineInfo {
  const { engine, runtime } = deps;
  return {
    appVersion: runtime.appVersion,
    mode: runtime.mode,
    dataDir: runtime.dataDir,
    databasePath: engine.backend.path,
    logPath: runtime.logPath,
    schemaVersion: engine.migrated.to,
    readOnly: engine.readOnly.enabled,
    sqliteVersion: runtime.sqliteVersion,
  };
}

export function engineService(deps: ServiceDeps) {
  return {
    info: impl.engine.info.handler(() => engineInfo(deps)),
    setReadOnly: impl.engine.setReadOnly.handler(({ input }) => {
      deps.engine.readOnly.set(input.readOnly);
      return engineInfo(deps);
    }),
  };
}
