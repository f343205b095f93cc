import { closeSync, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../private-files';

/**
 * Creates an empty file, owner-only; fails if `path` exists. SQLite creates files 0644 (less the
 * umask) and gives a database's -wal, -shm and -journal the mode of the database file itself, so a
 * database file made here first keeps all of them owner-only (an empty file is an empty database).
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
}

