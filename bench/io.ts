/**
 * Import and export (issue 15) on a shared table of N rows (1,000,000; 50,000 with --quick) and 8
 * columns (integers, doubles, text, a timestamp, nulls). Each run is its own process
 * (bench/io-child.ts), so its peak RSS is its own, on a fresh copy of the seeded database; the jobs
 * run in a worker thread with a job worker's heap limits, as in the app.
 *
 *  - import CSV (our import job of the exported CSV into an empty table) vs the engine's insertRows
 *    of the same rows, already parsed, in one transaction: paired, ≤ 1.5; and ≥ 150,000 rows/s;
 *  - export CSV and JSONL: ≥ 300,000 rows/s each;
 *  - export CSV of a query's result (SELECT * FROM the table) vs the table's export: paired, reported;
 *  - export Parquet vs the flush job's Parquet writer on the same hot rows: paired, ≤ 1.3;
 *  - peak RSS of the import and of the exports: under 300 MB.
 *
 * Every run of a pair set goes: export CSV, export JSONL, then the two pairs, each in alternating
 * order (ours first in even sets, the baseline first in odd ones), so drift on a shared machine hits
 * both sides alike.
 *
 * BENCH_IO_BEFORE=<git ref> also runs that commit's own bench/io-child.ts (its sources from
 * bench/app/earlier.ts) beside ours for the CSV, JSONL and Parquet exports and the CSV import, in
 * alternating order, and reports each as a paired figure "this tree vs <ref>" (no target).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout } from '../src/main/engine/engine';
import { IMPORT_RATE_BUDGET, RSS_BUDGET_MB } from './io-dataset';
import { type ChildRun, runChild } from './lib/child-run';
import { type Figure, pairedFigure, summaryFigure } from './lib/figures';
import type { BenchContext } from './lib/suite';
import { getClock } from './lib/timing';
import { earlierTree } from './app/earlier';

const CHILD = join(import.meta.dirname, 'io-child.ts');
const PAIRS = 3;
const EXPORT_RATE_BUDGET = 300_000;

type Step = 'export-csv' | 'export-sql-csv' | 'export-jsonl' | 'export-parquet' | 'flush' | 'import-csv' | 'insert-many';
/** The steps an earlier commit runs beside ours under BENCH_IO_BEFORE. */
const BEFORE_STEPS = ['export-csv', 'export-jsonl', 'export-parquet', 'import-csv'] as const;
type BeforeStep = (typeof BEFORE_STEPS)[number];

