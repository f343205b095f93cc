/**
 * One measured run of the flush figure, in its own process so its peak RSS is its own:
 *
 *   tsx bench/jobs-flush-child.ts seed <data dir> <rows>     create bench.rows and fill it
 *   tsx bench/jobs-flush-child.ts flush <data dir> <rows>    flush it: the job body in a worker thread with a job worker's heap limits
 *   tsx bench/jobs-flush-child.ts writer <data dir> <rows>   baseline: hyparquet-writer alone writes the same rows from memory
 *
 * Prints one JSON line: {"seconds", "cpuSeconds", "rows", "bytes", "maxRssMb"} (cpuSeconds: user + system CPU of the timed part).
 */
import { closeSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { compress } from '@bokuweb/zstd-wasm';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { segmentSchema } from '../src/main/engine/cold/parquet-columns';
import { Engine } from '../src/main/engine/engine';
import { FLUSH_ROW_GROUP, runFlush } from '../src/main/engine/flush/flush-job';
import { ensureZstd } from '../src/main/engine/flush/segment-writer';
import { JOB_WORKER_RESOURCE_LIMITS } from '../src/main/engine/jobs/worker-runner';
import { TableIdKey } from '../src/shared/keys/table-id';
import { connectionOf } from './lib/raw-sqlite';
import type { ColumnDefinition } from '../src/shared/system/tables';

const COLUMNS: ColumnDefinition[] = [
  { name: 'id', type: 'integer', nullable: false, primary_key: true },
  { name: 'n', type: 'integer', nullable: false, primary_key: false },
  { name: 'body', type: 'text', nullable: false, primary_key: false },
  { name: 'at', type: 'timestamp', nullable: false, primary_key: false },
];
const T0 = 1_767_225_600_000;
/** ~100 bytes of text that varies per row. */
const body = (i: number) => `row ${i}: ${'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(2).slice(0, 80)} #${(i * 2654435761) % 1e9}`;
const rowOf = (i: number) => ({ id: i, n: (i * 7919) % 100_000, body: body(i), at: T0 + i * 1000 });

let cpuStart = process.cpuUsage();

function startTiming(): number {
  cpuStart = process.cpuUsage();
  return performance.now();
}

function report(seconds: number, rows: number, bytes: number): void {
  const cpu = process.cpuUsage(cpuStart);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, bytes, maxRssMb })}\n`);
}

async function main(mode: string, dir: string, rows: number): Promise<void> {
  if (mode === 'seed') {
    const engine = Engine.openDataDir(dir);
    engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'bench' });
    engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'bench', name: 'rows', type: 'shared', access_level: 'public', columns: COLUMNS });
    const store = engine.data.shared(TableIdKey.parse('bench.rows'));
    for (let start = 0; start < rows; start += 10_000) {
      store.insertRows(
        SYSTEM_SUBJECT,
        Array.from({ length: Math.min(10_000, rows - start) }, (_, j) => rowOf(start + j)),
      );
    }
    connectionOf(engine.backend).pragma('wal_checkpoint(TRUNCATE)');
    engine.close();
    report(0, rows, 0);
    return;
  }
  if (mode === 'flush') {
    // The worker times the flush itself (engine opened, as the other modes exclude their set-up);
    // CPU time and peak RSS are the process's, so they count the worker. The main thread only waits.
    const worker = new Worker(new URL(import.meta.url), { workerData: { dir }, resourceLimits: JOB_WORKER_RESOURCE_LIMITS });
    const result = await new Promise<{ rows: number; bytes: number; seconds: number; cpu: NodeJS.CpuUsage }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    if (result.rows !== rows) throw new Error(`flushed ${result.rows} rows, expected ${rows}`);
    cpuStart = result.cpu;
    report(result.seconds, result.rows, result.bytes);
    return;
  }
  if (mode === 'writer') {
    // The same rows, already in memory as the writer's column arrays (what it is handed at best).
    await ensureZstd();
    const columns = {
      id: new Array<bigint>(rows),
      n: new Array<bigint>(rows),
      body: new Array<string>(rows),
      at: new Array<bigint>(rows),
      _seq: new Array<bigint>(rows),
      _deleted: new Array<boolean>(rows),
    };
    for (let i = 0; i < rows; i++) {
      const r = rowOf(i);
      columns.id[i] = BigInt(r.id);
      columns.n[i] = BigInt(r.n);
      columns.body[i] = r.body;
      columns.at[i] = BigInt(r.at);
      columns._seq[i] = BigInt(i + 1);
      columns._deleted[i] = false;
    }
    const path = join(dir, 'baseline.parquet');
    const fd = openSync(path, 'w');
    const sink = new ByteWriter();
    const drain = () => {
      writeSync(fd, new Uint8Array(sink.buffer, 0, sink.index));
      sink.index = 0;
    };
    Object.assign(sink, { flush: drain, finish: () => (drain(), fsyncSync(fd)) });
    const started = startTiming();
    const writer = new ParquetWriter({
      writer: sink,
      schema: segmentSchema(COLUMNS, false) as ConstructorParameters<typeof ParquetWriter>[0]['schema'],
      codec: 'ZSTD',
      compressors: { ZSTD: (b: Uint8Array) => compress(b, 3) },
      statistics: true,
    });
    await writer.write({ columnData: Object.entries(columns).map(([name, data]) => ({ name, data })), rowGroupSize: FLUSH_ROW_GROUP });
    await writer.finish();
    closeSync(fd);
    const seconds = (performance.now() - started) / 1000;
    report(seconds, rows, statSync(path).size);
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

/** The flush, as a job worker runs it: its own engine (SQLite connection) in a worker thread. */
async function flushInWorker(dir: string): Promise<void> {
  const engine = Engine.openDataDir(dir);
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await runFlush(engine, { table: 'bench.rows' }, { signal: new AbortController().signal, report: () => {} });
    const seconds = (performance.now() - started) / 1000;
    parentPort!.postMessage({ rows: result.rows, bytes: result.bytes, seconds, cpu });
  } finally {
    engine.close();
  }
}

const done = isMainThread ? main(process.argv[2]!, process.argv[3]!, Number(process.argv[4])) : flushInWorker((workerData as { dir: string }).dir);
done.catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
