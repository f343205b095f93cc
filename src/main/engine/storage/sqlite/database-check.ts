import Database from 'better-sqlite3';
import { StorageError } from '../storage-backend';

/** Why checkDatabaseFile failed: the file did not open as a database, or the check itself failed (a damaged file). */
export class DatabaseFileError extends StorageError {
  override name = 'DatabaseFileError';

  constructor(
    readonly stage: 'open' | 'check',
    message: string,
  ) {
    super(message);
  }
}

/**
 * SQLite's integrity check of a database file made elsewhere (a backup being restored), through a
 * read-only connection of its own, before anything else reads it (not even its list of tables, as
 * opening a SqliteBackend does): ["ok"] when it is sound, else the problems found.
 */
export function checkDatabaseFile(path: string): string[] {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new DatabaseFileError('open', (e as Error).message);
  }
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  } catch (e) {
    throw new DatabaseFileError('check', (e as Error).message);
  } finally {
    db.close();
  }
}
