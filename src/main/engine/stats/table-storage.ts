import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { Job } from '../../../shared/system/jobs';
import type { SegmentInfo, TableStorage } from '../../../shared/stats';
import { scopeDirectory, SCOPE_MANIFEST } from '../cold/storage-paths';
import type { Engine } from '../engine';
import { storageOf } from '../flush/flush-job';
import { TIMELINE_JOBS } from './job-timeline';
import { compactPreview, flushPreview } from './previews';
import { byScope, liveSegments, tableTiers } from './table-tiers';

/** Scopes whose manifest.json is shown (a user table has one per user). */
const MANIFESTS_MAX = 50;
/** A manifest.json larger than this is shown cut (it lists one line per segment). */
const MANIFEST_TEXT_MAX = 256 * 1024;

/**
 * The flush or compaction of the table that wrote a segment: the one that ran when the segment was
 * recorded (a table's flushes and compactions never overlap), among the newest jobs.
 */
function writerOf(jobs: readonly Job[], createdAt: number): Job | undefined {
  return jobs.find((j) => j.started_at !== null && j.started_at <= createdAt && (j.finished_at ?? Number.POSITIVE_INFINITY) >= createdAt);
}

/**
 * A table's Storage tab: its tiers, every segment (with its key range and row groups from the
 * file's footer, which the cold catalog caches), each scope's manifest.json, and dry runs of a
 * flush and a compaction.
 */
export function tableStorage(engine: Engine, table: string): TableStorage {
  const id = TableIdKey.parse(table);
  const meta = engine.data.metadata(id);
  const label = TableIdKey.display(id);
  const entries = liveSegments(engine, meta);
  const store = engine.data.open(tableId(meta.namespace_id, meta.table_name));
  const writers = engine.system.jobs
    .list({ limit: TIMELINE_JOBS })
    .items.filter((j) => (j.job_type === 'flush' || j.job_type === 'compact') && j.parameters['table'] === label);
  const files = new Map(engine.cold.segments(store.schema).map((s) => [s.entry.file_path, s]));
  const segments: SegmentInfo[] = entries.map((entry) => {
    let minKey: string | null = null;
    let maxKey: string | null = null;
    let rowGroups: number | null = null;
    const segment = files.get(entry.file_path);
    try {
      if (segment) {
        const footer = engine.cold.footer(segment);
        rowGroups = footer.groups.length;
        if (footer.groups.length > 0) {
          minKey = store.displayKey(footer.groups[0]!.minKey);
          maxKey = store.displayKey(footer.groups[footer.groups.length - 1]!.maxKey);
        }
      }
    } catch {
      // A missing or unreadable file is listed without what only the file knows (reads report it).
    }
    return {
      user: entry.user_id,
      batch: entry.batch,
      file: entry.file_path,
      rows: entry.row_count,
      bytes: entry.size_bytes,
      minKey,
      maxKey,
      rowGroups,
      createdAt: entry.created_at,
      createdBy: writerOf(writers, entry.created_at)?.job_id ?? null,
    };
  });
  const manifests =
    meta.table_type === 'stream'
      ? []
      : byScope(entries)
          .slice(0, MANIFESTS_MAX)
          .map(({ user }) => {
            const storage = storageOf(engine, meta.storage_id);
            const rel = join(scopeDirectory(storage, meta, user), SCOPE_MANIFEST);
            const path = join(storage.base_directory, rel);
            const text = existsSync(path) ? readFileSync(path, 'utf8').slice(0, MANIFEST_TEXT_MAX) : null;
            return { user, path: rel, text };
          });
  return {
    tiers: tableTiers(engine, meta, entries),
    segments,
    manifests,
    flush: flushPreview(engine, meta, entries),
    compact: compactPreview(engine, meta),
  };
}
