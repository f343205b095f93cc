import { os } from '@orpc/server';
import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { ROOT_USER_ID } from '../engine/migrations';
import { SystemCatalog } from './catalog';
import { ChangeBus } from './change-bus';
import { DataCatalog } from './data-catalog';
import { ddlService } from './ddl-service';
import type { ServiceDeps } from './deps';
import { engineService } from './engine-service';
import { entitiesService } from './entities-service';
import { type ServiceLogger, toContractError } from './errors';
import { eventsService } from './events-service';
import { type FolderPicker, hostService } from './host-service';
import { impl, type ServiceContext } from './implementer';
import { indexesService } from './indexes-service';
import { type JobsOptions, jobsService, startJobs } from './jobs-service';
import { DataChangeBridge, OpenLiveQueries } from './live-changes';
import { ReadOnlySwitch } from './read-only';
import { rowsService } from './rows-service';
import { tablesService } from './tables-service';
import { Writer } from './writer';

export type { ServiceContext } from './implementer';
export type { ServiceLogger } from './errors';
export type { FolderPicker, FolderPickerOptions } from './host-service';

export interface ServicesOptions {
  engine: Engine;
  mode: 'electron' | 'web';
  dataDir: string;
  logPath: string;
  appVersion: string;
  readOnly?: boolean;
  /** Where unexpected errors are logged with their stack (defaults to stderr). */
  logger?: ServiceLogger;
  /** The job system: where the job worker is, concurrency, the flush scheduler. */
  jobs?: JobsOptions;
  /** The host's native folder dialog (the Electron shell passes one; the web mode none). */
  folderPicker?: FolderPicker | undefined;
}

/** The administrator: the root user, acting with the system role. */
export const ADMIN_SUBJECT: Subject = { userId: ROOT_USER_ID, role: 'system' };

const stderrLogger: ServiceLogger = {
  error: (message, fields) => console.error(message, fields),
};

/** Every error leaving a procedure becomes a contract error (input validation included: it runs after this). */
function errorBoundary(logger: ServiceLogger) {
  return os.$context<ServiceContext>().middleware(async ({ next, path }) => {
    try {
      return await next();
    } catch (e) {
      throw toContractError(e, logger, path);
    }
  });
}

function buildRouter(deps: ServiceDeps, logger: ServiceLogger) {
  return impl.use(errorBoundary(logger)).router({
    engine: engineService(deps),
    tables: tablesService(deps),
    rows: rowsService(deps),
    entities: entitiesService(deps),
    indexes: indexesService(deps),
    events: eventsService(deps),
    jobs: jobsService(deps),
    ddl: ddlService(deps),
    host: hostService(deps),
  });
}

/** The implemented contract: what the transports serve. */
export type AppRouter = ReturnType<typeof buildRouter>;

export interface AppServices {
  readonly router: AppRouter;
  /** Context for one connection (a window or a web client); the admin acts as root (role system). */
  context(connectionId: string): ServiceContext;
  /** Ends open event streams and removes their live queries (shutdown; the engine must still be open). */
  close(): void;
}

function sqliteVersion(engine: Engine): string {
  return String(engine.backend.db.prepare('select sqlite_version()').pluck().get());
}

export function createServices(options: ServicesOptions): AppServices {
  const { engine } = options;
  const logger = options.logger ?? stderrLogger;
  const bus = new ChangeBus((error, event) => logger.error('change event listener failed', { event: event.type, error }));
  const readOnly = new ReadOnlySwitch(options.readOnly ?? false, bus);
  const deps: ServiceDeps = {
    engine,
    catalog: new SystemCatalog(engine),
    data: new DataCatalog(engine),
    bus,
    readOnly,
    writer: new Writer(engine, bus, readOnly),
    liveQueries: new OpenLiveQueries(),
    dataChanges: new DataChangeBridge(engine, bus),
    jobs: startJobs(engine, bus, options.dataDir, logger, options.jobs),
    runtime: {
      appVersion: options.appVersion,
      mode: options.mode,
      dataDir: options.dataDir,
      logPath: options.logPath,
      sqliteVersion: sqliteVersion(engine),
    },
    folderPicker: options.folderPicker,
  };
  const router = buildRouter(deps, logger);
  return {
    router,
    context: (connectionId) => ({ subject: ADMIN_SUBJECT, connectionId }),
    close: () => {
      deps.jobs.stop();
      deps.dataChanges.close();
      deps.liveQueries.closeAll();
      bus.close();
    },
  };
}
