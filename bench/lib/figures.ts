import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { median, percentile } from './stats';
import { type Clock, getClock } from './timing';

/**
 * How a figure's value (or its baseline) summarises its samples:
 * - `median`: the middle sample (the mean of the two middle ones for an even count);
 * - `p50`, `p99`: nearest-rank percentiles;
 * - `best`: the fastest sample (highest rate or lowest time);
 * - `max`: the largest sample (peak memory, longest task);
 * - `count`: how many samples there are (each sample is one occurrence, e.g. one long task);
 * - `single run`: the one sample there is;
 * - `budget`: not measured: the figure's budget, which ratio compares against.
 */
export type Statistic = 'median' | 'p50' | 'p99' | 'best' | 'max' | 'count' | 'single run' | 'budget';

/**
 * How `ratio` is computed. It always reads "our cost ÷ the baseline's": lower is better, 1.0 means
 * as fast as the baseline (or exactly at the budget).
 * - paired figures (ours and the baseline measured in alternating runs): the stricter (larger) of
 *   the median of the pairs' own ratios and the ratio of the two medians. Both are recorded.
 * - `value / baseline` for times, sizes and budgets; `baseline / value` for rates.
 */
export type RatioStatistic = 'max(median of pair ratios, ratio of medians)' | 'value / baseline' | 'baseline / value';

/** A figure's raw samples, in the figure's unit and in the order they were measured. */
export interface Samples {
  readonly value: readonly number[];
  readonly baseline?: readonly number[];
  /** Paired figures: each pair's own ratio (our cost ÷ the baseline's), pair i = value[i] and baseline[i]. */
  readonly pairRatios?: readonly number[];
}

/**
 * One benchmark figure as written to bench/results/<suite>.json, whose top level is
 * `{"figures": [Figure, ...]}` and nothing else. value = ours, baseline = the raw reference (or the
 * budget), ratio = our cost ÷ the baseline's (see RatioStatistic); baseline and ratio are left out
 * when there is no reference. The fields after `ratio` say how those numbers were obtained.
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  /** Highest acceptable ratio; absent for a figure that is only reported ("info"). */
  readonly target?: number;
  /** How value summarises samples.value (and baseline samples.baseline, unless baselineStatistic says otherwise). */
  readonly statistic: Statistic;
  readonly baselineStatistic?: Statistic;
  readonly ratioStatistic?: RatioStatistic;
  /** Paired figures: the two estimates of the ratio; `ratio` is the larger. */
  readonly medianOfPairRatios?: number;
  readonly ratioOfMedians?: number;
  readonly samples: Samples;
  /** The clock the samples were timed with (see timing.ts). */
  readonly clock: Clock;
  /** The machine's one-minute load average when the figure's runs ended; it includes the bench itself (about 1). */
  readonly loadAverage1m: number;
  /** What exactly each side does. */
  readonly note?: string;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Whole numbers from 1,000 up, four significant digits below: enough for any figure or sample here. */
function display(n: number): number {
  return Math.abs(n) >= 1000 ? Math.round(n) : Number(n.toPrecision(4));
}

type Better = 'higher' | 'lower';

interface Common {
  readonly name: string;
  readonly unit: string;
  /** Which way the unit improves: rates are better higher, times and sizes lower. */
  readonly better: Better;
  readonly target?: number;
  readonly note?: string;
  /** The clock the samples were timed with, when it is not the bench's (the app suite is always on the wall clock). */
  readonly clock?: Clock;
}

function summarize(statistic: Statistic, samples: readonly number[], better: Better): number {
  switch (statistic) {
    case 'median':
      return median(samples);
    case 'p50':
      return percentile(samples, 0.5);
    case 'p99':
      return percentile(samples, 0.99);
    case 'best':
      return better === 'higher' ? Math.max(...samples) : Math.min(...samples);
    case 'max':
      if (samples.length === 0) throw new Error('max of nothing');
      return Math.max(...samples);
    case 'count':
      return samples.length;
    case 'single run':
      if (samples.length !== 1) throw new Error(`a single run has one sample, got ${samples.length}`);
      return samples[0]!;
    case 'budget':
      throw new Error('a budget is not measured');
  }
}

/** Our cost ÷ the baseline's, from a value and a baseline in a unit that is `better` one way. */
const costRatio = (value: number, baseline: number, better: Better) => (better === 'higher' ? baseline / value : value / baseline);

function stamp(f: Common): Pick<Figure, 'clock' | 'loadAverage1m'> {
  return { clock: f.clock ?? getClock(), loadAverage1m: round(loadavg()[0]!, 2) };
}

/**
 * A paired figure: ours and the baseline measured in strictly alternating runs (see comparePair),
 * samples in the figure's unit, pair i = ours[i] and baseline[i]. value and baseline are the medians;
 * ratio is the stricter of the median of the pairs' own ratios (robust to the machine's speed
 * drifting between pairs) and the ratio of the medians (what value and baseline say).
 */
