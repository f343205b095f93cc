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

/**
 * Rows per chunk of a raw range scan: the raw side's best on the engine suite's 100k-row scan with
 * decode (64 to 1,024 tried: 256 to 1,024 read equally fast, 128 about 4% and 64 about 9% slower,
 * one iterate() cursor about 16% slower). SqliteBackend reads 64 rows, then 128 per chunk.
 */
export const RAW_SCAN_CHUNK = 256;

/** Visits rows of one key range in key order; returns how many it visited. */
export type RangeScan = (from: Uint8Array, before: Uint8Array, visit: (k: Buffer, v: Buffer) => void) => number;

/**
 * A raw range scan of one partition table with the API SqliteBackend's scans use, which is also
 * raw's best: all() on bounded ranges of RAW_SCAN_CHUNK rows, each starting after the last key of
 * the one before, rather than one iterate() cursor over the range, which crosses into native code
 * once per row.
 */
export function rangeScan(db: Database.Database, table: string, chunk = RAW_SCAN_CHUNK): RangeScan {
  const first = db.prepare<[Uint8Array, Uint8Array], [Buffer, Buffer]>(`SELECT k, v FROM ${table} WHERE k >= ? AND k < ? ORDER BY k LIMIT ${chunk}`).raw(true);
  const next = db.prepare<[Uint8Array, Uint8Array], [Buffer, Buffer]>(`SELECT k, v FROM ${table} WHERE k > ? AND k < ? ORDER BY k LIMIT ${chunk}`).raw(true);
  return (from, before, visit) => {
    let rows = first.all(from, before);
    let n = 0;
    for (;;) {
      for (const row of rows) visit(row[0], row[1]);
      n += rows.length;
      if (rows.length < chunk) return n;
      rows = next.all(rows[rows.length - 1]![0], before);
    }
  };
}
