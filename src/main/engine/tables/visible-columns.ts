import { compareBytes } from '../../../shared/keys/tuple';
import type { UserId } from '../../../shared/keys/user-id';
import type { ColdCatalog, ColdView, Segment } from '../cold/cold-catalog';
import { DELETED_COLUMN, fromParquetValue, SEQ_COLUMN, USER_COLUMN } from '../cold/parquet-columns';
import { readGroupColumns } from '../cold/segment-file';
import { EngineError } from '../errors';
import type { ScanOptions, StorageBackend } from '../storage/storage-backend';
import type { DataRow } from './row-schema';
import type { TableSchema } from './table-schema';

/** Visible rows as columns: `columns[j][i]` is column j of row i, in the rows' JSON form (null for SQL null). */
export interface ColumnBatch {
  readonly length: number;
  readonly columns: readonly (readonly unknown[])[];
}

/** Where a columnar scan's rows go. A batch is valid only during the call (its arrays are reused). */
export interface ColumnSink {
  batch(rows: ColumnBatch): void;
  /** Called every few hundred rows read, also where no batch is complete yet (a stop signal may throw). */
  check(): void;
  /** Everything sent so far is void: the scan starts again (a compaction replaced a file being read). */
  reset(): void;
}

/** What the scan reads of a store. */
export interface ColumnarSource {
  readonly schema: TableSchema;
  readonly backend: StorageBackend;
  readonly partition: string;
  readonly cold: ColdCatalog | undefined;
  /** The value envelope's header, which every stored row's text starts with. */
  readonly header: Buffer;
  /** The store's decoder, for a row in another envelope (an older row format). */
  decode(key: Uint8Array, bytes: Uint8Array): DataRow;
  ownerOf(key: Uint8Array): UserId | undefined;
}

/** A stored row's JSON as the hot side holds it. */
type StoredRow = Record<string, unknown> & { readonly _seq: number; readonly _deleted: boolean };

/** Rows per batch. */
const BATCH = 1024;

/** A column the caller asked for: a table column (with its value when a row lacks it) or the owner. */
interface Wanted {
  readonly name: string;
  readonly owner: boolean;
  readonly fill: unknown;
}

/** One flushed scope (the shared rows, or one user's) and the key interval its segments cover. */
interface ColdInterval {
  readonly lo: Uint8Array;
  readonly hi: Uint8Array;
  readonly segments: readonly Segment[];
  readonly owner: UserId | null;
}

/** A row met on the hot side inside a cold interval, or a cold version waiting for the others. */
interface Pending {
  readonly seq: number;
  readonly deleted: boolean;
  readonly values: unknown[] | undefined;
}

class Collector implements ColumnBatch {
  readonly columns: unknown[][];
  length = 0;
  constructor(
    width: number,
    private readonly sink: ColumnSink,
  ) {
    this.columns = Array.from({ length: width }, () => []);
  }

  push(values: readonly unknown[]): void {
    for (let j = 0; j < values.length; j++) this.columns[j]!.push(values[j]);
    if (++this.length >= BATCH) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    this.sink.batch(this);
    for (const c of this.columns) c.length = 0;
    this.length = 0;
  }

  clear(): void {
    for (const c of this.columns) c.length = 0;
    this.length = 0;
  }
}

/**
 * The visible rows of a table (or of one user's key space, `prefix`) as columns, in no particular
 * order: for aggregates that need neither keys nor order. The merge rule is the store's (see
 * DataTableStore.scanMerged): the newest `_seq` per key wins, hot or flushed, and a tombstone hides
 * the row. It runs in one read snapshot, so the hot rows and the segment list agree; only the
 * columns asked for are decoded, from Parquet column chunks and from the hot rows' stored text.
 *
 * Hot keys outside every flushed interval (a scope's lowest to highest flushed key) cannot have a
 * flushed version: they go straight out. Inside an interval, the hot rows are held by primary key
 * while the interval's segments are read, and the newer version of each key is sent.
 */
