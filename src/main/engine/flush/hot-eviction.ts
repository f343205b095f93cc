import { DELETED_COLUMN, SEQ_COLUMN } from '../cold/parquet-columns';
import { readFooter, readGroupColumns, type SegmentFooter } from '../cold/segment-file';
import type { BatchOp, ScanRange, StorageBackend } from '../storage/storage-backend';
import type { DataTables } from '../tables/data-tables';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
import { envelopeHeader, headerChars } from './hot-group-reader';

export interface EvictionCount {
  /** Hot rows removed: their flushed version is the current one. */
  readonly removed: number;
  /** Rows of the segment not removed: their hot version changed (or went) after the flush read them. */
  readonly kept: number;
}

const SEQ_MEMBER = ',"_seq":';
const LIVE_END = ',"_deleted":false}';
const TOMBSTONE_END = ',"_deleted":true}';

/**
 * The `_seq` of a stored row, from its text (the JSON from `start` on). The stores stamp `_seq`
 * and `_deleted` last (see DataTableStore.stamp and tombstoneAt), so the text usually ends
 * `,"_seq":N,"_deleted":B}` and `_seq` is read off its end without parsing the rest: in valid JSON
 * that ending can only be the top-level object's last two members (the quote before `_seq` is
 * unescaped, so it opens a key; the closing brace is the text's last). Any other text is parsed
 * whole. Eviction reads every hot row's `_seq`: read this way it costs next to nothing, where
 * JSON.parse cost about 0.5 s of CPU per million rows (measured on this project's 2-core machine).
 */
export function storedSeq(text: string, start = 0): number {
  const at = text.lastIndexOf(SEQ_MEMBER);
  if (at > start) {
    const first = at + SEQ_MEMBER.length;
    let i = first;
    let seq = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      seq = seq * 10 + (c - 48);
    }
    // At most 15 digits: exact in a double whatever they are.
    const digits = i - first;
    const end = text.length - i;
    const ending = end === LIVE_END.length ? LIVE_END : end === TOMBSTONE_END.length ? TOMBSTONE_END : undefined;
    if (digits > 0 && digits <= 15 && ending !== undefined && text.endsWith(ending)) return seq;
  }
  return (JSON.parse(start === 0 ? text : text.slice(start)) as { _seq: number })._seq;
}

/**
 * A table's hot partition and its tombstone list, read and emptied through the storage API. A
 * `_seq` names one write of one row (engine-wide, unique, see sequence.ts): a hot row whose `_seq`
 * is one the segment holds is exactly the version flushed. A row written after the flush read it
 * has a newer `_seq`, and one inserted meanwhile has one the segment does not hold. Only rows in the
 * current envelope (see envelopeHeader) match: another one is never misread, it stays hot.
 */
class HotRows {
  private readonly headerChars: number;

  constructor(
    private readonly backend: StorageBackend,
    private readonly partition: string,
    private readonly tombstones: string,
    private readonly header: Buffer,
  ) {
    this.headerChars = headerChars(header);
  }

  /** The `_seq`s of a key range's hot rows in key order (null for a row in another envelope). */
  seqs(range: ScanRange): (number | null)[] {
    const out: (number | null)[] = [];
    for (const batch of this.backend.scanText(this.partition, { ...range, header: this.header })) {
      for (const text of batch.values) out.push(typeof text === 'string' ? storedSeq(text, this.headerChars) : null);
    }
    return out;
  }

  /** Whether any hot row lies after a key. */
  anyAfter(key: Uint8Array): boolean {
    return !this.backend.scanKeys(this.partition, { gt: key, limit: 1 }).next().done;
  }

  /** Deletes every hot row of a key range (the whole partition without bounds), and with `tombstones` its tombstone-list entries. */
  deleteRange(range: ScanRange, tombstones: boolean): number {
    if (tombstones) this.backend.deleteRange(this.tombstones, range);
    return this.backend.deleteRange(this.partition, range);
  }

