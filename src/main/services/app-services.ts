import { type AnyRouter, createRouterClient, os } from '@orpc/server';
import type { Subject } from '../engine/access/subject';
import { dataDirLayout, type Engine } from '../engine/engine';
import { QueryHost } from '../engine/sql/query-host';
import { ROOT_USER_ID } from '../engine/migrations';
import { SystemCatalog } from './catalog';
import type { AuditRecord } from './audit';
import { ChangeBus } from './change-bus';
import { DataCatalog } from './data-catalog';
import { type DataDirSwitcher, dataDirsService } from './data-dirs-service';
import { ddlService } from './ddl-service';
import type { ServiceDeps } from './deps';
import { engineService } from './engine-service';
import { entitiesService } from './entities-service';
import { toContractError } from './errors';
import { eventsService } from './events-service';
import { type NativeDialogs, hostService } from './host-service';
import { impl, type ProcedureRules, type ServiceContext } from './implementer';
import { indexesService } from './indexes-service';
import { ioService } from './io-service';
import { type JobsOptions, jobsService, startJobs } from './jobs-service';
import { DataChangeBridge, OpenLiveQueries } from './live-changes';
import { ExternalCatalogPoller } from './external-catalog';
import { publishReadOnly } from './read-only';
import { Rights } from './rights';
import { rowsService } from './rows-service';
import { type SqlCalls, SqlExecutor } from './sql-executor';
import { SqlResults } from './sql-results';
import { sqlService } from './sql-service';
import { schedulesService } from './schedules-service';
import { statsService } from './stats-service';
import { DatabaseSampler } from '../engine/stats/database-sampler';
import { tablesService } from './tables-service';
import { resolveActing } from './view-as';
import { Writer } from './writer';
import { consoleLogger, type Logger } from '../../shared/logger';
import type { Job } from '../../shared/system/jobs';
import { installFriendlyZodMessages } from '../../shared/zod-messages';

export type { ServiceContext } from './implementer';
export type { NativeDialogs, FolderPickerOptions, SaveFileOptions } from './host-service';
export type { DataDirSwitcher } from './data-dirs-service';

export interface ServicesOptions {
  engine: Engine;
  mode: 'electron' | 'web';
  dataDir: string;
  logPath: string;
  appVersion: string;
  /** Where unexpected errors are logged with their stack (defaults to stderr). */
  logger?: Logger;
  /** The job system: where the job worker is, concurrency, the flush scheduler. */
  jobs?: JobsOptions;
  /** The host's native folder dialog (the Electron shell passes one; the web mode none). */
  dialogs?: NativeDialogs | undefined;
  /** Switches the app to another data directory (the app's session passes itself; the CLI none). */
  dataDirs?: DataDirSwitcher | undefined;
  /** The SQL console's query worker (out/main/query-worker.js); without it queries run on the main thread (the CLI). */
  sql?: { workerPath: string; workerExecArgv?: readonly string[] } | undefined;
  /** How often the database's file, WAL and free-page sizes are sampled, in ms (default 10 s); 0: only when the Overview asks. */
  sampleEveryMs?: number | undefined;
}

/** The administrator: the root user, acting with the system role. */
export const ADMIN_SUBJECT: Subject = { userId: ROOT_USER_ID, role: 'system' };

type AnyAsyncIterator = AsyncIterator<unknown, unknown, unknown>;

const isAsyncIterator = (value: unknown): value is AnyAsyncIterator =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/**
 * The iterator with its errors mapped. Each call goes straight through (a generator starts on the
 * first next() as it would unwrapped, so a subscription is not made later than before).
 */
