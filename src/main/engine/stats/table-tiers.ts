import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { TableMetadata } from '../../../shared/system/tables';
import type { TableTiers } from '../../../shared/stats';
import type { Engine } from '../engine';

/**
 * The segments system.manifest records for a table, as reads see them: entries older than the table
 * belong to an earlier table of that name (see ColdCatalog.segments).
 */
export function liveSegments(engine: Engine, meta: TableMetadata): ManifestEntry[] {
  if (meta.table_type === 'stream') return [];
  const out: ManifestEntry[] = [];
  for (const entry of engine.system.manifest.segmentsOf(tableId(meta.namespace_id, meta.table_name))) {
    if (entry.created_at >= meta.created_at) out.push(entry);
  }
  return out;
}

/** The segments of a table grouped by scope (the shared scope, or each user), in manifest order. */
export function byScope(entries: readonly ManifestEntry[]): { user: UserId | null; entries: ManifestEntry[] }[] {
  const scopes: { user: UserId | null; entries: ManifestEntry[] }[] = [];
  for (const entry of entries) {
    const last = scopes[scopes.length - 1];
    if (last && last.user === entry.user_id) last.entries.push(entry);
    else scopes.push({ user: entry.user_id, entries: [entry] });
  }
  return scopes;
}

/**
 * A table's hot and cold tiers: the hot side from the partitions' maintained counters (one lookup
 * each, whatever their size), the cold side from system.manifest (one entry per segment). No row is
 * read. `segments` may be passed when the caller already listed them.
 */
export function tableTiers(engine: Engine, meta: TableMetadata, segments: readonly ManifestEntry[] = liveSegments(engine, meta)): TableTiers {
  const store = engine.data.open(tableId(meta.namespace_id, meta.table_name));
  const hot = engine.backend.stats(store.partition);
  const tombstones = meta.table_type === 'stream' ? 0 : engine.backend.stats(store.schema.tombstones).rows;
  let rows = 0;
  let bytes = 0;
  let lastFlushAt: number | null = null;
  for (const s of segments) {
    rows += s.row_count;
    bytes += s.size_bytes;
    lastFlushAt = Math.max(lastFlushAt ?? 0, s.created_at);
  }
  const policy = meta.table_type !== 'stream' && meta.flush_policy ? meta.flush_policy : null;
  return {
    table: TableIdKey.display(tableId(meta.namespace_id, meta.table_name)),
    type: meta.table_type as TableTiers['type'],
    hot: { rows: hot.rows, bytes: hot.bytes, tombstones },
    cold: { rows, bytes, segments: segments.length },
    policy: policy && {
      rowLimit: policy.row_limit ?? null,
      intervalSeconds: policy.interval_seconds ?? null,
      hotRows: hot.rows,
      lastFlushAt,
    },
  };
}