  /** Deletes the hot rows of a key range whose `_seq` is one of `seqs`, and the tombstone-list entries of those in `dead`. */
  deleteMatching(range: ScanRange, seqs: ReadonlySet<number>, dead: ReadonlySet<number>): number {
    const ops: BatchOp[] = [];
    let removed = 0;
    // The rare case (a write came in during the flush): rows with their keys, the slower way.
    for (const rows of this.backend.scanBatches(this.partition, range)) {
      for (const [key, value] of rows) {
        if (value.length < this.header.length || !this.header.equals(value.subarray(0, this.header.length))) continue;
        const seq = storedSeq(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'), this.headerChars);
        if (!seqs.has(seq)) continue;
        ops.push({ type: 'del', partition: this.partition, key });
        if (dead.has(seq)) ops.push({ type: 'del', partition: this.tombstones, key });
        removed++;
      }
    }
    this.backend.batch(ops);
    return removed;
  }
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
function evictRange(hot: HotRows, range: ScanRange, deleted: ArrayLike<unknown>): number {
  return hot.deleteRange(range, Array.prototype.includes.call(deleted, true));
}

/** A write touched the range since the flush read it: remove only the rows still at a flushed `_seq`. */
function evictMatching(hot: HotRows, range: ScanRange, seqs: ArrayLike<unknown>, deleted: ArrayLike<unknown>): number {
  const all = new Set<number>();
  const dead = new Set<number>();
  for (let i = 0; i < seqs.length; i++) {
    const s = Number(seqs[i]);
    all.add(s);
    if (deleted[i] === true) dead.add(s);
  }
  return hot.deleteMatching(range, all, dead);
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
function holdsExactly(hot: HotRows, footer: SegmentFooter): boolean {
  // Storage keys are never empty, so every key sorts after the empty one.
  let after: Uint8Array = new Uint8Array(0);
  for (let gi = 0; gi < footer.groups.length; gi++) {
    const hi = footer.groups[gi]!.maxKey;
    const seqs = readGroupColumns(footer, gi, [SEQ_COLUMN]).get(SEQ_COLUMN)!;
    if (!unchanged(hot.seqs({ gt: after, lte: hi }), seqs)) return false;
    after = hi;
  }
  return !hot.anyAfter(after);
}

/**
 * Removes from the hot store the rows a recorded segment holds, but only where the hot row is still
 * the very version written (same `_seq`; every write has its own): a row edited or deleted during
 * the flush keeps its newer hot version. Every check runs in the transaction of the delete it
 * guards, with the table check, so no write slips between check and delete.
 *
 * - A shared table whose hot rows are exactly the segment's (the usual case: nothing written
 *   during the flush) is emptied with one range delete, which frees whole pages in SQLite; deleting
 *   the rows one by one rewrites every page (about five times the work).
 * - Otherwise, per row group: the range's hot `_seq`s are read in key order; when they are the
 *   group's, the whole key range is deleted; if not, only the rows whose `_seq` is one of the group's.
 *
 * Idempotent: recovery runs it again after a crash. Nothing else needs updating: data tables have
 * no secondary indexes, and eviction changes no visible row (reads merge the segment), so it emits
 * no change events. Stops (leaving rows in both places, which reads merge) if the table is altered
 * or dropped meanwhile.
 */
export function evictFlushedRows(data: DataTables, store: SharedTableStore | UserTableStore, path: string): EvictionCount {
  const backend = store.backend;
  if (!backend.supports.rangeDelete) throw new Error('flush eviction needs a storage backend that deletes key ranges');
  const schema = store.schema;
  const footer = readFooter(path);
  const hot = new HotRows(backend, store.partition, schema.tombstones, envelopeHeader(schema.label));
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
      if (!tableUnchanged() || !holdsExactly(hot, footer)) return undefined;
      return hot.deleteRange({}, true);
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
    const range: ScanRange = { gte: g.minKey, lte: g.maxKey };
    const stillCurrent = backend.transaction(() => {
      if (!tableUnchanged()) return false;
      const n = unchanged(hot.seqs(range), seqs) ? evictRange(hot, range, deleted) : evictMatching(hot, range, seqs, deleted);
      removed += n;
      kept += seqs.length - n;
      return true;
    });
    if (!stillCurrent) break;
  }
  return { removed, kept };
}
