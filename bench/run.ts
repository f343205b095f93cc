/**
 * Benchmark runner: `npm run bench` (= `tsx bench/run.ts`).
 *
 *   npx tsx bench/run.ts                  every suite
 *   npx tsx bench/run.ts --only engine    one suite (comma-separate several: --only engine,app)
 *   npx tsx bench/run.ts --quick          smoke run with small N (or BENCH_QUICK=1)
 *   npx tsx bench/run.ts --clock cpu      time with process CPU time instead of wall time (or
 *                                         BENCH_CLOCK=cpu): steadier when other work shares the machine
 *   npx tsx bench/run.ts --pairs 12       alternating pairs per paired engine figure and tables scan
 *                                         (default 8): more when the machine is noisy
 *
 * Each suite prints a table and writes bench/results/<suite>.json as {"figures": [...]}: each figure
 * names its statistic and keeps its raw samples (see lib/figures.ts).
 * Benchmarks report; tests assert: the exit code is 0 even when a figure misses its target
 * (it is non-zero only when a suite crashes or the filter names an unknown suite).
 *
 * Adding a suite: create bench/<name>.ts exporting `run(ctx): Figure[]` and add an entry to SUITES.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, isJudged, passes, writeFigures } from './lib/figures';
import type { BenchContext, Suite } from './lib/suite';
import { availableParallelism, loadavg } from 'node:os';
import { type Clock, formatDuration, getClock, setClock } from './lib/timing';

const SUITES: readonly Suite[] = [
  {
    name: 'engine',
    title: 'Engine: our stores vs raw better-sqlite3 (same pragmas, table layout and value envelope)',
    run: async (ctx) => (await import('./engine')).run(ctx),
  },
  {
    name: 'tables',
    title: 'Tables: user-table bulk insert and one-user scans vs raw better-sqlite3 (same pragmas, layout and value bytes)',
    run: async (ctx) => (await import('./tables')).run(ctx),
  },
  {
    name: 'jobs',
    title: 'Jobs: flush, backup and restore throughput, and job progress latency',
    run: async (ctx) => (await import('./jobs')).run(ctx),
  },
  {
    name: 'sql',
    title: "SQL console: queries through the contract (point query vs rows.get, one user's rows, first page, aggregate, memory)",
    run: async (ctx) => (await import('./sql')).run(ctx),
  },
  {
    name: 'stats',
    title: 'Stats: storage statistics (the Overview) at 100k and 1M rows, against one count(*)',
    run: async (ctx) => (await import('./stats')).run(ctx),
  },
  {
    name: 'overview',
    title: 'Overview: the storage dashboard drawn in Chromium with 200 tables, 10,000 segments and 5,000 jobs (raw column = the budget)',
    run: async (ctx) => (await import('./overview')).run(ctx),
  },
  {
    name: 'app',
    title: 'App: web mode + real Chromium on a 1M-row audit_log (raw column = bare-HTTP baseline or the budget)',
    run: async (ctx) => (await import('./app')).run(ctx),
  },
  {
    name: 'datadirs',
    title: 'Data directories: opening another data directory of 1M rows to its Overview drawn, in Chromium (raw column = the budget)',
    run: async (ctx) => (await import('./datadirs')).run(ctx),
  },
  {
    name: 'io',
    title: 'Import and export: CSV, JSON Lines and Parquet of a 1M-row, 8-column table (raw column = insertRows, the flush, or the budget)',
    run: async (ctx) => (await import('./io')).run(ctx),
  },
  {
    name: 'io-big',
    title: "Import of a 1 GiB CSV file (about 7.5M rows of the io suite's 8 columns): peak RSS and throughput (raw column = the budget)",
    run: async (ctx) => (await import('./io-big')).run(ctx),
  },
];

interface Args {
  only: string[] | undefined;
  quick: boolean;
  clock: Clock;
  pairs: number | undefined;
}

function parseClock(value: string | undefined): Clock {
  if (value === 'wall' || value === 'cpu') return value;
  throw new Error(`--clock must be wall or cpu, got ${value ?? '(nothing)'}`);
}

function parsePairs(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--pairs must be a positive integer, got ${value ?? '(nothing)'}`);
  return n;
}

function parseArgs(argv: readonly string[]): Args {
  let only: string[] | undefined;
  let quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  let clock = process.env.BENCH_CLOCK ? parseClock(process.env.BENCH_CLOCK) : 'wall';
  let pairs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--pairs' || a.startsWith('--pairs=')) pairs = parsePairs(a === '--pairs' ? argv[++i] : a.slice('--pairs='.length));
    else if (a === '--clock' || a.startsWith('--clock=')) clock = parseClock(a === '--clock' ? argv[++i] : a.slice('--clock='.length));
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value) throw new Error('--only needs a suite name, e.g. --only engine');
      only = [
        ...(only ?? []),
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ];
    } else if (a === '--help' || a === '-h') {
      console.log(`usage: tsx bench/run.ts [--only ${SUITES.map((s) => s.name).join(',')}] [--quick] [--clock wall|cpu] [--pairs N]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return { only, quick, clock, pairs };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = (args.only ?? []).filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  setClock(args.clock);
  const selected = SUITES.filter((s) => !args.only || args.only.includes(s.name));
  const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
  const ctx: BenchContext = {
    quick: args.quick,
    resultsDir,
    log: (m) => console.error(`  · ${m}`),
    ...(args.pairs !== undefined ? { pairs: args.pairs } : {}),
  };
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.error(
    `bench: ${selected.map((s) => s.name).join(', ')}${args.quick ? ' (quick: scaled-down N, figures are only a smoke test)' : ''}; clock ${getClock()}; node ${process.version}`,
  );
  console.error(`load average at start: ${load()} on ${availableParallelism()} cores`);
  if (args.clock === 'wall' && loadavg()[0]! > availableParallelism() / 2) {
    console.error('WARNING: the machine is busy; wall-clock figures will be noisy. Re-run when it is idle, or use --clock cpu.');
  }

  let failed = 0;
  for (const suite of selected) {
    const start = performance.now();
    console.error(`\n[${suite.name}]`);
    const figures = await suite.run(ctx);
    // A quick run is a smoke test: keep it out of the real results file.
    const file = join(resultsDir, `${suite.name}${args.quick ? '.quick' : ''}.json`);
    writeFigures(file, figures);
    console.log(`\n${formatTable(`${suite.title}${args.quick ? ' [QUICK]' : ''}${args.clock === 'cpu' ? ' [CPU clock]' : ''}`, figures)}`);
    const judged = figures.filter(isJudged);
    console.log(`\n${suite.name}: ${judged.filter(passes).length}/${judged.length} within target, ${formatDuration(performance.now() - start)}, wrote ${file}`);
    failed += figures.filter((f) => !passes(f)).length;
    console.error(`load average after ${suite.name}: ${load()}`);
  }
  if (failed) console.log(`\n${failed} figure(s) missed their target (reported, not fatal).`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
