/** The raw better-sqlite3 side of the engine and tables benches: same settings as our backend. */
import Database from 'better-sqlite3';
import { SqliteBackend } from '../../src/main/engine/storage/sqlite/sqlite-backend';
import type { StorageBackend } from '../../src/main/engine/storage/storage-backend';

/**
 * The connection under an engine's backend: the baselines measure raw SQLite on purpose, on the
 * very database ours writes (bench/ is the one place outside the storage layer that may touch it).
 */
export function connectionOf(backend: StorageBackend): Database.Database {
  if (!(backend instanceof SqliteBackend)) throw new Error('this bench compares against SQLite: it needs the SQLite backend');
  return backend.db;
}

/** Opens a connection with the pragmas SqliteBackend sets by default (see its constructor). */
export function openRaw(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = ${-1024 * 64}`);
  db.pragma(`mmap_size = ${1024 * 1024 * 256}`);
  db.pragma('temp_store = MEMORY');
  return db;
}

const PRAGMAS = ['journal_mode', 'synchronous', 'cache_size', 'mmap_size', 'temp_store', 'busy_timeout'] as const;

/** Throws unless both connections run with the same settings, so the comparison stays fair. */
export function assertSamePragmas(ours: Database.Database, raw: Database.Database): void {
  for (const p of PRAGMAS) {
    const a: unknown = ours.pragma(p, { simple: true });
    const b: unknown = raw.pragma(p, { simple: true });
    if (a !== b) throw new Error(`pragma ${p} differs: ours ${String(a)}, raw ${String(b)}`);
  }
}
