import { tableId } from '../../../shared/keys/table-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { TableMetadata } from '../../../shared/system/tables';
import type { CompactPreview, FlushPreview } from '../../../shared/stats';
import { compactableScopes } from '../compact/compact-job';
import type { Engine } from '../engine';
import { type FlushableStore, hotScopes } from '../flush/flush-job';
import { estimatedGain } from './scope-health';

/**
 * Parquet bytes per hot byte when a table has no segment to learn from: JSON rows in the value
 * envelope shrink at least this much in zstd-compressed columns (repetitive seed rows far more).
 */
const DEFAULT_PARQUET_RATIO = 0.35;
/**
 * Bytes a segment file costs whatever its rows: magic, footer (schema, our key ranges), page
 * headers. Measured: a one-row segment of a four-column table is about 950 bytes, 700 of them footer.
 */
const FILE_OVERHEAD = 1024;

/**
 * What a flush of the table would do now, without doing it: every hot row (tombstones included) is
 * written, one file per scope with hot rows, and leaves the hot store. Rows and files are exact for
 * the table as it is now (writes in between change both); the size is estimated as a fixed cost per
 * file plus the table's own segments' bytes per row (or the hot bytes, compressed, without segments).
 */
export function flushPreview(engine: Engine, meta: TableMetadata, segments: readonly ManifestEntry[]): FlushPreview {
  if (meta.table_type === 'stream') return { rows: 0, files: 0, estimatedBytes: 0, removeHotRows: 0 };
  const store = engine.data.open(tableId(meta.namespace_id, meta.table_name)) as FlushableStore;
  const hot = engine.backend.stats(store.partition);
  let files = 0;
  for (const _ of hotScopes(store)) files++;
  const coldRows = segments.reduce((n, s) => n + s.row_count, 0);
  const coldBytes = segments.reduce((n, s) => n + s.size_bytes, 0);
  const rowBytes = coldRows > 0 ? (hot.rows * Math.max(0, coldBytes - segments.length * FILE_OVERHEAD)) / coldRows : hot.bytes * DEFAULT_PARQUET_RATIO;
  const estimatedBytes = files * FILE_OVERHEAD + rowBytes;
  return { rows: hot.rows, files, estimatedBytes: Math.round(estimatedBytes), removeHotRows: hot.rows };
}

/**
 * What a compaction would do now: each scope with two segments or more (the job's own choice,
 * compactableScopes) merged into one file; every row of those segments is read. Segments and rows
 * are exact; the saving is estimated from sizes (see estimatedGain).
 */
export function compactPreview(engine: Engine, meta: TableMetadata): CompactPreview {
  if (meta.table_type === 'stream') return { scopes: 0, segments: 0, rowsRead: 0, bytesBefore: 0, estimatedSaving: 0 };
  const scopes = compactableScopes(engine, tableId(meta.namespace_id, meta.table_name), meta);
  let segments = 0;
  let rowsRead = 0;
  let bytesBefore = 0;
  let estimatedSaving = 0;
  for (const scope of scopes) {
    segments += scope.entries.length;
    for (const e of scope.entries) {
      rowsRead += e.row_count;
      bytesBefore += e.size_bytes;
    }
    estimatedSaving += estimatedGain(scope.entries);
  }
  return { scopes: scopes.length, segments, rowsRead, bytesBefore, estimatedSaving };
}
