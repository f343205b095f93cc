/**
 * Helpers for the import/export tests: export and import parameters with defaults, a table of every
 * column type, DuckDB as an independent reader.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportParams, ImportParams } from '../../../../shared/jobs/io-params';
import type { CreateTableInput } from '../../../../shared/ddl';
import { SYSTEM_SUBJECT } from '../../access/subject';
import type { Engine } from '../../engine';
import { runFlush } from '../../flush/flush-job';
import { testJobContext } from '../../flush/testing/flush.test-support';
import { tid } from '../../tables/testing.test-support';
import { runExport } from '../export-job';
import { runImport } from '../import-job';

export const ADMIN_SUBJECT = { userId: null, role: 'system' as const };

export function exportTo(engine: Engine, table: string, file: string, more: Partial<ExportParams> = {}) {
  return runExport(engine, { table, file, format: 'csv', subject: ADMIN_SUBJECT, ...more }, testJobContext());
}

export function importFrom(engine: Engine, dir: string, table: string, file: string, more: Partial<ImportParams> = {}) {
  return runImport(engine, { table, file, subject: ADMIN_SUBJECT, report: join(dir, 'import-reports', `${table}.csv`), ...more }, testJobContext());
}

/** A shared (or user) table with one column of every type, `id` the integer key. */
export function everyTypeTable(name: string, type: 'shared' | 'user' = 'shared'): CreateTableInput {
  return {
    namespace: 'app',
    name,
    type,
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text' },
      { name: 'amount', type: 'double' },
      { name: 'done', type: 'boolean' },
      { name: 'at', type: 'timestamp' },
      { name: 'meta', type: 'json' },
      { name: 'blob', type: 'bytes' },
    ],
  };
}

export function createEveryType(engine: Engine, name: string, type: 'shared' | 'user' = 'shared'): void {
  engine.ddl.createTable(SYSTEM_SUBJECT, everyTypeTable(name, type));
}

/** Rows of a DuckDB query, INT64 as numbers. */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql))
      .getRowObjectsJS()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Column names and DuckDB types of what a query returns. */
export async function duckTypes(sql: string): Promise<Record<string, string>> {
  const rows = await duck(`DESCRIBE SELECT * FROM ${sql}`);
  return Object.fromEntries(rows.map((r) => [r.column_name as string, r.column_type as string]));
}

/** Rows of every type: unicode, quotes and a line break, empty strings, nulls, extreme numbers. */
export const EVERY_TYPE_ROWS = [
  { id: 1, title: 'plain', amount: 1.5, done: true, at: Date.UTC(2024, 0, 2, 3, 4, 5, 678), meta: { a: [1, 'x'] }, blob: 'AAEC' },
  { id: 2, title: 'ünïcødé, "quoted"\nand a line break', amount: -0.25, done: false, at: 0, meta: 'just a string', blob: null },
  { id: 3, title: '', amount: null, done: null, at: null, meta: null, blob: '' },
  { id: 4, title: null, amount: 1e21, done: true, at: -86_400_000, meta: [1, 2, 3], blob: '/w==' },
];

/** `app.items` of every type holding EVERY_TYPE_ROWS: rows 1-2 flushed to Parquet (2 then edited hot), 3-4 hot only. */
export async function seedEveryType(engine: Engine): Promise<void> {
  createEveryType(engine, 'items');
  const store = engine.data.shared(tid('app.items'));
  store.insertRows(SYSTEM_SUBJECT, EVERY_TYPE_ROWS.slice(0, 2));
  await runFlush(engine, { table: 'app.items' }, testJobContext());
  store.updateRow(SYSTEM_SUBJECT, 2, { amount: -0.25 });
  store.insertRows(SYSTEM_SUBJECT, EVERY_TYPE_ROWS.slice(2));
}

/** A folder beside a test's data directory for its export files (an export refuses the data directory). */
export function outDirBeside(dataDir: string): string {
  const dir = join(dataDir, '..', `${dataDir.split('/').pop()}-out`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
