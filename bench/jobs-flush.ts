/**
 * Flush of N shared-table rows (1,000,000; 50,000 with --quick) to Parquet: rows/s and peak RSS of
 * the flushing process, against hyparquet-writer alone writing the same rows (same schema, zstd,
 * row groups and statistics) from column arrays already in memory. Each side runs in its own
 * process (bench/jobs-flush-child.ts) so peak RSS is its own; the table is seeded by a third. The
 * flush runs in a worker thread with a job worker's heap limits (JOB_WORKER_RESOURCE_LIMITS), as
 * in the app; no V8 flags are added.
 *
 * Statistic: PAIRS pairs of runs (each flush on a fresh copy of the seeded table), the two sides
 * back to back in alternating order, so drift on a shared machine hits both alike; the ratio is
 * the median of the per-pair ratios (the ratio of the medians is given beside it), the rates are
 * the medians, and every sample is printed in the note.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout } from '../src/main/engine/engine';
import { type JudgedFigure, round } from './lib/figures';
import type { BenchContext } from './lib/suite';
import { getClock, median } from './lib/timing';

const CHILD = join(import.meta.dirname, 'jobs-flush-child.ts');
const RSS_BUDGET_MB = 400;
const PAIRS = 5;

interface ChildRun {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  bytes: number;
  maxRssMb: number;
}

/**
 * The baseline writer runs with 16 MB semi-spaces: holding every row live, it spends less CPU that
 * way than with V8's default young generation (~5 s against ~6.7 s for 1,000,000 rows), so the
 * baseline is its best. The flush gets no flags: its worker has a job worker's own limits.
 */
const WRITER_V8_FLAGS = ['--max-semi-space-size=16'];

function child(mode: string, dir: string, rows: number): ChildRun {
  const flags = mode === 'writer' ? WRITER_V8_FLAGS : [];
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', CHILD, mode, dir, String(rows)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildRun;
}

export async function run(ctx: BenchContext): Promise<JudgedFigure[]> {
  await Promise.resolve();
  const rows = ctx.quick ? 50_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-flush-'));
  try {
    // The seeded database is kept aside and put back before each flush. It stays at one path: the
    // default storage records its absolute folder, so a copy elsewhere would flush into the original's.
    const work = join(dir, 'work');
    const database = dataDirLayout(work).databasePath;
    const seeded = join(dir, 'seeded.sqlite');
    ctx.log(`jobs: seeding ${rows.toLocaleString('en-US')} shared-table rows`);
    child('seed', work, rows);
    copyFileSync(database, seeded);
    // Timed by the bench clock: wall time, or process CPU time with --clock cpu (steadier on a shared machine).
    const cpu = getClock() === 'cpu';
    const time = (r: ChildRun) => (cpu ? r.cpuSeconds : r.seconds);
    const pairs = ctx.quick ? 1 : PAIRS;
    const flushes: ChildRun[] = [];
    const writers: ChildRun[] = [];
    const runFlush = () => {
      for (const leftover of [dataDirLayout(work).storageDirectory, `${database}-wal`, `${database}-shm`]) rmSync(leftover, { recursive: true, force: true });
      copyFileSync(seeded, database);
      flushes.push(child('flush', work, rows));
    };
    const runWriter = () => writers.push(child('writer', work, rows));
    for (let i = 0; i < pairs; i++) {
      ctx.log(`jobs: flush and baseline writer, pair ${i + 1} of ${pairs}`);
      if (i % 2 === 0) {
        runFlush();
        runWriter();
      } else {
        runWriter();
        runFlush();
      }
    }
    const label = rows.toLocaleString('en-US');
    const ratios = flushes.map((f, i) => time(f) / time(writers[i]!));
    const flushSeconds = median(flushes.map(time));
    const writerSeconds = median(writers.map(time));
    const seconds = (runs: ChildRun[]) => runs.map((r) => `${r.seconds.toFixed(2)}/${r.cpuSeconds.toFixed(2)}`).join(' ');
    const peakRss = Math.max(...flushes.map((f) => f.maxRssMb));
    const flush = flushes[0]!;
    const writer = writers[0]!;
    return [
      {
        name: `flush ${label} shared-table rows`,
        value: Math.round(rows / flushSeconds),
        unit: 'rows/s',
        baseline: Math.round(rows / writerSeconds),
        ratio: round(median(ratios), 3),
        target: 2.0,
        note:
          `median of ${pairs} per-pair ratios (${getClock()} clock; ratio of medians ${(flushSeconds / writerSeconds).toFixed(3)}); whole flush job (keyset scan of the hot rows, ` +
          `Parquet zstd in ${Math.ceil(rows / 16_384)} row groups, fsync, manifest, hot-row eviction), ${(flush.bytes / 1e6).toFixed(1)} MB; baseline: hyparquet-writer alone ` +
          `from in-memory columns, ${(writer.bytes / 1e6).toFixed(1)} MB. Samples, wall/CPU seconds: flush ${seconds(flushes)}; writer ${seconds(writers)}; ` +
          `per-pair ratios ${ratios.map((r) => r.toFixed(3)).join(' ')}`,
      },
      {
        name: `flush ${label} rows: peak RSS`,
        value: round(peakRss, 1),
        unit: 'MB',
        baseline: RSS_BUDGET_MB,
        ratio: round(peakRss / RSS_BUDGET_MB, 3),
        target: 1.0,
        note: `highest max resident set of the flushing process over the ${pairs} runs (budget ${RSS_BUDGET_MB} MB); samples ${flushes.map((f) => f.maxRssMb.toFixed(0)).join(' ')} MB; the baseline writer holding all rows in memory peaked at ${Math.max(...writers.map((w) => w.maxRssMb)).toFixed(0)} MB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
