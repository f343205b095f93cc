import { oc } from '@orpc/contract';
import { dataDirsContract } from './data-dirs-contract';
import { ddlContract } from './ddl-contract';
import { entitiesContract } from './entities-contract';
import { contractErrors } from './errors';
import { engineContract } from './engine-contract';
import { eventsContract } from './events-contract';
import { hostContract } from './host-contract';
import { indexesContract } from './indexes-contract';
import { ioContract } from './io-contract';
import { jobsContract } from './jobs-contract';
import { rowsContract } from './rows-contract';
import { sqlContract } from './sql-contract';
import { schedulesContract } from './schedules-contract';
import { statsContract } from './stats-contract';
import { tablesContract } from './tables-contract';

/**
 * The one API between the renderer and the main process, served over Electron IPC and the local
 * web mode alike. Every procedure may fail with one of `contractErrors`.
 */
export const contract = oc.errors(contractErrors).router({
  engine: engineContract,
  tables: tablesContract,
  rows: rowsContract,
  entities: entitiesContract,
  indexes: indexesContract,
  events: eventsContract,
  jobs: jobsContract,
  ddl: ddlContract,
  host: hostContract,
  sql: sqlContract,
  io: ioContract,
  stats: statsContract,
  schedules: schedulesContract,
  dataDirs: dataDirsContract,
});

export type Contract = typeof contract;

export * from './common';
export * from './data-dirs-contract';
export * from './ddl-contract';
export * from './engine-contract';
export * from './entities-contract';
export * from './errors';
export * from './events-contract';
export * from './host-contract';
export * from './indexes-contract';
export * from './io-contract';
export * from './jobs-contract';
export * from './rows-contract';
export * from './sql-contract';
export * from './schedules-contract';
export * from './stats-contract';
export * from './tables-contract';
