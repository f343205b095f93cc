/**
 * Storage statistics (stats.overview, what the Overview dashboard shows) on a shared table of N
 * rows, half flushed to Parquet and half hot, at 100k and 1M rows: collecting them reads no hot row
 * (the partitions' maintained counters and system.manifest), so its time stays flat as N grows.
 * The baseline is what one count(*) of the hot partition costs (SQLite walking its B-tree: what a
 * count-based statistic would pay per table), measured in the same run. Timed: the collection
 * itself (collectOverview, uncached: what follows every commit), and separately the dashboard's
 * call between commits (storageOverview, which keeps the collection until the content moves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedTable } from '../src/main/cli/seed';
import { Engine } from '../src/main/engine/engine';
import { runFlush } from '../src/main/engine/flush/flush-job';
import type { JobContext } from '../src/main/engine/jobs/job-context';
import { DatabaseSampler } from '../src/main/engine/stats/database-sampler';
import { collectOverview, storageOverview } from '../src/main/engine/stats/storage-overview';
import { tableId } from '../src/shared/keys/table-id';
import { type Figure, round, summaryFigure } from './lib/figures';
import { median } from './lib/stats';
import type { BenchContext } from './lib/suite';
import { nowNs } from './lib/timing';

const TABLE = 'bench.stats';
const RUNS = 15;

const quietJob = (): JobContext => ({ signal: new AbortController().signal, report: () => {} });

function timeMs(fn: () => unknown): number {
  const start = nowNs();
  fn();
  return Number(nowNs() - start) / 1e6;
}

interface Sample {
  readonly rows: number;
  readonly overviewMs: number[];
  readonly cachedMs: number[];
  readonly countMs: number[];
}

async function measure(rows: number, log: (m: string) => void): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-stats-'));
  const engine = Engine.openDataDir(join(dir, 'data'));
  try {
    log(`stats: seeding ${rows.toLocaleString('en-US')} rows (half flushed)`);
    await seedTable(engine, { table: TABLE, rows: rows / 2, users: undefined }, quietJob());
    await runFlush(engine, { table: TABLE }, quietJob());
    await seedTable(engine, { table: TABLE, rows: rows / 2, users: undefined }, quietJob());
    const sampler = new DatabaseSampler(engine.backend, engine.now, 0);
    const partition = engine.data.open(tableId('bench' as never, 'stats' as never)).partition;
    const overviewMs: number[] = [];
    const countMs: number[] = [];
    const cachedMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The collection itself, as after every commit (storageOverview caches it until the next one).
      overviewMs.push(timeMs(() => collectOverview(engine)));
      cachedMs.push(timeMs(() => storageOverview(engine, sampler)));
      // A bounded range: SQLite counts the B-tree (the maintained counter answers only whole partitions).
      countMs.push(timeMs(() => engine.backend.count(partition, { gte: new Uint8Array([0]) })));
    }
    const tiers = storageOverview(engine, sampler).tables.find((t) => t.table === TABLE)!;
    if (tiers.hot.rows + tiers.cold.rows !== rows) throw new Error(`expected ${rows} rows, the statistics say ${tiers.hot.rows} hot + ${tiers.cold.rows} cold`);
    return { rows, overviewMs, cachedMs, countMs };
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const sizes = ctx.quick ? [10_000, 100_000] : [100_000, 1_000_000];
  const samples: Sample[] = [];
  for (const rows of sizes) samples.push(await measure(rows, (m) => ctx.log(m)));
  const figures: Figure[] = samples.flatMap((s) => [
    summaryFigure({
      name: `stats.overview collected (uncached), ${s.rows.toLocaleString('en-US')} rows`,
      unit: 'ms',
      better: 'lower',
      statistic: 'median',
      samples: s.overviewMs,
      reference: { statistic: 'median', samples: s.countMs },
      note: 'collectOverview, as after every commit; baseline: one count(*) of the hot half, what the dashboard no longer runs',
    }),
    summaryFigure({
      name: `stats.overview between commits (cached), ${s.rows.toLocaleString('en-US')} rows`,
      unit: 'ms',
      better: 'lower',
      statistic: 'median',
      samples: s.cachedMs,
      note: 'storageOverview when nothing was committed since the last call: the change counters, the database sample, the job bars',
    }),
  ]);
  const [small, large] = samples;
  const flat = median(large!.overviewMs) / median(small!.overviewMs);
  figures.push(
    summaryFigure({
      name: `stats.overview collection flatness: median at ${large!.rows.toLocaleString('en-US')} rows ÷ at ${small!.rows.toLocaleString('en-US')}`,
      unit: 'x',
      better: 'lower',
      statistic: 'single run',
      samples: [flat],
      reference: { budget: 1 },
      target: 1.5,
      note: `the two uncached medians above; count(*) grows ${round(median(large!.countMs) / median(small!.countMs), 1)}× meanwhile`,
    }),
  );
  return figures;
}