export async function run(ctx: BenchContext): Promise<Figure[]> {
  await Promise.resolve();
  const rows = ctx.quick ? 50_000 : 1_000_000;
  const pairs = ctx.pairs ?? (ctx.quick ? 1 : PAIRS);
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-io-'));
  try {
    // The seeded database is kept aside and put back before each run, at one path: the default
    // storage records its absolute folder.
    const work = join(dir, 'work');
    const out = join(dir, 'out');
    mkdirSync(out);
    const seeded = join(dir, 'seeded.sqlite');
    const beforeRef = process.env['BENCH_IO_BEFORE'];
    const before = beforeRef ? earlierTree(beforeRef, (m) => ctx.log(m)) : undefined;
    const child = (step: Step | 'seed', script = CHILD) => runChild(script, [step, work, out, String(rows)]);
    ctx.log(`io: seeding ${rows.toLocaleString('en-US')} rows of 8 columns`);
    child('seed');
    copyFileSync(dataDirLayout(work).databasePath, seeded);

    const runs = new Map<Step | `before:${BeforeStep}`, ChildRun[]>();
    const measure = (step: Step, earlier = false) => {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      copyFileSync(seeded, dataDirLayout(work).databasePath);
      const r = earlier ? child(step, join(before!.root, 'bench', 'io-child.ts')) : child(step);
      const key = earlier ? (`before:${step}` as `before:${BeforeStep}`) : step;
      runs.set(key, [...(runs.get(key) ?? []), r]);
    };
    /** Ours, then the earlier commit's run of the same step (in odd sets the other way round). */
    const withBefore = (step: BeforeStep, i: number) => {
      if (!before) return measure(step);
      for (const earlier of i % 2 === 0 ? [false, true] : [true, false]) measure(step, earlier);
    };
    for (let i = 0; i < pairs; i++) {
      ctx.log(`io: pair set ${i + 1} of ${pairs}`);
      // The CSV exports come first: the import reads the table's file.
      const [e, f] = i % 2 === 0 ? (['export-csv', 'export-sql-csv'] as const) : (['export-sql-csv', 'export-csv'] as const);
      if (e === 'export-csv') withBefore(e, i);
      else measure(e);
      if (f === 'export-csv') withBefore(f, i);
      else measure(f);
      withBefore('export-jsonl', i);
      const [a, b] = i % 2 === 0 ? (['export-parquet', 'flush'] as const) : (['flush', 'export-parquet'] as const);
      if (a === 'export-parquet') withBefore(a, i);
      else measure(a);
      if (b === 'export-parquet') withBefore(b, i);
      else measure(b);
      const [c, d] = i % 2 === 0 ? (['import-csv', 'insert-many'] as const) : (['insert-many', 'import-csv'] as const);
      if (c === 'import-csv') withBefore(c, i);
      else measure(c);
      if (d === 'import-csv') withBefore(d, i);
      else measure(d);
    }

    // Timed by the bench clock: wall time, or process CPU time with --clock cpu.
    const cpu = getClock() === 'cpu';
    const of = (step: Step | `before:${BeforeStep}`) => runs.get(step)!;
    const rates = (step: Step | `before:${BeforeStep}`) => of(step).map((r) => rows / (cpu ? r.cpuSeconds : r.seconds));
    const seconds = (step: Step | `before:${BeforeStep}`) =>
      of(step)
        .map((r) => `${r.seconds.toFixed(1)}/${r.cpuSeconds.toFixed(1)}`)
        .join(', ');
    const mb = (step: Step) => (of(step)[0]!.bytes / 1e6).toFixed(1);
    const label = rows.toLocaleString('en-US');
    const exportRss = [...of('export-csv'), ...of('export-sql-csv'), ...of('export-jsonl'), ...of('export-parquet')].map((r) => r.maxRssMb);
    const beforeFigures = before
      ? BEFORE_STEPS.map((step) =>
          pairedFigure({
            name: `${step}, ${label} rows: this tree vs ${beforeRef!}`,
            unit: 'rows/s',
            better: 'higher',
            ours: rates(step),
            baseline: rates(`before:${step}`),
            note:
              `${pairs} alternating pairs, reported (before and after); baseline: bench/io-child.ts of ${before.sha.slice(0, 12)}, s wall/CPU per run: ${seconds(`before:${step}`)}, ` +
              `peak RSS ${of(`before:${step}`)
                .map((r) => r.maxRssMb.toFixed(0))
                .join(', ')} MB; ours: ${seconds(step)}, peak RSS ${of(step)
                .map((r) => r.maxRssMb.toFixed(0))
                .join(', ')} MB`,
          }),
        )
      : [];
    return [
      ...beforeFigures,
      pairedFigure({
        name: `import CSV, ${label} rows vs insertRows of the parsed rows`,
        unit: 'rows/s',
        better: 'higher',
        ours: rates('import-csv'),
        baseline: rates('insert-many'),
        target: 1.5,
        note:
          `${pairs} alternating pairs; ours: the import job (csv-parse of the file's bytes with cast and info for NULL vs "" and line numbers, per-row conversion, ` +
          `validation once into a spool of RowIds and JSON, one transaction of insertSpooled batches, audit entry) ` +
          `of a ${mb('import-csv')} MB CSV into an empty table, s wall/CPU per run: ${seconds('import-csv')}; ` +
          `baseline: the same rows built in memory, one insertRows (validated; one bulk write of multi-row INSERTs): ${seconds('insert-many')}`,
      }),
      summaryFigure({
        name: `import CSV, ${label} rows: throughput`,
        unit: 'rows/s',
        better: 'higher',
        statistic: 'median',
        samples: rates('import-csv'),
        reference: { budget: IMPORT_RATE_BUDGET },
        target: 1.0,
        note: `the import runs of the paired figure against the issue's ${IMPORT_RATE_BUDGET.toLocaleString('en-US')} rows/s`,
      }),
      summaryFigure({
        name: `export CSV, ${label} rows: throughput`,
        unit: 'rows/s',
        better: 'higher',
        statistic: 'median',
        samples: rates('export-csv'),
        reference: { budget: EXPORT_RATE_BUDGET },
        target: 1.0,
        note: `the export job (merged scan of the hot rows read as text a batch at a time, CSV text written per batch, temp file, fsync, rename), ${mb('export-csv')} MB, s wall/CPU per run: ${seconds('export-csv')}`,
      }),
      pairedFigure({
        name: `export CSV of a query's result (SELECT * FROM the table), ${label} rows vs the table's export`,
        unit: 'rows/s',
        better: 'higher',
        ours: rates('export-sql-csv'),
        baseline: rates('export-csv'),
        note:
          `${pairs} alternating pairs, reported (no target in the issue); ours: the export job of a SQL source (the console's query connection, ` +
          `virtual table over the merged scan, pages of 1,000 cells), s wall/CPU per run: ${seconds('export-sql-csv')}; baseline: the table's export: ${seconds('export-csv')}`,
      }),
      summaryFigure({
        name: `export JSON Lines, ${label} rows: throughput`,
        unit: 'rows/s',
        better: 'higher',
        statistic: 'median',
        samples: rates('export-jsonl'),
        reference: { budget: EXPORT_RATE_BUDGET },
        target: 1.0,
        note: `the export job, ${mb('export-jsonl')} MB, s wall/CPU per run: ${seconds('export-jsonl')}`,
      }),
      pairedFigure({
        name: `export Parquet, ${label} rows vs the flush's Parquet writer`,
        unit: 'rows/s',
        better: 'higher',
        ours: rates('export-parquet'),
        baseline: rates('flush'),
        target: 1.3,
        note:
          `${pairs} alternating pairs; ours: the export job (zstd, statistics; the flush's segment writer), ${mb('export-parquet')} MB, s wall/CPU per run: ${seconds('export-parquet')}; ` +
          `baseline: the flush job of the same hot rows (scan, Parquet, fsync, manifest, eviction), ${mb('flush')} MB: ${seconds('flush')}`,
      }),
      summaryFigure({
        name: `import CSV, ${label} rows: peak RSS`,
        unit: 'MB',
        better: 'lower',
        statistic: 'max',
        samples: of('import-csv').map((r) => r.maxRssMb),
        reference: { budget: RSS_BUDGET_MB },
        target: 1.0,
        note: `highest max resident set of the importing process (a ${mb('import-csv')} MB file; the issue names a 1 GB one); the insertRows baseline, holding every row, peaked at ${Math.max(...of('insert-many').map((r) => r.maxRssMb)).toFixed(0)} MB`,
      }),
      summaryFigure({
        name: `export CSV (table and query), JSONL and Parquet, ${label} rows: peak RSS`,
        unit: 'MB',
        better: 'lower',
        statistic: 'max',
        samples: exportRss,
        reference: { budget: RSS_BUDGET_MB },
        target: 1.0,
        note: `highest max resident set of the exporting process; samples in the order CSV ×${pairs}, query CSV ×${pairs}, JSONL ×${pairs}, Parquet ×${pairs}; the flush peaked at ${Math.max(...of('flush').map((r) => r.maxRssMb)).toFixed(0)} MB`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
