import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestEntry } from '../../../shared/system/manifest';
import { removeIfExists, TEMP_SUFFIX, writeFileAtomic } from './durable-fs';
import { SCOPE_MANIFEST } from './storage-paths';

/**
 * `manifest.json` of one scope folder: the segments recorded for it, so a folder of Parquet files
 * describes itself (for tools and for a person looking at the storage). system.manifest stays the
 * authority: recovery rewrites this file from it.
 */
export interface ScopeManifest {
  readonly format: 1;
  readonly table: string;
  readonly user: string | null;
  readonly segments: readonly {
    readonly batch: number;
    readonly file: string;
    readonly rows: number;
    readonly bytes: number;
    readonly min_seq: number;
    readonly max_seq: number;
    readonly schema_version: number;
    readonly created_at: number;
  }[];
}

export function scopeManifest(table: string, user: string | null, entries: readonly ManifestEntry[]): ScopeManifest {
  return {
    format: 1,
    table,
    user,
    segments: [...entries]
      .sort((a, b) => a.batch - b.batch)
      .map((e) => ({
        batch: e.batch,
        file: e.file_path.slice(e.file_path.lastIndexOf('/') + 1),
        rows: e.row_count,
        bytes: e.size_bytes,
        min_seq: e.min_seq,
        max_seq: e.max_seq,
        schema_version: e.schema_version,
        created_at: e.created_at,
      })),
  };
}

/** Writes (atomically) the manifest.json of a scope folder; with no segments, removes it. */
export function writeScopeManifest(dir: string, manifest: ScopeManifest): void {
  const path = join(dir, SCOPE_MANIFEST);
  removeIfExists(path + TEMP_SUFFIX);
  if (manifest.segments.length === 0) {
    removeIfExists(path);
    return;
  }
  writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readScopeManifest(dir: string): ScopeManifest | undefined {
  const path = join(dir, SCOPE_MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ScopeManifest) : undefined;
}
