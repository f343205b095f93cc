import { closeSync, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE, restrictToOwner } from '../../private-files';

/** The files SQLite keeps beside a database in WAL mode (a rollback journal is named like them). */
export const DATABASE_SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Creates an empty file, owner-only; fails if `path` exists. SQLite creates files 0644 (less the
 * umask) and gives a database's -wal, -shm and -journal the mode of the database file itself, so a
 * database file made here first keeps all of them owner-only (an empty file is an empty database).
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
}

/**
 * Makes a database's files owner-only before a connection opens it: creates a missing database
 * file (see createPrivateFile) and tightens the files of an existing one (an older version's).
 * An existing database file is never opened here: closing any descriptor of it would drop the
 * POSIX locks this process's other connections (a job worker's) hold on it.
 */
export function preparePrivateDatabase(path: string): void {
  try {
    createPrivateFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (const file of [path, ...DATABASE_SIDE_FILES.map((suffix) => path + suffix)]) restrictToOwner(file);
}
