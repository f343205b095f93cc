import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mkdirPrivateSync, PRIVATE_FILE_MODE } from './private-files';

/**
 * Advisory locks between processes on one data directory: a file holding the owner's pid, created
 * exclusively. A lock whose owner died (SIGKILL, power loss) is taken over: liveness is checked with
 * signal 0. The app holds one while it runs: a second app on the directory is refused, and the CLI
 * refuses a restore behind the app's caches (see README, "CLI"). Jobs need no lock file: their rows
 * in system.jobs name their owner (engine/jobs/job-owner.ts).
 */
export interface ProcessLock {
  readonly path: string;
  release(): void;
}

/** Held by the app (Electron or web mode) while it has the data directory open. */
export function appLockPath(dataDir: string): string {
  return join(dataDir, 'app.lock');
}

export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding the lock, or undefined (free, or its holder is dead). */
export function lockHolder(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim().split(/\s/)[0]);
  return processAlive(pid) && pid !== process.pid ? pid : undefined;
}

/** Takes the lock, or returns the pid of the live process holding it. */
export function tryLock(path: string): ProcessLock | { heldBy: number } {
  mkdirPrivateSync(dirname(path));
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          // Only our own lock: never remove one a successor took over.
          try {
            if (readFileSync(path, 'utf8').trim().split(/\s/)[0] === String(process.pid)) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(path);
    if (holder !== undefined) return { heldBy: holder };
    // Its holder is dead (or it is our own stale file): take it over.
    try {
      unlinkSync(path);
    } catch {
      // Another process took it over first; try again.
    }
  }
  const holder = lockHolder(path);
  return { heldBy: holder ?? -1 };
}
