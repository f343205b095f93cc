import type { KeyedRow } from '../cold/merge';
import { decodeGroup, type Segment } from '../cold/cold-catalog';
import { readFooter } from '../cold/segment-file';
import type { TableSchema } from '../tables/table-schema';

/**
 * The rows of one segment in key order (tombstones included), decoded one row group at a time and
 * bypassing the read cache: a compaction holds one group per input file, never a whole file, and
 * leaves the cache to the reads. `onRow` counts what was read (progress).
 */
export function* segmentRows(schema: TableSchema, segment: Segment, onRow: () => void): Generator<KeyedRow> {
  const footer = readFooter(segment.path);
  for (let g = 0; g < footer.groups.length; g++) {
    const { keys, rows } = decodeGroup(schema, segment, footer, g);
    for (let i = 0; i < keys.length; i++) {
      onRow();
      yield [keys[i]!, rows[i]!];
    }
  }
}
