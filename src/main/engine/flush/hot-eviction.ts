import type Database from 'better-sqlite3';
import { DELETED_COLUMN, SEQ_COLUMN } from '../cold/parquet-columns';
import { readFooter, readGroupColumns, type SegmentFooter } from '../cold/segment-file';
import { SqliteBackend } from '../storage/sqlite-backend';
import { partitionTable } from '../storage/sqlite-names';
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

interface RangeParams {
  readonly lo: Buffer;
  readonly hi: Buffer;
  readonly header: Buffer;
}

interface EvictParams extends RangeParams {
  /** JSON array of the `_seq`s to remove. */
  readonly seqs: string;
}

/** The statements removing one segment's rows from a table's hot partitions. */
interface EvictStatements {
  /** The `_seq`s of a key range's hot rows in key order (null for a row in another envelope). */
  readonly seqs: Database.Statement<[RangeParams], number | null>;
  /** Deletes every hot row of a key range (once `seqs` showed they are exactly the flushed ones). */
  readonly range: Database.Statement<[{ lo: Buffer; hi: Buffer }]>;
  /** Deletes every tombstone-list entry of a key range. */
  readonly rangeTombstones: Database.Statement<[{ lo: Buffer; hi: Buffer }]>;
  /** The `_seq`s of the hot rows after a key (exclusive) up to another (inclusive), in key order. */
  readonly seqsAfter: Database.Statement<[RangeParams], number | null>;
  /** Whether any hot row lies after a key. */
  readonly anyAfter: Database.Statement<[{ lo: Buffer }], number>;
  /** Empties the hot partition and its tombstone list (SQLite frees their pages instead of deleting row by row). */
  readonly clear: Database.Statement<[]>;
  readonly clearTombstones: Database.Statement<[]>;
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
  const inRange = 'k >= @lo AND k <= @hi';
  const ownSeq = `CASE WHEN substr(v, 1, length(@header)) = @header THEN ${seq} END`;
  const current = `${inRange} AND substr(v, 1, length(@header)) = @header AND ${seq} IN (SELECT value FROM json_each(@seqs))`;
  const hot = partitionTable(partition);
  const dead = partitionTable(tombstones);
  return {
    seqs: db.prepare<[RangeParams], number | null>(`SELECT ${ownSeq} FROM ${hot} WHERE ${inRange} ORDER BY k`).pluck(),
    seqsAfter: db.prepare<[RangeParams], number | null>(`SELECT ${ownSeq} FROM ${hot} WHERE k > @lo AND k <= @hi ORDER BY k`).pluck(),
    anyAfter: db.prepare<[{ lo: Buffer }], number>(`SELECT 1 FROM ${hot} WHERE k > @lo LIMIT 1`).pluck(),
    clear: db.prepare(`DELETE FROM ${hot}`),
    clearTombstones: db.prepare(`DELETE FROM ${dead}`),
    range: db.prepare(`DELETE FROM ${hot} WHERE ${inRange}`),
    rangeTombstones: db.prepare(`DELETE FROM ${dead} WHERE ${inRange}`),
    rows: db.prepare(`DELETE FROM ${hot} WHERE ${current}`),
    tombstones: db.prepare(`DELETE FROM ${dead} WHERE k IN (SELECT k FROM ${hot} WHERE ${current})`),
  };
}

/** Whether a key range's hot `_seq`s (key order) are exactly a row group's (key order too). */
function unchanged(hot: readonly (number | null)[], flushed: ArrayLike<unknown>): boolean {
  if (hot.length !== flushed.length) return false;
  for (let i = 0; i < hot.length; i++) if (hot[i] !== Number(flushed[i])) return false;
  return true;
}

/**
 * The usual case: the range holds exactly the flushed rows, so the whole range goes (no per-row
 * match). A tombstone-list entry shares its tombstone's key, so the range holds only entries of rows being removed.
 */
function evictRange(sql: EvictStatements, lo: Buffer, hi: Buffer, deleted: ArrayLike<unknown>): number {
  if (Array.prototype.includes.call(deleted, true)) sql.rangeTombstones.run({ lo, hi });
  return sql.range.run({ lo, hi }).changes;
}

/** A write touched the range since the flush read it: remove only the rows still at a flushed `_seq`. */
function evictMatching(sql: EvictStatements, range: RangeParams, seqs: ArrayLike<unknown>, deleted: ArrayLike<unknown>): number {
  const all: string[] = [];
  const dead: string[] = [];
  for (let i = 0; i < seqs.length; i++) {
    const s = String(seqs[i]);
    all.push(s);
    if (deleted[i] === true) dead.push(s);
  }
  if (dead.length > 0) sql.tombstones.run({ ...range, seqs: `[${dead.join(',')}]` });
  return sql.rows.run({ ...range, seqs: `[${all.join(',')}]` }).changes;
}

