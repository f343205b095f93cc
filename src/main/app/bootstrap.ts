import { Engine } from '../engine/engine';
import { appLockPath, type ProcessLock, tryLock } from '../engine/process-lock';
import { createServices, type AppServices, type DataDirSwitcher, type NativeDialogs, type ServicesOptions } from '../services/app-services';
import type { JobsOptions } from '../services/jobs-service';
import { seedDemo } from '../services/demo';
import { createFileLogger } from './logger';
import type { Logger } from '../../shared/logger';
import { logPathFor } from './paths';

export interface BootstrapOptions {
  /** Absolute data directory (created if missing). */
  readonly dataDir: string;
  readonly mode: 'electron' | 'web';
  readonly appVersion: string;
  /** Seed the demo data when the data directory is new. */
  readonly demo: boolean;
  readonly readOnly: boolean;
  /** Start with the session's read-only switch on (carried over from the directory switched away from). */
  readonly readOnlyOn?: boolean;
  /** Defaults to a file logger at `<dataDir>/logs/main.log` (closed with the runtime; a given one is the caller's to close). */
  readonly logger?: Logger;
  /** The job system (the entries pass where the bundled job worker is). */
  readonly jobs?: JobsOptions;
  /** The SQL console's query worker (the entries pass where the bundled one is). */
  readonly sql?: ServicesOptions['sql'];
  /** The host's native folder dialog (the Electron shell's); the web mode has none. */
  readonly dialogs?: NativeDialogs;
  /** Switches the app to another data directory (the app's session). */
  readonly dataDirs?: DataDirSwitcher;
}

/** Another app process (its pid) has the data directory open: this one does not start. */
export class AppAlreadyRunningError extends Error {
  override name = 'AppAlreadyRunningError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`Kalam Studio is already running on ${dataDir} (pid ${pid}); use that one, or quit it and start again`);
  }
}

/** Everything a transport needs, and the one way to shut it down. */
export interface AppRuntime {
  readonly engine: Engine;
  readonly services: AppServices;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly logPath: string;
  /** True if this start created the database. */
  readonly firstStart: boolean;
  /** Closes the services, then the engine, then the log. Safe to call more than once. */
  close(): void;
}

/**
 * Opens the engine on the data directory, seeds the demo data on first start (unless turned
 * off) and creates the services. Shared by the Electron entry and the web-mode entry; never
 * touches Electron.
 */
export function bootstrap(options: BootstrapOptions): AppRuntime {
  const logPath = logPathFor(options.dataDir);
  const ownsLogger = options.logger === undefined;
  const logger = options.logger ?? createFileLogger(logPath);
  const closeLogger = (): void => {
    if (ownsLogger) logger.close();
  };
  logger.info('starting', {
    mode: options.mode,
    version: options.appVersion,
    dataDir: options.dataDir,
    readOnly: options.readOnly,
    node: process.versions.node,
    electron: process.versions['electron'] ?? null,
  });

  // One app per data directory, taken before the database is opened: a second one would serve stale
  // caches beside the first (a restore from either breaks the other). The lock also tells the CLI
  // the app runs here (it then refuses a restore behind the app's caches).
  let appLock: ProcessLock;
  try {
    const lock = tryLock(appLockPath(options.dataDir));
    if ('heldBy' in lock) throw new AppAlreadyRunningError(options.dataDir, lock.heldBy);
    appLock = lock;
  } catch (e) {
    logger.error('cannot take the data directory', { dataDir: options.dataDir, error: e });
    closeLogger();
    throw e;
  }

  let engine: Engine;
  try {
    engine = Engine.openDataDir(options.dataDir, {
      readOnly: options.readOnly ? { lockedReason: 'started with --read-only' } : { enabled: options.readOnlyOn === true },
    });
  } catch (e) {
    logger.error('cannot open the data directory', { dataDir: options.dataDir, error: e });
    appLock.release();
    closeLogger();
    throw e;
  }

  let services: AppServices;
  const firstStart = engine.migrated.from === 0;
  try {
    logger.info('engine open', { migratedFrom: engine.migrated.from, migratedTo: engine.migrated.to });
    if (firstStart && options.demo) {
      seedDemo(engine);
      logger.info('demo data seeded');
    }
    services = createServices({
      engine,
      mode: options.mode,
      dataDir: options.dataDir,
      logPath,
      appVersion: options.appVersion,
      logger,
      ...(options.jobs ? { jobs: options.jobs } : {}),
      ...(options.sql ? { sql: options.sql } : {}),
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
      ...(options.dataDirs ? { dataDirs: options.dataDirs } : {}),
    });
  } catch (e) {
    logger.error('startup failed', { error: e });
    engine.close();
    appLock.release();
    closeLogger();
    throw e;
  }

  let closed = false;
  return {
    engine,
    services,
    logger,
    dataDir: options.dataDir,
    logPath,
    firstStart,
    close() {
      if (closed) return;
      closed = true;
      try {
        services.close();
      } catch (e) {
        logger.error('closing the services failed', { error: e });
      }
      try {
        engine.close();
      } catch (e) {
        logger.error('closing the engine failed', { error: e });
      }
      appLock.release();
      logger.info('stopped', { dataDir: options.dataDir });
      closeLogger();
    },
  };
}
