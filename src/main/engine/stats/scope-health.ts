import type { ManifestEntry } from '../../../shared/system/manifest';
import type { ScopeHealth, ScopeTotals } from '../../../shared/stats';
import type { UserId } from '../../../shared/keys/user-id';

/** When a scope's segments are worth merging (the Overview's candidates; a schedule may pass its own). */
export interface CompactionThreshold {
  /** A scope with at least this many segments is a candidate. */
  readonly minSegments: number;
  /** Or: at least two segments smaller than this. */
  readonly smallBytes: number;
}

export const DEFAULT_THRESHOLD: CompactionThreshold = { minSegments: 4, smallBytes: 1024 * 1024 };

/**
 * Bytes a merge of these segments would save, estimated from sizes alone: a merged file keeps one
 * footer and compresses its rows together, so each segment beyond the largest is assumed to shrink
 * to the largest one's bytes per row. Tombstones and superseded versions, which a merge drops too,
 * are not known without reading the files: the real gain is at least this for most tables.
 */
export function estimatedGain(entries: readonly ManifestEntry[]): number {
  if (entries.length < 2) return 0;
  const largest = entries.reduce((a, b) => (b.size_bytes > a.size_bytes ? b : a));
  const perRow = largest.row_count > 0 ? largest.size_bytes / largest.row_count : 0;
  let gain = 0;
  for (const e of entries) if (e !== largest) gain += Math.max(0, e.size_bytes - e.row_count * perRow);
  return Math.round(gain);
}

/** Why the scope is a compaction candidate under the threshold, or null. */
export function candidateReason(entries: readonly ManifestEntry[], threshold: CompactionThreshold): string | null {
  if (entries.length < 2) return null;
  if (entries.length >= threshold.minSegments) return `${entries.length} segments (at least ${threshold.minSegments})`;
  const small = entries.filter((e) => e.size_bytes < threshold.smallBytes).length;
  if (small >= 2) return `${small} segments smaller than ${formatMb(threshold.smallBytes)}`;
  return null;
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MB`;
}

export function scopeHealth(table: string, user: UserId | null, entries: readonly ManifestEntry[], threshold = DEFAULT_THRESHOLD): ScopeHealth {
  const sizes = entries.map((e) => e.size_bytes).sort((a, b) => a - b);
  const candidate = candidateReason(entries, threshold);
  return {
    table,
    user,
    segments: entries.length,
    rows: entries.reduce((n, e) => n + e.row_count, 0),
    bytes: sizes.reduce((n, s) => n + s, 0),
    smallest: sizes[0] ?? 0,
    median: sizes.length ? sizes[Math.floor((sizes.length - 1) / 2)]! : 0,
    largest: sizes[sizes.length - 1] ?? 0,
    candidate,
    estimatedGain: candidate ? estimatedGain(entries) : 0,
  };
}

/**
 * The `limit` most pressing scopes (largest estimated gain, then most segments) and totals over all
 * of them: a store with thousands of user scopes sends the Overview a bounded list, not every scope.
 */
export function mostPressing(scopes: readonly ScopeHealth[], limit: number): { listed: ScopeHealth[]; totals: ScopeTotals } {
  const totals: ScopeTotals = { scopes: scopes.length, segments: 0, candidates: 0, estimatedGain: 0 };
  for (const s of scopes) {
    totals.segments += s.segments;
    if (s.candidate !== null) totals.candidates++;
    totals.estimatedGain += s.estimatedGain;
  }
  const listed = [...scopes].sort((a, b) => b.estimatedGain - a.estimatedGain || b.segments - a.segments).slice(0, limit);
  return { listed, totals };
}