function mapErrors(iterator: AnyAsyncIterator, map: (e: unknown) => unknown): AnyAsyncIterator & AsyncIterable<unknown, unknown, unknown> {
  const rethrow = (e: unknown): never => {
    throw map(e);
  };
  return {
    next: (...args) => iterator.next(...args).catch(rethrow),
    return: (value) => (iterator.return ? iterator.return(value).catch(rethrow) : Promise.resolve({ done: true, value })),
    throw: (e) => (iterator.throw ? iterator.throw(e) : Promise.reject(e instanceof Error ? e : new Error(String(e)))).catch(rethrow),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Every error leaving a procedure becomes a contract error (input validation included: it runs
 * after this), and so does one a streaming procedure's event iterator throws after the call returned.
 */
function errorBoundary(logger: Logger) {
  return os.$context<ServiceContext>().middleware(async ({ next, path }) => {
    try {
      const result = await next();
      if (!isAsyncIterator(result.output)) return result;
      return { ...result, output: mapErrors(result.output, (e) => toContractError(e, logger, path)) };
    } catch (e) {
      throw toContractError(e, logger, path);
    }
  });
}

/** The implemented contract behind the error boundary, which must be the outermost middleware (see implementer.ts). */
function buildRouter(deps: ServiceDeps, logger: Logger, sql: SqlExecutor) {
  // The console runs KalamDB's DDL and job statements through these same procedures, as its caller.
  const self: { router?: AnyRouter } = {};
  const callsFor = (context: ServiceContext): SqlCalls => createRouterClient(self.router, { context }) as unknown as SqlCalls;
  const implemented = impl.router({
    engine: engineService(deps),
    tables: tablesService(deps),
    rows: rowsService(deps),
    entities: entitiesService(deps),
    indexes: indexesService(deps),
    events: eventsService(deps),
    jobs: jobsService(deps),
    ddl: ddlService(deps),
    host: hostService(deps),
    sql: sqlService(sql, callsFor, deps),
    io: ioService(deps, sql.queries),
    stats: statsService(deps),
    schedules: schedulesService(deps),
    dataDirs: dataDirsService(deps),
  });
  const router = os.$context<ServiceContext>().use(errorBoundary(logger)).router(implemented);
  self.router = router;
  return router;
}

/** The implemented contract: what the transports serve. */
export type AppRouter = ReturnType<typeof buildRouter>;

export interface AppServices {
  readonly router: AppRouter;
  /** Context for one connection (a window or a web client); the admin acts as root (role system). */
  context(connectionId: string): ServiceContext;
  /** Settles once the job system recovered what the last process left and may run jobs. */
  readonly ready: Promise<void>;
  /**
   * Ends this process's jobs before the engine closes (a switch to another data directory):
   * queued ones are cancelled, running ones finish or are cancelled. Answers how each active job ended.
   */
  settleJobs(how: 'wait' | 'cancel'): Promise<Job[]>;
  /** This process's jobs that are queued, running or waiting to retry. */
  activeJobs(): Job[];
  /** Records an action that changes no data in this directory's system.audit_log (Writer.audit: allowed in read-only mode). */
  audit(actor: Subject, record: AuditRecord): void;
  /** Ends open event streams and removes their live queries (shutdown; the engine must still be open). */
  close(): void;
}

export function createServices(options: ServicesOptions): AppServices {
  // Input errors in the app's words ("must be a JSON object ({ … }), not a list"), as the renderer's forms say them.
  installFriendlyZodMessages();
  const { engine } = options;
  const logger = options.logger ?? consoleLogger;
  const bus = new ChangeBus(logger);
  const offReadOnly = publishReadOnly(engine.readOnly, bus);
  const catalog = new SystemCatalog(engine);
  const deps: ServiceDeps = {
    engine,
    catalog,
    rights: new Rights(catalog),
    data: new DataCatalog(engine),
    bus,
    writer: new Writer(engine, bus),
    liveQueries: new OpenLiveQueries(),
    dataChanges: new DataChangeBridge(engine, bus),
    externalCatalog: new ExternalCatalogPoller(engine, bus),
    jobs: startJobs(engine, bus, options.dataDir, logger, options.jobs),
    runtime: {
      appVersion: options.appVersion,
      mode: options.mode,
      dataDir: options.dataDir,
      logPath: options.logPath,
      sqliteVersion: engine.backend.sqliteVersion(),
    },
    dialogs: options.dialogs,
    dataDirs: options.dataDirs,
    sampler: new DatabaseSampler(engine.backend, engine.now, options.sampleEveryMs || undefined),
  };
  if (options.sampleEveryMs !== 0) deps.sampler.start();
  const host = options.sql
    ? new QueryHost({
        workerPath: options.sql.workerPath,
        execArgv: options.sql.workerExecArgv,
        ...dataDirLayout(options.dataDir),
        generation: () => engine.data.epoch,
      })
    : undefined;
  const sql = new SqlExecutor(engine, deps.data, deps.writer, new SqlResults(), logger, host);
  const router = buildRouter(deps, logger, sql);
  const rules: ProcedureRules = {
    resolveActing: (connection, as) => resolveActing(engine, connection, as),
    assertWritable: () => engine.readOnly.assertWritable(),
  };
  return {
    router,
    context: (connectionId) => ({ connectionId, connection: ADMIN_SUBJECT, rules }),
    ready: deps.jobs.ready,
    settleJobs: (how) => {
      deps.jobs.scheduler.stop();
      deps.jobs.maintenance.stop();
      return deps.jobs.manager.drain(how);
    },
    activeJobs: () => deps.jobs.manager.ownActive(),
    audit: (actor, record) => deps.writer.audit(actor, record),
    close: () => {
      offReadOnly();
      deps.jobs.stop();
      deps.sampler.stop();
      deps.dataChanges.close();
      deps.externalCatalog.close();
      deps.liveQueries.closeAll();
      sql.results.closeAll();
      sql.queries.close();
      void host?.close();
      bus.close();
    },
  };
}

/** A client of the services in this process (the CLI's `sql` command): every call as `connectionId`, the admin. */
export function localClient(services: AppServices, connectionId: string) {
  return createRouterClient(services.router, { context: services.context(connectionId) });
}
