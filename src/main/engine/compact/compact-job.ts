import { isAbsolute, join } from 'node:path';
import { manifestId } from '../../../shared/keys/manifest-id';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import { userRowsPrefix } from '../../../shared/keys/user-row-id';
import type { UserId } from '../../../shared/keys/user-id';
import { ownValue } from '../../../shared/own-keys';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { Storage } from '../../../shared/system/storages';
import type { TableMetadata } from '../../../shared/system/tables';
import type { Segment } from '../cold/cold-catalog';
import { publishFile } from '../cold/durable-fs';
import { mergeNewest } from '../cold/merge';
import { toParquetValue } from '../cold/parquet-columns';
import { journalDirectory } from '../cold/storage-paths';
import type { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { FLUSH_ROW_GROUP, parseTable, storageOf } from '../flush/flush-job';
import { FlushJournal } from '../flush/flush-journal';
import { newScopeSegment } from '../flush/scope-segment';
import { type SegmentInfo, SegmentWriter } from '../flush/segment-writer';
import { type JobContext, throwIfCancelled } from '../jobs/job-context';
import type { TableSchema } from '../tables/table-schema';
import { type CompactRecord, resolveCompaction } from './compact-recovery';
import { segmentRows } from './segment-rows';

export interface CompactParams {
  /** "namespace.table" */
  readonly table: string;
  /** Rows per row group of the merged file (default FLUSH_ROW_GROUP, as a flush); tests use small groups. */
  readonly rowGroupRows?: number | undefined;
}

/** What a compaction did (JSON-serialisable: it is the job's result). */
export interface CompactResult {
  readonly table: string;
  /** Scopes merged into one segment each (those with two segments or more). */
  readonly scopes: number;
  /** Segments replaced, all scopes. */
  readonly segmentsBefore: number;
  /** Rows read from the replaced segments (every version). */
  readonly rowsRead: number;
  /** Rows written: one per key, tombstones included. */
  readonly rows: number;
  readonly tombstones: number;
  readonly bytesBefore: number;
  readonly bytes: number;
}

/** The segments of one scope, batches ascending. */
interface ScopeSegments {
  readonly user: UserId | null;
  readonly entries: readonly ManifestEntry[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The scopes of a table with at least two segments. Entries older than the table belong to an
 * earlier table of that name (reads skip them too) and are left alone.
 */
export function compactableScopes(engine: Engine, id: TableId, meta: TableMetadata): ScopeSegments[] {
  const scopes: { user: UserId | null; entries: ManifestEntry[] }[] = [];
  for (const entry of engine.system.manifest.segmentsOf(id)) {
    if (entry.created_at < meta.created_at) continue;
    const last = scopes[scopes.length - 1];
    if (last && last.user === entry.user_id) last.entries.push(entry);
    else scopes.push({ user: entry.user_id, entries: [entry] });
  }
  return scopes.filter((s) => s.entries.length >= 2);
}

/** Why a table cannot be compacted now, or undefined when it can (the services refuse early with it). */
export function nothingToCompact(engine: Engine, table: string): string | undefined {
  const id = parseTable(table, 'compact');
  const meta = engine.data.metadata(id);
  if (meta.table_type === 'stream') return `${table} is a stream table: it has no Parquet segments to compact`;
  return compactableScopes(engine, id, meta).length === 0 ? `${table} has nothing to compact (no scope has two segments or more)` : undefined;
}

interface Plan {
  readonly id: TableId;
  readonly label: string;
  readonly meta: TableMetadata;
  readonly schema: TableSchema;
  readonly storage: Storage;
  readonly journal: FlushJournal;
  readonly groupRows: number;
}

/**
 * Merges each scope's segments of a shared or user table into one, keeping the newest `_seq` of
 * every key (tombstones too: a hot row older than a flushed tombstone may exist for a moment, and
 * dropping the tombstone would bring back an older flushed version).
 *
 * Per scope, each step durable before the next: the journal records the merged file and the
 * segments it replaces; the segments stream through a k-way merge into `batch-N.parquet.tmp`
 * (memory: one decoded row group per input file, one output group); the file is synced and renamed
 * into place; ONE transaction records it in system.manifest and forgets the old entries (CONFLICT
 * if the table was altered or dropped meanwhile); manifest.json is rewritten; the old files are
 * deleted. The journal is the table's flush journal (op "compact"), so a flush and a compaction of
 * one table never run at once, in any process. A cancel or an error before a scope's commit
 * removes its merged file and keeps the old segments; a crash is resolved by recoverCompact.
 */
export async function runCompact(engine: Engine, params: CompactParams, ctx: JobContext): Promise<CompactResult> {
  const id = parseTable(params.table, 'compact');
  const groupRows = params.rowGroupRows ?? FLUSH_ROW_GROUP;
  if (!Number.isSafeInteger(groupRows) || groupRows < 1)
    throw new ValidationError('compact', [{ field: 'rowGroupRows', message: 'must be a positive integer' }]);
  const label = TableIdKey.display(id);
  const meta = engine.data.metadata(id);
  if (meta.table_type === 'stream') throw ValidationError.single('compact', '', `${label} is a stream table: it has no Parquet segments to compact`);
  const schema = engine.data.open(id).schema;
  const storage = storageOf(engine, meta.storage_id);
  // Created last: from here on, the journal is resolved and removed whatever happens (or by recovery after a crash).
  const journal = FlushJournal.create(journalDirectory(storage), { table: label, op: 'compact', pid: process.pid, started: engine.now() });
  const plan: Plan = { id, label, meta, schema, storage, journal, groupRows };
  const records: CompactRecord[] = [];
  try {
    const result = await compactTable(engine, plan, records, ctx);
    resolveCompaction(engine, storage, id, records);
    return result;
  } catch (e) {
    // Uncommitted merged files go, committed scopes finish removing their old files.
    resolveCompaction(engine, storage, id, records);
    throw e;
  } finally {
    journal.remove();
  }
}

async function compactTable(engine: Engine, plan: Plan, records: CompactRecord[], ctx: JobContext): Promise<CompactResult> {
  const { id, label, meta, storage } = plan;
  // Only the segments seen now are merged (a flush cannot add one meanwhile: the journal locks it out).
  const scopes = compactableScopes(engine, id, meta);
  const total = scopes.reduce((n, s) => n + s.entries.reduce((m, e) => m + e.row_count, 0), 0);
  const progress = { read: 0 };
  const started = performance.now();
  const report = (phase: string) =>
    ctx.report({
      phase,
      done: progress.read,
      total: Math.max(total, progress.read),
      rate: Math.round((progress.read * 1000) / Math.max(1, performance.now() - started)),
      unit: 'rows',
    });
  ctx.report({ phase: 'merge', done: 0, total, unit: 'rows' });
  const infos: SegmentInfo[] = [];
  let segmentsBefore = 0;
  let bytesBefore = 0;
  for (const scope of scopes) {
    throwIfCancelled(ctx);
    const { relPath, segment } = newScopeSegment(engine, id, storage, meta, scope.user);
    const { batch, final } = segment;
    const absolute = (e: ManifestEntry) => (isAbsolute(e.file_path) ? e.file_path : join(storage.base_directory, e.file_path));
    const record: CompactRecord = { ...segment, replaces: scope.entries.map((e) => ({ batch: e.batch, path: absolute(e) })) };
    plan.journal.add(record);
    records.push(record);
    const info = await mergeScope(plan, scope, record, progress, report, ctx);
    throwIfCancelled(ctx);

    report('commit');
    publishFile(record.temp, final);
    const entry: ManifestEntry = {
      namespace_id: id.namespace,
      table_name: id.table,
      user_id: scope.user,
      batch,
      file_path: relPath,
      row_count: info.rows,
      size_bytes: info.bytes,
      min_seq: info.minSeq,
      max_seq: info.maxSeq,
      schema_version: meta.schema_version,
      created_at: engine.now(),
    };
    engine.backend.transaction(() => {
      const current = engine.system.tables.get(id);
      if (!current || current.schema_version !== meta.schema_version || current.created_at !== meta.created_at) {
        throw new EngineError('CONFLICT', `${label} was altered or dropped while it was being compacted; nothing was changed, run the compaction again`);
      }
      for (const old of scope.entries) {
        const now = engine.system.manifest.get(manifestId(id, scope.user, old.batch));
        if (now?.file_path !== old.file_path)
          throw new EngineError('CONFLICT', `${label}: the segments changed while they were being compacted; run the compaction again`);
      }
      engine.system.manifest.insert(entry);
      engine.system.manifest.deleteMany(scope.entries.map((e) => manifestId(id, scope.user, e.batch)));
    });
    // Recorded: manifest.json follows system.manifest, then the replaced files go.
    resolveCompaction(engine, storage, id, [record]);
    infos.push(info);
    segmentsBefore += scope.entries.length;
    bytesBefore += scope.entries.reduce((n, e) => n + e.size_bytes, 0);
  }
  report('done');
  const sum = (f: (i: SegmentInfo) => number) => infos.reduce((n, i) => n + f(i), 0);
  return {
    table: label,
    scopes: infos.length,
    segmentsBefore,
    rowsRead: progress.read,
    rows: sum((i) => i.rows),
    tombstones: sum((i) => i.tombstones),
    bytesBefore,
    bytes: sum((i) => i.bytes),
  };
}

/** Streams a scope's segments, merged newest-first per key, into the record's temporary file. */
async function mergeScope(
  plan: Plan,
  scope: ScopeSegments,
  record: CompactRecord,
  progress: { read: number },
  report: (phase: string) => void,
  ctx: JobContext,
): Promise<SegmentInfo> {
  const { schema, groupRows } = plan;
  const prefix = scope.user === null ? undefined : userRowsPrefix(scope.user);
  const onRow = () => progress.read++;
  const sources = record.replaces.map((r, i) => {
    const segment: Segment = { entry: scope.entries[i]!, path: r.path, scope: prefix };
    return segmentRows(schema, segment, onRow);
  });
  const writer = await SegmentWriter.create(record.temp, schema, scope.user);
  try {
    const buffers = writer.buffers;
    buffers.clear();
    const columns = schema.columns;
    const values = new Array<unknown>(columns.length);
    const user = scope.user ?? undefined;
    let first: Uint8Array | undefined;
    let last: Uint8Array | undefined;
    for (const [key, row] of mergeNewest(sources, false)) {
      const deleted = row._deleted;
      // A tombstone keeps only its key, as a flush writes it.
      for (let i = 0; i < columns.length; i++)
        values[i] = deleted && !columns[i]!.primary_key ? null : toParquetValue(columns[i]!.type, ownValue(row, columns[i]!.name));
      buffers.pushParquet(values, BigInt(row._seq), deleted, user);
      first ??= key;
      last = key;
      if (buffers.length >= groupRows) {
        writer.writeBuffered(first, last);
        buffers.clear();
        first = undefined;
        throwIfCancelled(ctx);
        report('merge');
        await yieldToEventLoop();
      }
    }
    if (first && last) writer.writeBuffered(first, last);
    return writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
