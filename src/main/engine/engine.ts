import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrations';
import { SqliteBackend, type SqliteBackendOptions } from './storage/sqlite-backend';
import { SystemTables } from './system/system-tables';

export interface EngineOptions {
  /** SQLite file, or ":memory:". */
  readonly databasePath: string;
  /** Base directory of the default "local" storage, where flushed files go. */
  readonly storageDirectory: string;
  readonly sqlite?: SqliteBackendOptions;
  /** Clock in ms since the epoch; tests pass a controllable one. */
  readonly now?: () => number;
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
  readonly backend: SqliteBackend;
  readonly system: SystemTables;
  readonly now: () => number;
  readonly migrated: { from: number; to: number };

  private constructor(options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.backend = new SqliteBackend(options.databasePath, options.sqlite);
    try {
      this.migrated = migrate({ backend: this.backend, now: this.now(), storageDirectory: options.storageDirectory });
      this.system = new SystemTables(this.backend);
      // Subscriptions die with the process that held them.
      this.system.liveQueries.clearAll();
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
    mkdirSync(dataDir, { recursive: true });
    return new Engine({ ...options, ...dataDirLayout(dataDir) });
  }

  close(): void {
    this.backend.close();
  }
}
