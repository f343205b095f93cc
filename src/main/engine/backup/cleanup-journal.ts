import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { Engine } from '../engine';
import type { StorageBackend } from '../storage/storage-backend';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { syncScopeManifests } from './scope-manifests';
import { referencedPaths } from './storage-files';

/**
 * Files and folders a running backup or restore may leave behind if its process dies: a backup's
 * temporary folder, a restore's staging folder and the storage files it placed before its swap
 * committed, or the old files it deletes after it. Each job records them here (in the database,
 * so a restore's swap can replace its entry in the same transaction as the data) before creating
 * them, and removes its entry when it has cleaned up. At startup, recoverBackupRestore() removes
 * what dead processes left. A restore never replaces this partition.
 */
export const CLEANUP_PARTITION = 'engine.cleanup';

const JournalEntrySchema = z.object({
  pid: z.number().int(),
  /** The thread of `pid` that recorded it (0: the main thread); absent in entries of earlier versions. */
  thread: z.number().int().optional(),
  created_at: z.number(),
  /** Absolute paths; a storage file that system.manifest references is kept. */
  paths: z.array(z.string()),
});
type JournalEntry = z.infer<typeof JournalEntrySchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CleanupJournal {
  constructor(private readonly backend: StorageBackend) {
    backend.createPartition(CLEANUP_PARTITION);
  }

  /** Records (or replaces) the leftovers of job `id`; call inside a transaction to tie it to other writes. */
  set(id: string, paths: readonly string[], now: number): void {
    const entry: JournalEntry = { pid: process.pid, thread: threadId, created_at: now, paths: [...paths] };
    this.backend.put(CLEANUP_PARTITION, encoder.encode(id), encoder.encode(JSON.stringify(entry)));
  }

  clear(id: string): void {
    this.backend.delete(CLEANUP_PARTITION, encoder.encode(id));
  }

  *entries(): Generator<[string, JournalEntry | undefined]> {
    for (const [k, v] of this.backend.scan(CLEANUP_PARTITION)) {
      let entry: JournalEntry | undefined;
      try {
        entry = JournalEntrySchema.parse(JSON.parse(decoder.decode(v)));
      } catch {
        entry = undefined;
      }
      yield [decoder.decode(k), entry];
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what backups and restores of dead processes left behind (see CleanupJournal); entries of
 * live processes (a CLI running alongside, this process's own jobs) are left alone. Files that
 * system.manifest references are kept: after a restore's swap committed, its placed files are live
 * data. Returns the paths removed. Call at startup, next to recoverFlush().
 */
export async function recoverBackupRestore(engine: Engine): Promise<string[]> {
  const removed = await removeLeftovers(engine, (e) => e === undefined || !alive(e.pid));
  // A restore that died after its swap may not have rewritten its scopes' manifest.json yet.
  if (removed) syncScopeManifests(engine, [...[...removed.kept].map((f) => dirname(f)), ...removed.paths.map((f) => dirname(f))]);
  return removed?.paths ?? [];
}

/**
 * Removes what a job worker thread of this process left behind when it died without cleaning up
 * (out of memory, a crash): its partial export, its import's spool, its backup's temporary folder.
 * Called by the job runner as soon as the thread is gone, not only at the next start.
 */
export async function recoverWorkerThread(engine: Engine, thread: number): Promise<string[]> {
  return (await removeLeftovers(engine, (e) => e?.pid === process.pid && e.thread === thread))?.paths ?? [];
}

/** Removes the files of the entries `stale` picks (undefined: unreadable), keeping files system.manifest references. */
async function removeLeftovers(engine: Engine, stale: (e: JournalEntry | undefined) => boolean): Promise<{ paths: string[]; kept: Set<string> } | undefined> {
  const journal = new CleanupJournal(engine.backend);
  const picked = [...journal.entries()].filter(([, e]) => stale(e));
  if (picked.length === 0) return undefined;
  const kept = referencedPaths(engine.system);
  const paths: string[] = [];
  for (const [id, entry] of picked) {
    for (const path of entry?.paths ?? []) {
      if (kept.has(path)) continue;
      await rm(path, { recursive: true, force: true });
      paths.push(path);
    }
    journal.clear(id);
  }
  return { paths, kept };
}
