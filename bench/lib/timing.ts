/** Timing helpers shared by the bench suites. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Clock = 'wall' | 'cpu';

let clock: Clock = 'wall';

/**
 * wall (default): elapsed time. cpu: this process's user + system CPU time, which is far less
 * disturbed by other processes on a busy machine (but misses time spent waiting for I/O).
 */
export function setClock(c: Clock): void {
  clock = c;
}

export function getClock(): Clock {
  return clock;
}

/** Current time on the selected clock, in nanoseconds. */
export function nowNs(): bigint {
  if (clock === 'cpu') {
    const u = process.cpuUsage();
    return BigInt(u.user + u.system) * 1000n;
  }
  return process.hrtime.bigint();
}

/**
 * A full collection, available without --expose-gc (the flag is set at runtime and `gc` fetched
 * from a fresh context). Called before every timed run, so one run's garbage is not billed to the
 * next and the run's inputs (built just before) are already promoted instead of being copied
 * by scavenges inside the timed loop.
 */
const gc: () => void = (() => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export function collectGarbage(): void {
  gc();
  gc();
}

/**
 * Times one run. `fn` performs `ops` operations (it may return the count it actually did).
 * Returns operations per second.
 */
export function opsPerSecond(ops: number, fn: () => number | void): number {
  collectGarbage();
  const start = nowNs();
  const done = fn();
  const ns = Number(nowNs() - start);
  const n = typeof done === 'number' ? done : ops;
  return n / (ns / 1e9);
}

export interface PairRun {
  /** One timed run of our side; `run` is 0, 1, 2, … so each run can use fresh keys. Returns its sample (e.g. ops/s). */
  ours(run: number): number;
  /** One timed run of the baseline. Returns its sample in the same unit. */
  raw(run: number): number;
}

/** Samples of a paired comparison, in run order: pair i is ours[i] and raw[i], timed back to back. */
export interface PairSamples {
  readonly ours: readonly number[];
  readonly raw: readonly number[];
}

/**
 * `runs` pairs, strictly alternating (ours, raw, ours, raw, …) so every run follows a run of the
 * other side: the second of two back-to-back runs of one side found its caches warm (in a 100k-row
 * putMany it was up to a fifth faster), and an "ours, raw, raw, ours" order gave that edge to
 * whichever side the pair count favoured. pairedFigure (figures.ts) makes the figure: medians, and
 * both the median of the pairs' own ratios and the ratio of the medians. Callers warm up ours, then raw.
 */
export function comparePair(pair: PairRun, runs: number): PairSamples {
  const ours: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < runs; r++) {
    ours.push(pair.ours(r));
    raw.push(pair.raw(r));
  }
  return { ours, raw };
}

/** Deterministic PRNG (mulberry32), so both sides and every run see reproducible key sequences. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given PRNG. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
