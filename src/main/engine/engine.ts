import { join } from 'node:path';
import { SYSTEM_NAMESPACE } from '../../shared/keys/namespace-id';
import { ColdCatalog } from './cold/cold-catalog';
import { Ddl } from './ddl/ddl';
import { ExternalCatalogWatch } from './ddl/external-changes';
import { ensureInstanceId, readInstanceId } from './instance-id';
import { migrate } from './migrations';
import { mkdirPrivateSync, restrictToOwner } from './private-files';
import { ReadOnlyMode, type ReadOnlyOptions } from './read-only';
import { SqliteBackend, type SqliteBackendOptions } from './storage/sqlite/sqlite-backend';
import type { DatabaseBackend } from './storage/sqlite/sqlite-operations';
import { followStorageDirectory } from './system/storages/local-storage-root';
import { SystemTables } from './system/system-tables';
import { ChangeFeed } from './tables/change-feed';
import { DataTables } from './tables/data-tables';
import { LiveQueryRegistry } from './tables/live-queries';
import { Sequence } from './tables/sequence';

export interface EngineOptions {
  /** SQLite file, or ":memory:". */
  readonly databasePath: string;
  /** Base directory of the default "local" storage, where flushed files go. */
  readonly storageDirectory: string;
  readonly sqlite?: SqliteBackendOptions;
  /** Clock in ms since the epoch; tests pass a controllable one. */
  readonly now?: () => number;
  /**
   * A secondary engine shares the database with the process's primary one (a job worker's own
   * connection): it leaves process-wide state such as live subscriptions alone.
   */
  readonly secondary?: boolean;
  /** The process's read-only rule (`lockedReason` for a launch with --read-only). */
  readonly readOnly?: ReadOnlyOptions;
}

/** Where a data directory keeps its parts. */
export function dataDirLayout(dataDir: string): { databasePath: string; storageDirectory: string } {
  return { databasePath: join(dataDir, 'kalam.sqlite'), storageDirectory: join(dataDir, 'storage') };
}

/**
 * One open database: the storage backend, migrated to the latest schema, and its system tables.
 * No Electron and no transport here: services and the CLI build on this.
 */
export class Engine {
  /** The storage API plus the SQLite file's named operations; never the connection itself. */
  readonly backend: DatabaseBackend;
  readonly system: SystemTables;
  readonly now: () => number;
  readonly migrated: { from: number; to: number };
  /** Where the default "local" storage belongs for this open (see local-storage-root.ts). */
  readonly storageDirectory: string;
  /** The engine-wide `_seq` of data-table writes. */
  readonly sequence: Sequence;
  /** Committed data-table writes, for subscribers. */
  readonly changes: ChangeFeed;
  /** Data tables (shared, user, stream): stores and providers opened from system.tables. */
  readonly data: DataTables;
  /** Flushed Parquet segments of the data tables (what reads merge with the hot rows). */
  readonly cold: ColdCatalog;
  /** Create, alter and drop namespaces and data tables. */
  readonly ddl: Ddl;
  /** Notices namespaces and tables changed by other processes on the same database. */
  readonly externalCatalog: ExternalCatalogWatch;
  /** Active subscriptions, recorded in system.live_queries. */
  readonly liveQueries: LiveQueryRegistry;
  /** The one read-only rule: every write path of this process asks it. */
  readonly readOnly: ReadOnlyMode;
  /** The database's lineage id (see instance-id.ts); a restore of a foreign backup may change it. */
  get instanceId(): string {
    return this.instance;
  }
  private instance: string;
  private readonly reloadListeners = new Set<() => void>();

  private constructor(options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.readOnly = new ReadOnlyMode(options.readOnly);
    this.storageDirectory = options.storageDirectory;
    this.backend = new SqliteBackend(options.databasePath, options.sqlite);
    try {
      // One transaction: local follows a moved data directory (a read-only open changes nothing).
      const opened = this.backend.transaction(() => {
        const migrated = migrate({ backend: this.backend, now: this.now(), storageDirectory: options.storageDirectory });
        const system = new SystemTables(this.backend);
        if (!options.sqlite?.readonly) followStorageDirectory(this.backend, system.storages, options.storageDirectory, this.now());
        return { migrated, system };
      });
      this.migrated = opened.migrated;
      this.system = opened.system;
      this.instance = options.sqlite?.readonly ? (readInstanceId(this.backend) ?? '') : ensureInstanceId(this.backend);
      // Subscriptions die with the process that held them (a worker's connection holds none).
      if (!options.secondary) this.system.liveQueries.clearAll();
      this.sequence = new Sequence(this.backend);
      this.changes = new ChangeFeed();
      this.cold = new ColdCatalog({ manifest: this.system.manifest, storages: this.system.storages });
      this.data = new DataTables({
        backend: this.backend,
        tables: this.system.tables,
        sequence: this.sequence,
        changes: this.changes,
        now: this.now,
        cold: this.cold,
        owners: this.system.users,
      });
      this.ddl = new Ddl({ backend: this.backend, system: this.system, data: this.data, now: this.now });
      this.externalCatalog = new ExternalCatalogWatch({ backend: this.backend, system: this.system, data: this.data });
      this.liveQueries = new LiveQueryRegistry(this.system.liveQueries, this.now, (id) =>
        id.namespace === SYSTEM_NAMESPACE ? this.system.providers.has(id.table) : this.system.tables.exists(id),
      );
    } catch (e) {
      this.backend.close();
      throw e;
    }
  }

  static open(options: EngineOptions): Engine {
    return new Engine(options);
  }

  /** Opens (creating if needed) the database of a data directory. */
  static openDataDir(dataDir: string, options: Omit<EngineOptions, 'databasePath' | 'storageDirectory'> = {}): Engine {
    // Owner-only, also a folder an older version made: nothing under it is then reachable by others.
    mkdirPrivateSync(dataDir);
    restrictToOwner(dataDir);
    return new Engine({ ...options, ...dataDirLayout(dataDir) });
  }

  /**
   * Forgets everything cached from the database after its content was replaced wholesale (a
   * restore, on this connection or on another one such as a job worker's): partitions, data-table
   * stores, segment lists, the sequence's reserved block, the instance id. Then tells every onReload listener,
   * so the services can announce a bulk change and open views refetch.
   */
  reload(): void {
    this.backend.reloadSchema();
    this.data.forgetAll();
    this.cold.forgetAll();
    this.sequence.reload();
    this.instance = readInstanceId(this.backend) ?? this.instance;
    for (const listener of [...this.reloadListeners]) listener();
  }

  /** Calls `listener` after every reload(); returns the unsubscribe function. */
  onReload(listener: () => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  close(): void {
    this.backend.close();
  }
}
