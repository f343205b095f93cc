import type { StorageBackend } from '../storage-backend';

/** Connection settings a caller may change for the length of one call (see withSettings). */
export interface ConnectionSettings {
  /** How long a write waits for another connection's lock, in ms (0: fail at once with SQLITE_BUSY). */
  readonly busyTimeoutMs?: number;
  /** Memory-mapped I/O in MiB (0 turns it off). */
  readonly mmapMb?: number;
  /** The page cache in MiB. */
  readonly cacheMb?: number;
}

/** An attached database file's side of a copy (see SqliteOperations.withAttached). */
export interface AttachedDatabase {
  /** Its partitions, sorted; a table whose name is no partition name is refused (StorageError) before any SQL uses it. */
  listPartitions(): string[];
  /**
   * Replaces the content of this database's partition `name` (created if missing) with the
   * attached database's, record by record (no row is decoded).
   */
  copyPartition(name: string): void;
}

/**
 * What the engine needs of its database beyond StorageBackend: it is one SQLite file. Named
 * operations only; the connection itself (better-sqlite3) never leaves src/main/engine/storage/sqlite.
 */
export interface SqliteOperations {
  /** The database file (or ":memory:"). */
  readonly path: string;
  /** False once closed. */
  readonly open: boolean;
  /** The SQLite library's version, e.g. "3.50.4". */
  sqliteVersion(): string;
  /** The current connection settings. */
  settings(): Required<ConnectionSettings>;
  /**
   * Runs fn with some connection settings changed, and puts them back after (also when it throws,
   * and only once a promise it returns has settled).
   */
  withSettings<T>(settings: ConnectionSettings, fn: () => T): T;
  /**
   * Writes a consistent copy of the whole database to a new owner-only file at `path` (which must
   * not exist yet); needs supports.snapshot. See SqliteBackend.snapshotTo.
   */
  snapshotTo(path: string, onProgress?: (copiedBytes: number, totalBytes: number) => void): Promise<void>;
  /** The database's page size, its pages and how many of them are free (reusable space inside the file). */
  pageCounts(): { pageSize: number; pages: number; freePages: number };
  /** SQLite's integrity check: ["ok"] when the database is sound, else the problems found. */
  integrityCheck(): string[];
  /**
   * Attaches the database file at `path` for the length of fn, which may copy partitions from it.
   * Call it outside a transaction (SQLite refuses ATTACH inside one); fn opens its own.
   */
  withAttached<T>(path: string, fn: (attached: AttachedDatabase) => T): T;
  /**
   * Counters of what other connections did: `data` changes whenever another connection (another
   * process, a job worker) commits anything, `schema` whenever any connection creates or drops a
   * table. Cheap (no I/O beyond the database header); see ExternalCatalogWatch. `local` is what this
   * connection wrote itself: the rows it inserted, updated or deleted since it opened (SQLite's
   * total_changes(), triggers included), so with `data` it moves on any commit by anyone.
   */
  changeCounters(): { data: number; schema: number; local: number };
  /** Reads the partition list again, after another connection (a restore in a worker) replaced tables. */
  reloadSchema(): void;
}

/** The engine's backend: the storage API plus the SQLite file's own operations. */
export type DatabaseBackend = StorageBackend & SqliteOperations;
