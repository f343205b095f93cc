/**
 * Jobs suite: figures of the job system and its bodies, written to bench/results/jobs.json.
 * Each part lives in its own bench/jobs-*.ts module and is listed in PARTS; a part returns its
 * figures and cleans up after itself.
 */
import type { Figure } from './lib/figures';
import type { BenchContext } from './lib/suite';

interface Part {
  readonly name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

const PARTS: readonly Part[] = [
  { name: 'job progress latency', run: async (ctx) => (await import('./jobs-progress')).run(ctx) },
  { name: 'flush', run: async (ctx) => (await import('./jobs-flush')).run(ctx) },
  { name: 'backup and restore', run: async (ctx) => (await import('./jobs-backup')).run(ctx) },
];

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const part of PARTS) {
    ctx.log(`jobs: ${part.name}`);
    figures.push(...(await part.run(ctx)));
  }
  return figures;
}
