import { join } from 'node:path';
import { KeyError } from '../../../shared/keys/key-codec';
import { manifestId } from '../../../shared/keys/manifest-id';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import { prefixEnd } from '../../../shared/keys/tuple';
import type { UserId } from '../../../shared/keys/user-id';
import { UserRowIdKey, userRowsPrefix } from '../../../shared/keys/user-row-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { Storage } from '../../../shared/system/storages';
import type { TableMetadata } from '../../../shared/system/tables';
import { publishFile, removeIfExists, TEMP_SUFFIX } from '../cold/durable-fs';
import { scopeManifest, writeScopeManifest } from '../cold/scope-manifest';
import { journalDirectory } from '../cold/storage-paths';
import type { Engine } from '../engine';
import { EngineError, NotFoundError, ValidationError } from '../errors';
import { type JobContext, throwIfCancelled } from '../jobs/job-context';
import { holdPoint } from '../jobs/hold-point';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
import { abandonedJournals, FlushJournal, type JournalSegment } from './flush-journal';
import { newScopeSegment } from './scope-segment';
import { evictFlushedRows } from './hot-eviction';
import { HotGroupReader } from './hot-group-reader';
import { type SegmentInfo, SegmentWriter } from './segment-writer';

/** Rows per row group: what a flush holds in memory at once, and what a read decodes at once. */
export const FLUSH_ROW_GROUP = 16_384;

/** SQLite's page cache while a flush runs (see runFlush). */
const FLUSH_CACHE_MB = 4;

/**
 * Connection settings for a job that passes over a whole table (a flush, an export, an import): no
 * memory map, a small page cache (see runFlush).
 */
export const WHOLE_TABLE_PASS = { mmapMb: 0, cacheMb: FLUSH_CACHE_MB } as const;

/**
 * Up to this many hot rows, the write phase reports its progress against an exact total, counted
 * up front (about 20 ms at the cap); a larger table's flush reports the rows done and the rate
 * without one: counting a million rows first cost about 5% of its flush.
 */
export const EXACT_TOTAL_UP_TO = 100_000;

export interface FlushParams {
  /** "namespace.table" */
  readonly table: string;
  /** Rows per row group (default FLUSH_ROW_GROUP); tests use small groups. */
  readonly rowGroupRows?: number | undefined;
}

/** What a flush did (JSON-serialisable: it is the job's result). */
export interface FlushResult {
  readonly table: string;
  /** Live rows written to Parquet. */
  readonly rows: number;
  /** Tombstones written (deletes that must keep hiding older flushed versions). */
  readonly tombstones: number;
  readonly files: number;
  readonly bytes: number;
  /** Scopes flushed: 1 for a shared table, one per user with hot rows for a user table. */
  readonly scopes: number;
  /** Rows that left the hot store. */
  readonly removedFromHot: number;
  /** Rows changed while the flush ran: their newer version stays hot. */
  readonly keptHot: number;
}

export interface Scope {
  readonly user: UserId | null;
  readonly prefix: Uint8Array | undefined;
}

interface Written {
  readonly segment: JournalSegment;
  readonly relPath: string;
  readonly info: SegmentInfo;
  readonly scope: Scope;
}

export type FlushableStore = SharedTableStore | UserTableStore;

export function parseTable(text: string, what = 'flush'): TableId {
  try {
    return TableIdKey.parse(text);
  } catch (e) {
    if (e instanceof KeyError) throw new ValidationError(what, [{ field: 'table', message: e.message }]);
    throw e;
  }
}

