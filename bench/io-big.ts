/**
 * Import of a 1 GiB CSV file (issue 15: "peak RSS under 300 MB for a 1 GB file"; 20 MB with
 * --quick). The file holds the io suite's 8 columns (bench/io-dataset.ts), written as our export
 * writes them (toCsvField and the one CSV field writer), about 7.5 million rows. Each run is
 * bench/io-child.ts's `import-csv` step in its own process, into an empty table of a fresh data
 * directory: the import job in a worker thread with a job worker's heap limits, as in the app.
 *
 * One run by default (it takes minutes); `--pairs N` runs N. Figures: the peak RSS of the
 * importing process (max over runs) and the throughput (median), each against the budget.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsvField } from '../src/main/engine/io/values';
import { csvFieldWriter } from '../src/shared/csv-field';
import { COLUMNS, IMPORT_RATE_BUDGET, rowOf, RSS_BUDGET_MB } from './io-dataset';
import { type ChildRun, runChild } from './lib/child-run';
import { type Figure, summaryFigure } from './lib/figures';
import type { BenchContext } from './lib/suite';
import { getClock } from './lib/timing';

const CHILD = join(import.meta.dirname, 'io-child.ts');
const FILE_BYTES = 2 ** 30;
const QUICK_FILE_BYTES = 20e6;

/** Writes rows 1, 2, … as CSV until the file holds at least `bytes`; returns the rows written. */
function writeCsv(file: string, bytes: number): number {
  const field = csvFieldWriter(',');
  const fd = openSync(file, 'w');
  try {
    let text = `${COLUMNS.map((c) => field(c.name)).join(',')}\r\n`;
    let written = 0;
    let rows = 0;
    while (written + text.length < bytes) {
      const row = rowOf(++rows) as Record<string, unknown>;
      text += `${COLUMNS.map((c) => field(toCsvField(c.type, row[c.name]))).join(',')}\r\n`;
      if (text.length >= 1 << 20) {
        written += writeSync(fd, text);
        text = '';
      }
    }
    writeSync(fd, text);
    return rows;
  } finally {
    closeSync(fd);
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  await Promise.resolve();
  const runs = ctx.pairs ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-io-big-'));
  try {
    const work = join(dir, 'work');
    const out = join(dir, 'out');
    mkdirSync(out);
    const file = join(out, 'src.csv');
    const target = ctx.quick ? QUICK_FILE_BYTES : FILE_BYTES;
    ctx.log(`io-big: writing a ${(target / 2 ** 20).toFixed(0)} MiB CSV`);
    const rows = writeCsv(file, target);
    const child = (step: 'seed' | 'import-csv', n: number) => runChild(CHILD, [step, work, out, String(n)]);
    const results: ChildRun[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      // A data directory with the bench namespace (the seed step's one-row table); the import creates bench.dst.
      child('seed', 1);
      ctx.log(`io-big: import run ${i + 1} of ${runs}, ${rows.toLocaleString('en-US')} rows`);
      results.push(child('import-csv', rows));
    }
    const cpu = getClock() === 'cpu';
    const mb = (results[0]!.bytes / 2 ** 20).toFixed(0);
    const perRun = results.map((r) => `${r.seconds.toFixed(1)}/${r.cpuSeconds.toFixed(1)}`).join(', ');
    const label = `${mb} MiB CSV, ${rows.toLocaleString('en-US')} rows`;
    return [
      summaryFigure({
        name: `import of a ${label}: peak RSS`,
        unit: 'MB',
        better: 'lower',
        statistic: 'max',
        samples: results.map((r) => r.maxRssMb),
        reference: { budget: RSS_BUDGET_MB },
        target: 1.0,
        note: `max resident set of the importing process (the import job in a worker with a job worker's heap limits; reading, spool and one write transaction), ${runs} run(s); s wall/CPU per run: ${perRun}`,
      }),
      summaryFigure({
        name: `import of a ${label}: throughput`,
        unit: 'rows/s',
        better: 'higher',
        statistic: 'median',
        samples: results.map((r) => rows / (cpu ? r.cpuSeconds : r.seconds)),
        reference: { budget: IMPORT_RATE_BUDGET },
        target: 1.0,
        note: `${runs} run(s), ${cpu ? 'CPU time of the process (every thread)' : 'wall clock'}; s wall/CPU per run: ${perRun}`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
