import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside } from '../engine/backup/safe-paths';
import { dataDirLayout, type Engine } from '../engine/engine';
import { ValidationError } from '../engine/errors';
import { hostPathProblem } from '../engine/host-path';

/** What is open now: a chosen directory must keep clear of its files. */
export interface OpenDirectory {
  readonly dataDir: string;
  /** Base folders of the open database's storages (the `local` one is inside dataDir). */
  readonly storageDirs: readonly string[];
}

export function openDirectoryOf(engine: Engine, dataDir: string): OpenDirectory {
  return { dataDir, storageDirs: [...engine.system.storages.scan()].map(([, s]) => s.base_directory) };
}

const refuse = (message: string) => ValidationError.single('data directory', 'path', message);

/** The real path of a folder that exists, or of its parent joined with its name (a folder to create). */
function realOrPlanned(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/**
 * Checks a data directory the user chose, in the main process, before anything is closed or
 * written: absolute on this machine; not the open directory, nor inside it or one of its storage
 * folders (their files are the open engine's); to open, an existing folder holding a database
 * (kalam.sqlite); to create, a missing folder whose parent exists, or an empty folder. Answers the
 * real path (links resolved) to open; throws VALIDATION on `path` otherwise.
 */
export function checkDataDirChoice(kind: 'open' | 'create', path: string, open: OpenDirectory): string {
  const problem = hostPathProblem(path);
  if (problem !== undefined) throw refuse(problem);
  const target = realOrPlanned(resolve(path));
  const current = realOrPlanned(open.dataDir);
  if (target === current) throw refuse(`${path} is the data directory already open`);
  if (isInside(current, target)) throw refuse(`${path} is inside the open data directory (${open.dataDir}): its files are the engine's`);
  for (const storage of open.storageDirs) {
    const base = realOrPlanned(storage);
    if (isInside(base, target)) throw refuse(`${path} is inside a storage folder of the open database (${storage})`);
  }

  let stat;
  try {
    stat = statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(`${path} cannot be read (${(e as Error).message})`);
  }
  if (stat !== undefined && !stat.isDirectory()) throw refuse(`${path} is a file, not a folder`);

  if (kind === 'open') {
    if (stat === undefined) throw refuse(`${path} does not exist`);
    let database;
    try {
      database = statSync(dataDirLayout(target).databasePath);
    } catch {
      // Missing: below.
    }
    if (!database?.isFile()) throw refuse(`${path} is not a Kalam Studio data directory (it has no kalam.sqlite); use New empty directory to make one`);
    return target;
  }

  if (stat === undefined) {
    let parent;
    try {
      parent = statSync(dirname(target));
    } catch {
      // Missing: below.
    }
    if (!parent?.isDirectory()) throw refuse(`the folder ${dirname(path)} does not exist; a new data directory is made in an existing folder`);
  } else if (readdirSync(target).length > 0) {
    throw refuse(`${path} is not empty; a new data directory is made in a new or empty folder`);
  }
  return target;
}
