import Database from 'better-sqlite3';
import { createPrivateFile } from './database-files';

/**
 * Pages a snapshot copies per backup step (16 MiB at the default page size): the event loop runs,
 * and a cancel is seen, between steps, and each step ends with a sync of the copy (1,024-page steps
 * measured at half the speed; see snapshotDatabase).
 */
const SNAPSHOT_PAGES_PER_STEP = 4096;

/** The database to copy, and the settings its own connection has (the copy's reader takes them over). */
interface SnapshotSource {
  readonly path: string;
  readonly busyTimeoutMs: number;
  readonly mmapMb: number;
}

/**
 * Writes a consistent copy of the whole database to a new owner-only file at `path` (which must
 * not exist yet): a standalone database (rollback journal, no WAL). SQLite's online backup starts
 * over whenever another connection writes between two of its steps, unless its source stays in
 * one read transaction: so the copy reads through a connection of its own that holds one from the
 * first page to the last. Writes meanwhile (the app's, the job manager's progress, a CLI's) can
 * then neither restart it nor reach it: it holds the database as of its start. The event loop runs
 * between steps; `onProgress` hears the bytes copied and the total, and may throw to stop the copy
 * (the partial file is then the caller's to remove).
 */
export async function snapshotDatabase(source: SnapshotSource, path: string, onProgress: (copiedBytes: number, totalBytes: number) => void): Promise<void> {
  createPrivateFile(path);
  const reader = new Database(source.path, { readonly: true, fileMustExist: true });
  try {
    reader.pragma(`busy_timeout = ${source.busyTimeoutMs}`);
    reader.pragma(`mmap_size = ${source.mmapMb * 1024 * 1024}`);
    const pageSize = Number(reader.pragma('page_size', { simple: true }));
    reader.exec('BEGIN');
    // BEGIN takes no lock by itself: this first read opens the transaction that pins the snapshot.
    const total = Number(reader.pragma('page_count', { simple: true })) * pageSize;
    onProgress(0, total);
    await reader.backup(path, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress((totalPages - remainingPages) * pageSize, total);
        return SNAPSHOT_PAGES_PER_STEP;
      },
    });
    reader.exec('COMMIT');
    onProgress(total, total);
  } finally {
    reader.close();
  }
  // The copy's header still names WAL, as its source's did; a backup must open on its own.
  const copy = new Database(path);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}
