import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';

/**
 * Modes of everything the app creates: the database (password hashes among it), its WAL, backups,
 * segments, manifests, journals and the log are readable by their owner only. The process umask
 * can only take bits away from these, never add them.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates a folder and any missing parents, each owner-only (existing ones are left as they are). */
export async function mkdirPrivate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** mkdirPrivate, synchronously. */
export function mkdirPrivateSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Takes group and other permissions away from an existing file or folder (one an older version
 * created, or a folder the user made), without opening it. Best effort: a missing path or one owned
 * by someone else is left alone; Windows has no such bits.
 */
export function restrictToOwner(path: string): void {
  if (process.platform === 'win32') return;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw e;
  }
}
