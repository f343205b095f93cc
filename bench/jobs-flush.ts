/**
 * Flush of N shared-table rows (1,000,000; 50,000 with --quick) to Parquet: rows/s and peak RSS of
 * the flushing process, against hyparquet-writer alone writing the same rows (same schema, zstd,
 * row groups and statistics) from column arrays already in memory. Each side runs in its own
 * process (bench/jobs-flush-child.ts) so peak RSS is its own; the table is seeded by a third. The
 * flush runs in a worker thread with a job worker's heap limits (JOB_WORKER_RESOURCE_LIMITS), as
 * in the app; no V8 flags are added. Both sides run PAIRS times, in alternating order within each
 * pair (each flush on a fresh copy of the seeded table), and the figure is paired (pairedFigure): on
 * a shared machine the speed drifts by a third from minute to minute, and a single pair of runs
 * mostly measured that drift.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout } from '../src/main/engine/engine';
import { type ChildRun, runChild } from './lib/child-run';
import { type Figure, pairedFigure, summaryFigure } from './lib/figures';
import type { BenchContext } from './lib/suite';
import { getClock } from './lib/timing';

const CHILD = join(import.meta.dirname, 'jobs-flush-child.ts');
const RSS_BUDGET_MB = 400;
const PAIRS = 5;

/**
 * The baseline writer runs with 16 MB semi-spaces: holding every row live, it spends less CPU that
 * way than with V8's default young generation (~5 s against ~6.7 s for 1,000,000 rows), so the
 * baseline is its best. The flush gets no flags: its worker has a job worker's own limits.
 */
const WRITER_V8_FLAGS = ['--max-semi-space-size=16'];

function child(mode: string, dir: string, rows: number): ChildRun {
  return runChild(CHILD, [mode, dir, String(rows)], mode === 'writer' ? WRITER_V8_FLAGS : []);
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
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
    const seconds = (rs: ChildRun[]) => rs.map((r) => `${r.seconds.toFixed(1)}/${r.cpuSeconds.toFixed(1)}`).join(', ');
    return [
      pairedFigure({
        name: `flush ${label} shared-table rows`,
        unit: 'rows/s',
        better: 'higher',
        ours: flushes.map((r) => rows / time(r)),
        baseline: writers.map((r) => rows / time(r)),
        target: 2.0,
        note: `${pairs} alternating pairs; whole flush job (keyset scan of the hot rows, Parquet zstd in ${Math.ceil(rows / 16_384)} row groups, fsync, manifest, hot-row eviction), s wall/CPU per run: ${seconds(flushes)}, ${(flushes[0]!.bytes / 1e6).toFixed(1)} MB; baseline: hyparquet-writer alone from in-memory columns: ${seconds(writers)}, ${(writers[0]!.bytes / 1e6).toFixed(1)} MB`,
      }),
      summaryFigure({
        name: `flush ${label} rows: peak RSS`,
        unit: 'MB',
        better: 'lower',
        statistic: 'max',
        samples: flushes.map((r) => r.maxRssMb),
        reference: { budget: RSS_BUDGET_MB },
        target: 1.0,
        note: `highest max resident set of the flushing process over the runs (budget ${RSS_BUDGET_MB} MB); the baseline writer holding all rows in memory peaked at ${Math.max(...writers.map((r) => r.maxRssMb)).toFixed(0)} MB`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
