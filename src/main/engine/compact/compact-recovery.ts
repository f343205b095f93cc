import { join } from 'node:path';
import { manifestId } from '../../../shared/keys/manifest-id';
import type { TableId } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import type { Storage } from '../../../shared/system/storages';
import { fsyncDirectory, removeIfExists, TEMP_SUFFIX } from '../cold/durable-fs';
import type { Engine } from '../engine';
import { syncScopeManifest } from '../flush/flush-job';
import { abandonedJournals, type JournalSegment } from '../flush/flush-journal';

/** A segment a compaction replaced: its batch and absolute path. */
export interface ReplacedSegment {
  readonly batch: number;
  readonly path: string;
}

/**
 * One line of a compaction's journal, written before the merged file's first byte: the file about
 * to be created and the segments it replaces once recorded.
 */
export interface CompactRecord extends JournalSegment {
  readonly replaces: readonly ReplacedSegment[];
}

/** Whether system.manifest records a segment of the scope at this batch with this absolute path. */
function recordedAt(engine: Engine, storage: Storage, id: TableId, user: string | null, batch: number, path: string): boolean {
  const entry = engine.system.manifest.get(manifestId(id, user as UserId | null, batch));
  return entry !== undefined && join(storage.base_directory, entry.file_path) === path;
}

/** What resolving a compaction's records removed. */
export interface CompactCleanup {
  readonly removedFiles: string[];
  /** Merged segments found recorded (their compaction committed). */
  readonly committed: number;
}

/**
 * Brings the files of a compaction's records in line with system.manifest, the authority: a merged
 * file it records stays and the segments it replaced (no longer recorded) are deleted; a merged
 * file it does not record is deleted and the old segments stay. Temporary files go either way, and
 * each scope's manifest.json is rewritten. Idempotent: the end of a compaction, its error path and
 * recovery at startup all run it.
 */
export function resolveCompaction(engine: Engine, storage: Storage, id: TableId | undefined, records: readonly CompactRecord[]): CompactCleanup {
  const removedFiles: string[] = [];
  let committed = 0;
  const remove = (path: string) => {
    if (removeIfExists(path)) removedFiles.push(path);
  };
  for (const r of records) {
    remove(r.temp);
    removeIfExists(join(r.dir, 'manifest.json') + TEMP_SUFFIX);
    if (id && recordedAt(engine, storage, id, r.user, r.batch, r.final)) {
      committed++;
      for (const old of r.replaces ?? []) if (!recordedAt(engine, storage, id, r.user, old.batch, old.path)) remove(old.path);
    } else {
      remove(r.final);
    }
    if (id) syncScopeManifest(engine, id, r.user as UserId | null, r.dir);
    fsyncDirectory(r.dir);
  }
  return { removedFiles, committed };
}

/** What recoverCompact cleaned up. */
export interface CompactRecovery {
  readonly journals: number;
  readonly removedFiles: string[];
  /** Compactions that had committed before the crash (their old files removed now). */
  readonly committed: number;
}

/**
 * Resolves compactions that died half way (at startup, before any job runs): every compaction
 * journal of a process that is gone is resolved against system.manifest, then removed. Flush
 * journals are left to recoverFlush, journals of a live process (a CLI) alone.
 */
export function recoverCompact(engine: Engine): CompactRecovery {
  let journals = 0;
  let committed = 0;
  const removedFiles: string[] = [];
  for (const { storage, path, journal, id } of abandonedJournals(engine, 'compact')) {
    journals++;
    const r = resolveCompaction(engine, storage, id, journal.segments as CompactRecord[]);
    committed += r.committed;
    removedFiles.push(...r.removedFiles);
    removeIfExists(path);
  }
  return { journals, removedFiles, committed };
}
