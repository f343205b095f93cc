import type Database from 'better-sqlite3';
import { DELETED_COLUMN, SEQ_COLUMN } from '../cold/parquet-columns';
import { readFooter, readGroupColumns } from '../cold/segment-file';
import { SqliteBackend } from '../storage/sqlite-backend';
import type { DataTables } from '../tables/data-tables';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
import { envelopeHeader } from './hot-group-reader';

export interface EvictionCount {
  /** Hot rows removed: their flushed version is the current one. */
  readonly removed: number;
  /** Rows of the segment not removed: their hot version changed (or went) after the flush read them. */
  readonly kept: number;
}

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

interface EvictParams {
  readonly lo: Buffer;
  readonly hi: Buffer;
  readonly header: Buffer;
  /** JSON array of the `_seq`s to remove. */
  readonly seqs: string;
}

/** The statements removing one segment's rows from a table's hot partitions. */
interface EvictStatements {
  /** Deletes the hot rows of a key range whose `_seq` is one of a JSON array's. */
  readonly rows: Database.Statement<[EvictParams]>;
  /** Deletes the tombstone-list entries of those rows (run first, while the rows are still there). */
  readonly tombstones: Database.Statement<[EvictParams]>;
}

function statements(db: Database.Database, partition: string, tombstones: string, header: Buffer): EvictStatements {
  const seq = `json_extract(CAST(substr(v, ${header.length + 1}) AS TEXT), '$._seq')`;
  // A `_seq` names one write of one row (engine-wide, unique, see sequence.ts): a hot row whose
  // `_seq` is one the segment holds is exactly the version flushed. A row written after the flush
  // read it has a newer `_seq`, and one inserted meanwhile has one the segment does not hold.
  // Only rows in the current envelope (see envelopeHeader) match: another one is never misread, it stays hot.
  const current = `k >= @lo AND k <= @hi AND substr(v, 1, length(@header)) = @header AND ${seq} IN (SELECT value FROM json_each(@seqs))`;
  return {
    rows: db.prepare(`DELETE FROM "p_${partition}" WHERE ${current}`),
    tombstones: db.prepare(`DELETE FROM "p_${tombstones}" WHERE k IN (SELECT k FROM "p_${partition}" WHERE ${current})`),
  };
}

/**
 * Removes from the hot store the rows a recorded segment holds, but only where the hot row is still
 * the very version written (same `_seq`; every write has its own): a row edited or deleted during
 * the flush keeps its newer hot version. One SQL statement per row group (per-key matching in
 * SQLite, no row decoded in JS), inside one transaction per row group with the table check, so no
 * write can slip between check and delete. Idempotent: recovery runs it again after a crash.
 * Nothing else needs updating: data tables have no secondary indexes, and eviction changes no
 * visible row (reads merge the segment), so it emits no change events.
 *
 * Stops (leaving rows in both places, which reads merge) if the table is altered or dropped meanwhile.
 */
export function evictFlushedRows(
  data: DataTables,
  store: SharedTableStore | UserTableStore,
  path: string,
): EvictionCount {
  const backend = store.backend;
  if (!(backend instanceof SqliteBackend)) throw new Error('flush eviction needs the SQLite storage backend');
  const schema = store.schema;
  const footer = readFooter(path);
  const header = envelopeHeader(schema.label);
  const sql = statements(backend.db, store.partition, schema.tombstones, header);
  let removed = 0;
  let kept = 0;
  for (let gi = 0; gi < footer.groups.length; gi++) {
    const g = footer.groups[gi]!;
    const cols = readGroupColumns(footer, gi, [SEQ_COLUMN, DELETED_COLUMN]);
    const seqs = cols.get(SEQ_COLUMN)!;
    const deleted = cols.get(DELETED_COLUMN)!;
    const all: string[] = [];
    const dead: string[] = [];
    for (let i = 0; i < seqs.length; i++) {
      const s = String(seqs[i]);
      all.push(s);
      if (deleted[i] === true) dead.push(s);
    }
    const lo = asBuffer(g.minKey);
    const hi = asBuffer(g.maxKey);
    const stillCurrent = backend.transaction(() => {
      let meta;
      try {
        meta = data.metadata(schema.id);
      } catch {
        return false;
      }
      if (meta.schema_version !== schema.version || meta.created_at !== schema.meta.created_at) return false;
      if (dead.length > 0) sql.tombstones.run({ lo, hi, header, seqs: `[${dead.join(',')}]` });
      const n = sql.rows.run({ lo, hi, header, seqs: `[${all.join(',')}]` }).changes;
      removed += n;
      kept += seqs.length - n;
      return true;
    });
    if (!stillCurrent) break;
  }
  return { removed, kept };
}