export function pairedFigure(f: Common & { readonly ours: readonly number[]; readonly baseline: readonly number[] }): Figure {
  if (f.ours.length === 0 || f.ours.length !== f.baseline.length)
    throw new Error(`${f.name}: pairs need as many samples of each side (${f.ours.length}, ${f.baseline.length})`);
  const value = median(f.ours);
  const baseline = median(f.baseline);
  const pairRatios = f.ours.map((x, i) => costRatio(x, f.baseline[i]!, f.better));
  const medianOfPairRatios = median(pairRatios);
  const ratioOfMedians = costRatio(value, baseline, f.better);
  return {
    name: f.name,
    value: display(value),
    unit: f.unit,
    baseline: display(baseline),
    ratio: round(Math.max(medianOfPairRatios, ratioOfMedians), 3),
    ...(f.target !== undefined ? { target: f.target } : {}),
    statistic: 'median',
    ratioStatistic: 'max(median of pair ratios, ratio of medians)',
    medianOfPairRatios: round(medianOfPairRatios, 3),
    ratioOfMedians: round(ratioOfMedians, 3),
    samples: { value: f.ours.map(display), baseline: f.baseline.map(display), pairRatios: pairRatios.map((r) => round(r, 3)) },
    ...stamp(f),
    ...(f.note !== undefined ? { note: f.note } : {}),
  };
}

/** What a summary figure is compared with: samples of a baseline (unpaired), or a budget. */
type Reference = { readonly statistic: Statistic; readonly samples: readonly number[] } | { readonly budget: number };

/**
 * A figure that summarises one side's samples with `statistic`, alone or against a reference.
 * `value` overrides the summary where the statistic of no samples has a meaning (no long task: 0 ms).
 */
export function summaryFigure(
  f: Common & { readonly statistic: Statistic; readonly samples: readonly number[]; readonly value?: number; readonly reference?: Reference },
): Figure {
  const value = f.value ?? summarize(f.statistic, f.samples, f.better);
  const ref = f.reference;
  const baseline = ref === undefined ? undefined : 'budget' in ref ? ref.budget : summarize(ref.statistic, ref.samples, f.better);
  const baselineStatistic = ref === undefined ? undefined : 'budget' in ref ? 'budget' : ref.statistic;
  return {
    name: f.name,
    value: display(value),
    unit: f.unit,
    ...(baseline !== undefined
      ? {
          baseline: display(baseline),
          ratio: round(costRatio(value, baseline, f.better), 3),
        }
      : {}),
    ...(f.target !== undefined ? { target: f.target } : {}),
    statistic: f.statistic,
    ...(baselineStatistic !== undefined && baselineStatistic !== f.statistic ? { baselineStatistic } : {}),
    ...(baseline !== undefined ? { ratioStatistic: f.better === 'higher' ? 'baseline / value' : 'value / baseline' } : {}),
    samples: {
      value: f.samples.map(display),
      ...(ref !== undefined && !('budget' in ref) ? { baseline: ref.samples.map(display) } : {}),
    },
    ...stamp(f),
    ...(f.note !== undefined ? { note: f.note } : {}),
  };
}

/** True if the figure is within its target (or has none: informational figures always pass). */
export function passes(f: Figure): boolean {
  if (f.target === undefined) return true;
  return f.ratio !== undefined && Number.isFinite(f.ratio) && f.ratio <= f.target;
}

export function isJudged(f: Figure): boolean {
  return f.target !== undefined;
}

/**
 * Writes `{"figures": [...]}` atomically (tmp file + rename). Arrays of numbers (the samples) stay
 * on one line each, so a results file reads, and diffs, one figure field per line.
 */
export function writeFigures(path: string, figures: readonly Figure[]): void {
  const json = JSON.stringify({ figures }, null, 2).replace(
    /\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g,
    (_, items: string) => `[${items.split(/,\s+/).join(', ')}]`,
  );
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${json}\n`);
  renameSync(tmp, path);
}

/** Whole numbers with separators; small values (latencies in ms) with three significant digits. */
function fmtNumber(n: number): string {
  if (n !== 0 && Math.abs(n) < 100 && !Number.isInteger(n)) return String(Number(n.toPrecision(3)));
  return Math.round(n).toLocaleString('en-US');
}

function fmtStatistic(f: Figure): string {
  const n = f.samples.value.length;
  if (f.statistic === 'single run' || f.statistic === 'count') return f.statistic;
  return `${f.statistic} of ${n}`;
}

/**
 * Plain-text table: name, ours, raw (or budget), the statistic, ratio, both ratio estimates of a
 * paired figure (median of pair ratios · ratio of medians), target, PASS/FAIL (info when not judged).
 */
export function formatTable(title: string, figures: readonly Figure[]): string {
  const header = ['figure', 'ours', 'raw', 'statistic', 'ratio', 'pairs · medians', 'target', ''];
  const rows = figures.map((f) => [
    f.name,
    `${fmtNumber(f.value)} ${f.unit}`,
    f.baseline === undefined ? '-' : `${fmtNumber(f.baseline)} ${f.baselineStatistic === 'budget' ? `${f.unit} budget` : f.unit}`,
    fmtStatistic(f),
    f.ratio === undefined ? '-' : f.ratio.toFixed(3),
    f.medianOfPairRatios === undefined || f.ratioOfMedians === undefined ? '-' : `${f.medianOfPairRatios.toFixed(3)} · ${f.ratioOfMedians.toFixed(3)}`,
    f.target === undefined ? '-' : `<= ${f.target.toFixed(2)}`,
    f.target === undefined ? 'info' : passes(f) ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.name}: ${f.note}`);
  if (notes.length) lines.push('', 'what each figure measures:', ...notes);
  return lines.join('\n');
}
