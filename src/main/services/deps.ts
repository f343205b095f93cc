import type { Engine } from '../engine/engine';
import type { DatabaseSampler } from '../engine/stats/database-sampler';
import type { SystemCatalog } from './catalog';
import type { ChangeBus } from './change-bus';
import type { DataCatalog } from './data-catalog';
import type { DataDirSwitcher } from './data-dirs-service';
import type { ExternalCatalogPoller } from './external-catalog';
import type { NativeDialogs } from './host-service';
import type { JobsRuntime } from './jobs-service';
import type { Rights } from './rights';
import type { DataChangeBridge, OpenLiveQueries } from './live-changes';
import type { Writer } from './writer';

/** Facts about this process that engine.info reports. */
export interface RuntimeInfo {
  readonly appVersion: string;
  readonly mode: 'electron' | 'web';
  readonly dataDir: string;
  readonly logPath: string;
  readonly sqliteVersion: string;
}

/** What the handler modules share; built once by createServices. */
export interface ServiceDeps {
  readonly engine: Engine;
  readonly catalog: SystemCatalog;
  /** The data tables (shared, user, stream). */
  readonly data: DataCatalog;
  readonly bus: ChangeBus;
  readonly writer: Writer;
  /** What a subject may do beyond rows (jobs, schema changes, the read-only switch). */
  readonly rights: Rights;
  /** Live queries of the open event streams. */
  readonly liveQueries: OpenLiveQueries;
  /** The engine's data-table changes on the bus, while event streams are open. */
  readonly dataChanges: DataChangeBridge;
  /** Other processes' DDL on the bus, while event streams are open. */
  readonly externalCatalog: ExternalCatalogPoller;
  /** The job manager (flush, backup, restore, eviction, index rebuild). */
  readonly jobs: JobsRuntime;
  readonly runtime: RuntimeInfo;
  /** The database's sizes over time (the Overview). */
  readonly sampler: DatabaseSampler;
  /** The host's native folder dialog (Electron); absent in web mode. */
  readonly dialogs?: NativeDialogs | undefined;
  /** Switches the app to another data directory; absent where a process cannot (the CLI, test harnesses). */
  readonly dataDirs?: DataDirSwitcher | undefined;
}
