/**
 * Helpers for the backup and restore tests (and their crash child): a data directory with a shared
 * table, a user table and storage files recorded in system.manifest, and a fingerprint of
 * everything a restore must bring back.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import { encodeTuple } from '../../../shared/keys/tuple';
import { SYSTEM_SUBJECT } from '../access/subject';
import { toParquetValue } from '../cold/parquet-columns';
import { Engine } from '../engine';
import { SegmentWriter } from '../flush/segment-writer';
import type { JobContext, JobProgress } from '../jobs/job-context';
import { referencedFiles } from './storage-files';

export const SHARED = 'app.notes';
export const USERS = 'app.todos';
/** Holds the segments of addSegment(), which leave its hot rows alone. */
export const ARCHIVE = 'app.archive';

export function openDataDir(dir: string): Engine {
  return Engine.openDataDir(dir);
}

/** A JobContext that records progress; `controller` cancels it. */
export function testContext(): JobContext & { controller: AbortController; progress: JobProgress[] } {
  const controller = new AbortController();
  const progress: JobProgress[] = [];
  return { controller, progress, signal: controller.signal, report: (p) => progress.push(p) };
}

/** Creates the namespace and both tables (if missing). */
export function ensureTables(engine: Engine): void {
  if (!engine.system.namespaces.exists('app' as never)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  const columns = [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'body', type: 'text', nullable: false },
  ] as const;
  if (!engine.system.tables.exists(TableIdKey.parse(SHARED))) {
    engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'app', name: 'notes', type: 'shared', access_level: 'public', columns: [...columns] });
  }
  if (!engine.system.tables.exists(TableIdKey.parse(ARCHIVE))) {
    engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'app', name: 'archive', type: 'shared', access_level: 'public', columns: [...columns] });
  }
  if (!engine.system.tables.exists(TableIdKey.parse(USERS))) {
    engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'app', name: 'todos', type: 'user', columns: [...columns] });
  }
}

/** Writes `rows` shared rows (ids from `from`) tagged with `tag`. */
export function writeShared(engine: Engine, from: number, rows: number, tag: string): void {
  const store = engine.data.shared(TableIdKey.parse(SHARED));
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: rows }, (_, i) => ({ id: from + i, body: `${tag} ${from + i}` })),
  );
}

/**
 * A real Parquet segment of one row `{ id: batch, body: content }` in the table's storage,
 * recorded in system.manifest (a restore refuses a file that is not one). The hot rows are left
 * alone, so tests only add them to tables they never read (ARCHIVE).
 */
export async function addSegment(engine: Engine, table: string, batch: number, content: string): Promise<string> {
  const id: TableId = TableIdKey.parse(table);
  const storage = engine.system.storages.get(engine.system.tables.get(id)!.storage_id)!;
  const filePath = `${id.namespace}/${id.table}/batch-${batch}.parquet`;
  const abs = join(storage.base_directory, filePath);
  mkdirSync(dirname(abs), { recursive: true });
  const schema = engine.data.shared(id).schema;
  const writer = await SegmentWriter.create(abs, schema, null);
  writer.buffers.pushParquet(
    schema.columns.map((c) => toParquetValue(c.type, c.name === 'id' ? batch : content)),
    BigInt(batch),
    false,
    undefined,
  );
  const key = encodeTuple([batch]);
  writer.writeBuffered(key, key);
  const info = writer.finish();
  engine.system.manifest.insert({
    namespace_id: id.namespace,
    table_name: id.table,
    user_id: null,
    batch,
    file_path: filePath,
    row_count: info.rows,
    size_bytes: info.bytes,
    min_seq: batch,
    max_seq: batch,
    schema_version: 1,
    created_at: engine.now(),
  });
  return abs;
}

/**
 * Everything a restore brings back, hashed: every partition's rows (except the ones a restore
 * keeps) and every segment of system.manifest with its file's bytes.
 */
export function fingerprint(engine: Engine): string {
  const hash = createHash('sha256');
  for (const name of engine.backend.listPartitions()) {
    const kept = name.startsWith('system.jobs') || name.startsWith('system.live_queries') || name === 'engine.cleanup' || name === 'engine.meta';
    // Segments are hashed below without their file name: a restore may place one under a fresh name.
    if (kept || name === 'system.manifest') continue;
    hash.update(`[${name}]`);
    for (const [k, v] of engine.backend.scan(name)) hash.update(k).update(v);
  }
  for (const f of referencedFiles(engine.system)) {
    const { file_path: _, ...entry } = f.entry;
    hash.update(JSON.stringify(entry)).update(readFileSync(f.absolute));
  }
  return hash.digest('hex');
}
