/**
 * One measured run of the io suite (bench/io.ts), in its own process so its peak RSS is its own:
 *
 *   tsx bench/io-child.ts seed <data dir> <out dir> <rows>            create bench.src (the 8 columns) and fill it
 *   tsx bench/io-child.ts export-csv|export-jsonl|export-parquet …    our export job of bench.src into <out dir>/src.<format>
 *   tsx bench/io-child.ts export-sql-csv …                            our export job of SELECT * FROM bench.src into <out dir>/sql.csv
 *   tsx bench/io-child.ts flush …                                     the flush job of bench.src (the Parquet baseline)
 *   tsx bench/io-child.ts import-csv …                                our import job of <out dir>/src.csv into a new empty table
 *   tsx bench/io-child.ts insert-many …                               baseline: the engine's insertRows of the same rows, already
 *                                                                      parsed and in memory, in one transaction
 *
 * The jobs run as the app runs them: in a worker thread with a job worker's heap limits
 * (jobWorkerLimits: JOB_WORKER_RESOURCE_LIMITS, and an export's heap cap). The baseline runs on the main thread with no limits (its best).
 * Prints one JSON line: {"seconds", "cpuSeconds", "rows", "bytes", "maxRssMb"} (cpuSeconds: user +
 * system CPU of the timed part, every thread; maxRssMb: the process's peak).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import { runFlush } from '../src/main/engine/flush/flush-job';
import { runExport } from '../src/main/engine/io/export-job';
import { runImport } from '../src/main/engine/io/import-job';
import type { JobContext } from '../src/main/engine/jobs/job-context';
import { exportKind } from '../src/main/engine/jobs/kinds/io-kinds';
import { jobWorkerLimits } from '../src/main/engine/jobs/worker-runner';
import type { ExportFormat } from '../src/shared/jobs/io-params';
import { TableIdKey } from '../src/shared/keys/table-id';
import { COLUMNS, rowOf } from './io-dataset';
import { connectionOf } from './lib/raw-sqlite';

const ADMIN = { userId: null, role: 'system' as const };
const ctx: JobContext = { signal: new AbortController().signal, report: () => undefined };

interface Timed {
  rows: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
}

/** Times fn on the wall clock and in process CPU time (every thread). */
async function timed(fn: () => Promise<{ rows: number; bytes: number }> | { rows: number; bytes: number }): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { rows, bytes } = await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rows, bytes, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function createTable(engine: Engine, name: string): void {
  engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'bench', name, type: 'shared', access_level: 'public', columns: COLUMNS });
}

/** A job body, timed from its call to its return (the engine is opened before and closed after). */
async function timedJob(mode: string, dir: string, out: string): Promise<Timed> {
  const engine = Engine.openDataDir(dir);
  try {
    if (mode === 'export-sql-csv') {
      const source = { kind: 'sql' as const, sql: 'SELECT * FROM bench.src' };
      return await timed(() => runExport(engine, { source, file: join(out, 'sql.csv'), format: 'csv', subject: ADMIN }, ctx));
    }
    if (mode.startsWith('export-')) {
      const format = mode.slice('export-'.length) as ExportFormat;
      return await timed(() => runExport(engine, { table: 'bench.src', file: join(out, `src.${format}`), format, subject: ADMIN }, ctx));
    }
    if (mode === 'flush') return await timed(() => runFlush(engine, { table: 'bench.src' }, ctx));
    if (mode === 'import-csv') {
      createTable(engine, 'dst');
      const file = join(out, 'src.csv');
      const report = join(dir, 'import-reports', 'bench.csv');
      return await timed(async () => ({
        rows: (await runImport(engine, { table: 'bench.dst', file, subject: ADMIN, report }, ctx)).inserted,
        bytes: statSync(file).size,
      }));
    }
    throw new Error(`unknown job step ${mode}`);
  } finally {
    engine.close();
  }
}

function report(r: Timed): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...r, maxRssMb })}\n`);
}

async function main(mode: string, dir: string, out: string, rows: number): Promise<void> {
  if (mode === 'seed') {
    const engine = Engine.openDataDir(dir);
    engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'bench' });
    createTable(engine, 'src');
    const store = engine.data.shared(TableIdKey.parse('bench.src'));
    for (let start = 1; start <= rows; start += 10_000) {
      store.insertRows(
        SYSTEM_SUBJECT,
        Array.from({ length: Math.min(10_000, rows + 1 - start) }, (_, j) => rowOf(start + j)),
      );
    }
    connectionOf(engine.backend).pragma('wal_checkpoint(TRUNCATE)');
    engine.close();
    report({ rows, bytes: 0, seconds: 0, cpuSeconds: 0 });
    return;
  }
  if (mode === 'insert-many') {
    const engine = Engine.openDataDir(dir);
    try {
      createTable(engine, 'base');
      const store = engine.data.shared(TableIdKey.parse('bench.base'));
      const parsed = Array.from({ length: rows }, (_, i) => rowOf(i + 1));
      report(await timed(() => ({ rows: store.insertRows(SYSTEM_SUBJECT, parsed), bytes: 0 })));
    } finally {
      engine.close();
    }
    return;
  }
  // A job: its body in a worker thread, as the job manager runs it. CPU time and peak RSS are the
  // process's, so they count the worker; the main thread only waits.
  // An export's worker has its kind's heap cap, as the job manager gives it (the flush and the import have none).
  const resourceLimits = jobWorkerLimits(mode.startsWith('export-') ? exportKind.workerHeapMb : undefined);
  const worker = new Worker(new URL(import.meta.url), { workerData: { mode, dir, out }, resourceLimits });
  const result = await new Promise<Timed>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.rows !== rows) throw new Error(`${mode}: ${result.rows} rows, expected ${rows}`);
  report(result);
}

if (isMainThread) {
  const [mode, dir, out, rows] = process.argv.slice(2);
  if (!mode || !dir || !out || !rows) throw new Error('usage: tsx bench/io-child.ts <mode> <data dir> <out dir> <rows>');
  await main(mode, dir, out, Number(rows));
} else {
  const { mode, dir, out } = workerData as { mode: string; dir: string; out: string };
  parentPort!.postMessage(await timedJob(mode, dir, out));
}