/**
 * Up to this many rows, a shared table's eviction first tries to empty the partition in one
 * transaction: verifying every row's `_seq` holds the write lock for about 0.6 s per million rows
 * (measured here), which other writers wait out; above it, eviction goes row group by row group.
 */
export const CLEAR_MAX_ROWS = 1_000_000;

/**
 * Whether the hot partition holds exactly a segment's rows: the same `_seq`s in key order, and no
 * row before, between or after its row groups (the ranges checked tile the whole key space).
 */
function holdsExactly(sql: EvictStatements, footer: SegmentFooter, header: Buffer): boolean {
  // Storage keys are never empty, so every key sorts after the empty one.
  let after: Buffer = Buffer.alloc(0);
  for (let gi = 0; gi < footer.groups.length; gi++) {
    const hi = asBuffer(footer.groups[gi]!.maxKey);
    const seqs = readGroupColumns(footer, gi, [SEQ_COLUMN]).get(SEQ_COLUMN)!;
    if (!unchanged(sql.seqsAfter.all({ lo: after, hi, header }), seqs)) return false;
    after = hi;
  }
  return sql.anyAfter.get({ lo: after }) === undefined;
}

/**
 * Removes from the hot store the rows a recorded segment holds, but only where the hot row is still
 * the very version written (same `_seq`; every write has its own): a row edited or deleted during
 * the flush keeps its newer hot version. Every check runs in the transaction of the delete it
 * guards, with the table check, so no write slips between check and delete. No row is decoded in JS.
 *
 * - A shared table whose hot rows are exactly the segment's (the usual case: nothing written
 *   during the flush) is emptied in one statement, which frees whole pages; deleting the rows one by
 *   one rewrites every page (about five times the work).
 * - Otherwise, per row group: the range's hot `_seq`s are read in key order; when they are the
 *   group's, the whole key range is deleted; if not, one statement matches each row's `_seq` against
 *   the group's in SQLite.
 *
 * Idempotent: recovery runs it again after a crash. Nothing else needs updating: data tables have
 * no secondary indexes, and eviction changes no visible row (reads merge the segment), so it emits
 * no change events. Stops (leaving rows in both places, which reads merge) if the table is altered
 * or dropped meanwhile.
 */
export function evictFlushedRows(data: DataTables, store: SharedTableStore | UserTableStore, path: string): EvictionCount {
  const backend = store.backend;
  if (!(backend instanceof SqliteBackend)) throw new Error('flush eviction needs the SQLite storage backend');
  const schema = store.schema;
  const footer = readFooter(path);
  const header = envelopeHeader(schema.label);
  const sql = statements(backend.db, store.partition, schema.tombstones, header);
  const tableUnchanged = (): boolean => {
    try {
      const meta = data.metadata(schema.id);
      return meta.schema_version === schema.version && meta.created_at === schema.meta.created_at;
    } catch {
      return false;
    }
  };
  if (store.kind === 'shared' && footer.rows <= CLEAR_MAX_ROWS) {
    const cleared = backend.transaction(() => {
      if (!tableUnchanged() || !holdsExactly(sql, footer, header)) return undefined;
      sql.clearTombstones.run();
      return sql.clear.run().changes;
    });
    if (cleared !== undefined) return { removed: cleared, kept: footer.rows - cleared };
  }
  let removed = 0;
  let kept = 0;
  for (let gi = 0; gi < footer.groups.length; gi++) {
    const g = footer.groups[gi]!;
    const cols = readGroupColumns(footer, gi, [SEQ_COLUMN, DELETED_COLUMN]);
    const seqs = cols.get(SEQ_COLUMN)!;
    const deleted = cols.get(DELETED_COLUMN)!;
    const range = { lo: asBuffer(g.minKey), hi: asBuffer(g.maxKey), header };
    const stillCurrent = backend.transaction(() => {
      if (!tableUnchanged()) return false;
      const n = unchanged(sql.seqs.all(range), seqs) ? evictRange(sql, range.lo, range.hi, deleted) : evictMatching(sql, range, seqs, deleted);
      removed += n;
      kept += seqs.length - n;
      return true;
    });
    if (!stillCurrent) break;
  }
  return { removed, kept };
}