export function scanVisibleColumns(
  source: ColumnarSource,
  view: ColdView | undefined,
  prefix: Uint8Array | undefined,
  names: readonly string[],
  sink: ColumnSink,
): void {
  const { schema } = source;
  const wanted: Wanted[] = names.map((name) => {
    if (name === USER_COLUMN && schema.type !== 'shared') return { name, owner: true, fill: null };
    const column = schema.columns.find((c) => c.name === name);
    if (!column) throw new EngineError('NOT_FOUND', `${schema.label}: no column ${name}`);
    return { name, owner: false, fill: column.default ?? null };
  });
  const out = new Collector(wanted.length, sink);
  const pk = schema.primaryKey.name;
  const headerChars = source.header.toString('utf8').length;
  const values = new Array<unknown>(wanted.length);
  const valuesOf = (row: StoredRow, owner: UserId | undefined | null): unknown[] => {
    for (let j = 0; j < wanted.length; j++) {
      const w = wanted[j]!;
      values[j] = w.owner ? (owner ?? null) : Object.hasOwn(row, w.name) ? (row[w.name] ?? null) : w.fill;
    }
    return values;
  };
  /** Hands each hot row of a range to `each`, as stored, with its owner (read from the key when an owner column is wanted and `owner` is not known). */
  const eachHot = (range: ScanOptions, owner: UserId | null | undefined, each: (row: StoredRow, owner: UserId | null | undefined) => void) => {
    if (owner === undefined && wanted.some((w) => w.owner)) {
      for (const batch of source.backend.scanBatches(source.partition, range)) {
        sink.check();
        for (const [k, v] of batch) each(source.decode(k, v), source.ownerOf(k));
      }
      return;
    }
    for (const batch of source.backend.scanText(source.partition, { ...range, header: source.header })) {
      sink.check();
      const texts = batch.values;
      for (let r = 0; r < texts.length; r++) {
        const text = texts[r]!;
        each(typeof text === 'string' ? (JSON.parse(text.slice(headerChars)) as StoredRow) : source.decode(batch.keys![r]!, text), owner);
      }
    }
  };
  const direct = (row: StoredRow, owner: UserId | null | undefined) => {
    if (!row._deleted) out.push(valuesOf(row, owner));
  };

  let lower: Uint8Array | undefined;
  for (const interval of coldIntervals(source, view)) {
    eachHot({ prefix, gt: lower, lt: interval.lo }, undefined, direct);
    lower = interval.hi;
    const held = new Map<unknown, Pending>();
    eachHot({ prefix, gte: interval.lo, lte: interval.hi }, interval.owner, (row) => {
      held.set(row[pk], { seq: row._seq, deleted: row._deleted, values: row._deleted ? undefined : [...valuesOf(row, interval.owner)] });
    });
    const single = interval.segments.length === 1;
    for (const segment of interval.segments) readSegment(source, segment, wanted, interval.owner, held, single, out, sink);
    for (const p of held.values()) if (!p.deleted) out.push(p.values!);
  }
  eachHot({ prefix, gt: lower }, undefined, direct);
  out.flush();
}

/** The flushed scopes of a view in key order, each with the interval its row groups cover. */
function coldIntervals(source: ColumnarSource, view: ColdView | undefined): ColdInterval[] {
  if (!view || !source.cold) return [];
  const byScope = new Map<UserId | null, Segment[]>();
  for (const s of view.segments) {
    const list = byScope.get(s.entry.user_id);
    if (list) list.push(s);
    else byScope.set(s.entry.user_id, [s]);
  }
  const out: ColdInterval[] = [];
  for (const [owner, segments] of byScope) {
    let lo: Uint8Array | undefined;
    let hi: Uint8Array | undefined;
    for (const s of segments) {
      const groups = source.cold.footer(s).groups;
      if (groups.length === 0) continue;
      const min = groups[0]!.minKey;
      const max = groups[groups.length - 1]!.maxKey;
      if (!lo || compareBytes(min, lo) < 0) lo = min;
      if (!hi || compareBytes(max, hi) > 0) hi = max;
    }
    if (lo && hi) out.push({ lo, hi, segments, owner });
  }
  return out.sort((a, b) => compareBytes(a.lo, b.lo));
}

/**
 * One segment's rows against the held versions: a key held with a newer (or the same) `_seq` is
 * skipped here (the held one goes out later); otherwise the segment's version wins. With a single
 * segment in the scope it goes out at once; with several it is held in turn, against the others.
 */
function readSegment(
  source: ColumnarSource,
  segment: Segment,
  wanted: readonly Wanted[],
  owner: UserId | null,
  held: Map<unknown, Pending>,
  single: boolean,
  out: Collector,
  sink: ColumnSink,
): void {
  const { schema } = source;
  const footer = source.cold!.footer(segment);
  const pk = schema.primaryKey;
  const filePk = footer.primaryKey || pk.name;
  const types = wanted.map((w) => schema.columns.find((c) => c.name === w.name)?.type);
  const names = [...new Set([...wanted.filter((w) => !w.owner && w.name !== pk.name).map((w) => w.name), filePk, SEQ_COLUMN, DELETED_COLUMN])];
  const values = new Array<unknown>(wanted.length);
  for (let g = 0; g < footer.groups.length; g++) {
    sink.check();
    const cols = readGroupColumns(footer, g, names);
    const keys = cols.get(filePk);
    const seqs = cols.get(SEQ_COLUMN);
    const deleted = cols.get(DELETED_COLUMN);
    if (!keys || !seqs || !deleted) throw new EngineError('DECODE', `${segment.path}: missing key or system columns`);
    // A column the file lacks (added after the flush) reads as its default.
    const columns = wanted.map((w) => (w.owner ? undefined : cols.get(w.name === pk.name ? filePk : w.name)));
    const n = seqs.length;
    for (let i = 0; i < n; i++) {
      const key = fromParquetValue(pk.type, keys[i]);
      const seq = Number(seqs[i]);
      const isDeleted = Boolean(deleted[i]);
      const h = held.get(key);
      if (h !== undefined) {
        if (h.seq >= seq) continue;
        held.delete(key);
      }
      let row: unknown[] | undefined;
      if (!isDeleted) {
        for (let j = 0; j < wanted.length; j++) {
          const w = wanted[j]!;
          const c = columns[j];
          values[j] = w.owner ? owner : c ? fromParquetValue(types[j]!, c[i]) : w.fill;
        }
        row = values;
      }
      if (single) {
        if (row) out.push(row);
      } else held.set(key, { seq, deleted: isDeleted, values: row && [...row] });
    }
  }
}
