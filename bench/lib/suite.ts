import type { Figure } from './figures';

/** What every suite gets from bench/run.ts. */
export interface BenchContext {
  /** Scale the workload down for a smoke run (`--quick` or BENCH_QUICK=1). */
  readonly quick: boolean;
  /** Alternating pairs per paired figure, when `--pairs` overrides the suite's own count (more on a noisy machine). */
  readonly pairs?: number;
  /** bench/results, where each suite's JSON goes. */
  readonly resultsDir: string;
  /** Progress output (stderr), so stdout keeps the tables. */
  log(message: string): void;
}

/**
 * A suite: `bench/<name>.ts` exporting a run function, registered in bench/run.ts.
 * It writes nothing itself; run.ts prints the table and writes bench/results/<name>.json.
 */
export interface Suite {
  readonly name: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<Figure[]> | Figure[];
}