/** The scopes with hot rows: the table itself (shared), or each user with rows (user tables), in key order. */
export function* hotScopes(store: FlushableStore): Generator<Scope> {
  if (store.kind === 'shared') {
    if (!store.backend.scanKeys(store.partition, { limit: 1 }).next().done) yield { user: null, prefix: undefined };
    return;
  }
  let from: Uint8Array | undefined;
  for (;;) {
    const next = store.backend.scanKeys(store.partition, { gte: from, limit: 1 }).next();
    if (next.done) return;
    const user = UserRowIdKey.decode(next.value).user;
    const prefix = userRowsPrefix(user);
    yield { user, prefix };
    from = prefixEnd(prefix);
    if (!from) return;
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function storageOf(engine: Engine, id: string): Storage {
  const storage = engine.system.storages.get(id as never);
  if (!storage) throw new NotFoundError(`storage ${id}`);
  return storage;
}

/** Rewrites a scope's manifest.json from system.manifest (the authority). */
export function syncScopeManifest(engine: Engine, id: TableId, user: UserId | null, dir: string, extra: ManifestEntry[] = []): void {
  const entries = [...engine.system.manifest.segmentsOfScope(id, user), ...extra];
  writeScopeManifest(dir, scopeManifest(TableIdKey.display(id), user, entries));
}

/**
 * Flushes a shared or user table's hot rows (tombstones included) to Parquet segments, one per scope.
 *
 * Steps, each durable before the next: the journal records the file about to be written; the rows
 * stream from a keyset scan into `batch-N.parquet.tmp`, one row group per `rowGroupRows` rows, so
 * memory holds one row group; the file is synced and, once every scope is written, renamed into
 * place (folder synced); the scope's manifest.json is replaced atomically; one SQLite transaction
 * records every segment in system.manifest. Only then are hot rows removed — those still at the
 * version written. A cancel (or an error) before the commit removes every file it wrote and
 * records nothing; a crash is cleaned up by recoverFlush.
 */
export async function runFlush(engine: Engine, params: FlushParams, ctx: JobContext): Promise<FlushResult> {
  const id = parseTable(params.table);
  const groupRows = params.rowGroupRows ?? FLUSH_ROW_GROUP;
  if (!Number.isSafeInteger(groupRows) || groupRows < 1) throw new ValidationError('flush', [{ field: 'rowGroupRows', message: 'must be a positive integer' }]);
  const label = TableIdKey.display(id);
  const meta = engine.data.metadata(id);
  if (meta.table_type === 'stream') throw ValidationError.single('flush', '', `${label} is a stream table: its rows expire instead of being flushed`);
  const store = engine.data.open(id) as FlushableStore;
  const storage = storageOf(engine, meta.storage_id);
  // A flush reads the whole table once (and once more to evict it): memory-mapped pages would count
  // toward the process's resident memory in proportion to the table's size, a full page cache would
  // hold another 64 MiB, and a sequential pass gains nothing from either. The connection gets its
  // settings back afterwards.
  return engine.backend.withSettings(WHOLE_TABLE_PASS, () => {
    // Created last: from here on, flushTable removes it whatever happens (or recovery does after a crash).
    const journal = FlushJournal.create(journalDirectory(storage), { table: label, pid: process.pid, started: engine.now() });
    return flushTable(engine, { id, label, meta, store, storage, journal, groupRows }, ctx);
  });
}

interface FlushPlan {
  readonly id: TableId;
  readonly label: string;
  readonly meta: TableMetadata;
  readonly store: FlushableStore;
  readonly storage: Storage;
  readonly journal: FlushJournal;
  readonly groupRows: number;
}

async function flushTable(engine: Engine, { id, label, meta, store, storage, journal, groupRows }: FlushPlan, ctx: JobContext): Promise<FlushResult> {
  const written: Written[] = [];
  let writer: SegmentWriter | undefined;
  let committed = false;
  let entries: ManifestEntry[] = [];
  try {
    ctx.report({ phase: 'scan', done: 0, total: null, unit: 'rows' });
    const counted = engine.backend.count(store.partition, { cap: EXACT_TOTAL_UP_TO + 1 });
    const total = counted <= EXACT_TOTAL_UP_TO ? counted : null;
    let done = 0;
    const started = performance.now();
    const rate = () => Math.round((done * 1000) / Math.max(1, performance.now() - started));
    for (const scope of hotScopes(store)) {
      throwIfCancelled(ctx);
      const { relPath, segment } = newScopeSegment(engine, id, storage, meta, scope.user);
      journal.add(segment);
      writer = await SegmentWriter.create(segment.temp, store.schema, scope.user);
      const reader = new HotGroupReader(store, writer.buffers);
      const lo = Buffer.from(scope.prefix ?? []);
      const end = scope.prefix ? prefixEnd(scope.prefix) : undefined;
      const hi = end ? Buffer.from(end) : null;
      let after: Buffer | undefined;
      for (;;) {
        throwIfCancelled(ctx);
        // A fresh statement per group: no read stays open across the awaits below.
        const group = reader.read({ lo, hi, after }, groupRows, scope.user ?? undefined);
        if (!group) break;
        writer.writeBuffered(group.firstKey, group.lastKey);
        after = group.lastKey;
        done += group.rows;
        ctx.report({ phase: 'write', done, total: total === null ? null : Math.max(total, done), rate: rate(), unit: 'rows' });
        await holdPoint('flush-write', ctx);
        await yieldToEventLoop();
      }
      const info = writer.finish();
      writer = undefined;
      if (info.rows === 0) {
        removeIfExists(segment.temp);
        continue;
      }
      written.push({ segment, relPath, info, scope });
    }
    throwIfCancelled(ctx);

    ctx.report({ phase: 'commit', done: 0, total: done, unit: 'rows' });
    for (const w of written) publishFile(w.segment.temp, w.segment.final);
    const now = engine.now();
    entries = written.map((w) => ({
      namespace_id: id.namespace,
      table_name: id.table,
      user_id: w.scope.user,
      batch: w.segment.batch,
      file_path: w.relPath,
      row_count: w.info.rows,
      size_bytes: w.info.bytes,
      min_seq: w.info.minSeq,
      max_seq: w.info.maxSeq,
      schema_version: meta.schema_version,
      created_at: now,
    }));
    written.forEach((w, i) => syncScopeManifest(engine, id, w.scope.user, w.segment.dir, [entries[i]!]));
    engine.backend.transaction(() => {
      const current = engine.data.metadata(id);
      if (current.schema_version !== meta.schema_version || current.created_at !== meta.created_at) {
        throw new EngineError('CONFLICT', `${label} was altered while it was being flushed; nothing was flushed, run the flush again`);
      }
      for (const e of entries) engine.system.manifest.insert(e);
    });
    committed = true;
  } catch (e) {
    writer?.abort();
    if (!committed) {
      // Nothing recorded: take back every file this flush created.
      for (const w of written) {
        removeIfExists(w.segment.temp);
        removeIfExists(w.segment.final);
        syncScopeManifest(engine, id, w.scope.user, w.segment.dir);
      }
      journal.remove();
    }
    throw e;
  }

  // Recorded: the rows now live in Parquet. Remove the hot versions that were written.
  let removedFromHot = 0;
  let keptHot = 0;
  try {
    let evicted = 0;
    for (const w of written) {
      const r = evictFlushedRows(engine.data, store, w.segment.final);
      removedFromHot += r.removed;
      keptHot += r.kept;
      evicted += w.info.rows;
      ctx.report({ phase: 'commit', done: evicted, total: entries.reduce((n, e) => n + e.row_count, 0), unit: 'rows' });
      await yieldToEventLoop();
    }
  } finally {
    // Rows left in both places (an error above) read the same; the next flush takes them again.
    journal.remove();
  }
  const sum = (f: (i: SegmentInfo) => number) => written.reduce((n, w) => n + f(w.info), 0);
  return {
    table: label,
    rows: sum((i) => i.rows - i.tombstones),
    tombstones: sum((i) => i.tombstones),
    files: written.length,
    bytes: sum((i) => i.bytes),
    scopes: written.length,
    removedFromHot,
    keptHot,
  };
}

/** What recoverFlush cleaned up. */
export interface FlushRecovery {
  /** Journals of interrupted flushes found and resolved. */
  readonly journals: number;
  /** Temporary and unrecorded files removed. */
  readonly removedFiles: string[];
  /** Segments that had been recorded before the crash (kept; their hot rows evicted now). */
  readonly recordedSegments: number;
  readonly removedFromHot: number;
}

/**
 * Resolves flushes that died half way (called at startup, before any flush runs in this process).
 * For every journal left by a process that is gone: temporary files are removed; a segment that
 * system.manifest does not record is removed (its rows are still hot); a recorded one stays and its
 * hot rows are evicted as the flush would have; each scope's manifest.json is rewritten from
 * system.manifest. Journals of a live process (a CLI flushing beside the app) are left alone.
 */
export function recoverFlush(engine: Engine): FlushRecovery {
  let journals = 0;
  let recordedSegments = 0;
  let removedFromHot = 0;
  const removedFiles: string[] = [];
  // A compaction's journal is resolved by recoverCompact.
  for (const { storage, path, journal, id } of abandonedJournals(engine, 'flush')) {
    journals++;
    let store: FlushableStore | undefined;
    try {
      const opened = id ? engine.data.open(id) : undefined;
      store = opened && opened.kind !== 'stream' ? opened : undefined;
    } catch {
      store = undefined;
    }
    for (const segment of journal.segments) {
      if (removeIfExists(segment.temp)) removedFiles.push(segment.temp);
      removeIfExists(join(segment.dir, 'manifest.json') + TEMP_SUFFIX);
      const entry = id ? engine.system.manifest.get(manifestId(id, segment.user as UserId | null, segment.batch)) : undefined;
      const recorded = entry !== undefined && join(storage.base_directory, entry.file_path) === segment.final;
      if (!recorded) {
        if (removeIfExists(segment.final)) removedFiles.push(segment.final);
      } else {
        recordedSegments++;
        if (store) removedFromHot += evictFlushedRows(engine.data, store, segment.final).removed;
      }
      if (id) syncScopeManifest(engine, id, segment.user as UserId | null, segment.dir);
    }
    removeIfExists(path);
  }
  return { journals, removedFiles, recordedSegments, removedFromHot };
}
