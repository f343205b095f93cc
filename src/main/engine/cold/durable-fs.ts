import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_FILE_MODE } from '../private-files';

/** Suffix of files being written; recovery removes any it finds named in a journal. */
export const TEMP_SUFFIX = '.tmp';

/** Makes a rename or an unlink in `dir` durable (a no-op where directories cannot be opened, e.g. Windows). */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EISDIR' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a whole file durably (owner-only): temp file, fsync, rename over the target, fsync the folder. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = path + TEMP_SUFFIX;
  const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDirectory(dirname(path));
}

/** Renames a finished, synced file into place durably. */
export function publishFile(temp: string, path: string): void {
  renameSync(temp, path);
  fsyncDirectory(dirname(path));
}

/** Removes a file if it exists; true when it did. */
export function removeIfExists(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path, { force: true });
  return true;
}
