/**
 * SQLite-level conditions that tests elsewhere set up on purpose (a second connection holding a
 * lock or a snapshot, a table no engine would write, a database that may not grow), as named
 * operations: the SQL stays in this folder.
 */
import Database from 'better-sqlite3';
import type { StorageBackend } from '../storage-backend';
import { SqliteBackend } from './sqlite-backend';
import { partitionTable, quoteIdentifier } from './sqlite-names';

function sqliteOf(backend: StorageBackend): Database.Database {
  if (!(backend instanceof SqliteBackend)) throw new Error('a SQLite backend is needed here');
  return backend.db;
}

/** Another connection takes the database's write lock (BEGIN IMMEDIATE) until release() (which may be called again). */
export function holdWriteLock(path: string): { release(): void } {
  const db = new Database(path);
  db.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      if (!db.open) return;
      db.exec('COMMIT');
      db.close();
    },
  };
}

/** A read-only connection of its own, which can keep one read transaction (and so its snapshot) open. */
export class PinnedReader {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
  }

  /** Starts a read transaction: the first read after it pins the snapshot the others then see. */
  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** Rows of a partition, as this connection sees them. */
  count(partition: string): number {
    return this.db
      .prepare<[], number>(`SELECT count(*) FROM ${partitionTable(partition)}`)
      .pluck()
      .get()!;
  }

  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  close(): void {
    this.db.close();
  }
}

/** Adds a table named exactly `table` (quoted, whatever it holds) with a partition's layout, as a hostile file would. */
export function addRawTable(path: string, table: string): void {
  const db = new Database(path);
  try {
    db.exec(`CREATE TABLE ${quoteIdentifier(table)} (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`);
  } finally {
    db.close();
  }
}

/** Turns WAL off for the database: closed, it is then one standalone file (as a backup's is). */
export function useRollbackJournal(backend: StorageBackend): void {
  sqliteOf(backend).pragma('journal_mode = DELETE');
}

/** The database may no longer grow by one page: what a full disk does to SQLite (SQLITE_FULL). */
export function stopGrowth(backend: StorageBackend): void {
  const db = sqliteOf(backend);
  const pages = Number(db.pragma('page_count', { simple: true }));
  db.pragma(`max_page_count = ${pages}`);
}
