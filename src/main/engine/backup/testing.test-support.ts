/**
 * Helpers for the backup and restore tests (and their crash child): a data directory with a shared
 * table, a user table and storage files recorded in system.manifest, and a fingerprint of
 * everything a restore must bring back.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../access/subject';
import { Engine } from '../engine';
import type { JobContext, JobProgress } from '../jobs/job-context';
import { referencedFiles } from './storage-files';

export const SHARED = 'app.notes';
export const USERS = 'app.todos';
/** Holds the stand-in segments of addSegment(); never read through a store (they are not Parquet). */
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
 * A stand-in segment file under the table's storage, recorded in system.manifest: backup and
 * restore copy bytes and never decode them (the flush tests cover Parquet content). Reads of the
 * table would try to decode it, so tests only add them to tables they never read (ARCHIVE).
 */
export function addSegment(engine: Engine, table: string, batch: number, content: string): string {
  const id: TableId = TableIdKey.parse(table);
  const storage = engine.system.storages.get('local' as never)!;
  const filePath = `${id.namespace}/${id.table}/batch-${batch}.parquet`;
  const abs = join(storage.base_directory, filePath);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  engine.system.manifest.insert({
    namespace_id: id.namespace,
    table_name: id.table,
    user_id: null,
    batch,
    file_path: filePath,
    row_count: 1,
    size_bytes: Buffer.byteLength(content),
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
