import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One benchmark figure as written to bench/results/<suite>.json. The file shape is fixed:
 * `{"figures": [Figure, ...]}` and nothing else at top level.
 *
 * value = our figure, baseline = the raw reference, ratio = our time per op / raw time per op
 * (= baseline / value for throughput units), so lower is better and 1.0 means "as fast as raw".
 * A figure judged against a budget instead (bench/app.ts) has baseline = the budget and
 * ratio = value / budget. baseline and ratio are left out when there is no reference.
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
}

/** A figure plus what it is judged against; only the Figure part is written to JSON. */
export interface JudgedFigure extends Figure {
  /** Highest acceptable ratio; undefined for a figure that is only reported (shown as "info"). */
  readonly target?: number;
  /** Free text shown after the table (e.g. what exactly each side does). */
  readonly note?: string | undefined;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * A throughput figure: value and baseline in ops/s (higher is better). `ratio` defaults to raw ÷
 * ours of the two rates, i.e. our time per operation ÷ raw's (lower is better).
 */
export function throughputFigure(
  name: string,
  oursOpsPerSec: number,
  rawOpsPerSec: number,
  target: number,
  note?: string,
  ratio = rawOpsPerSec / oursOpsPerSec,
): JudgedFigure {
  return {
    name,
    value: Math.round(oursOpsPerSec),
    unit: 'ops/s',
    baseline: Math.round(rawOpsPerSec),
    ratio: round(ratio, 3),
    target,
    note,
  };
}

/** True if the figure is within its target (or has none: informational figures always pass). */
export function passes(f: JudgedFigure): boolean {
  if (f.target === undefined) return true;
  return f.ratio !== undefined && Number.isFinite(f.ratio) && f.ratio <= f.target;
}

export function isJudged(f: JudgedFigure): boolean {
  return f.target !== undefined;
}

/** Writes `{"figures": [...]}` atomically (tmp file + rename), keeping only the Figure fields. */
export function writeFigures(path: string, figures: readonly Figure[]): void {
  const out = {
    figures: figures.map(({ name, value, unit, baseline, ratio }): Figure => ({
      name,
      value,
      unit,
      ...(baseline !== undefined ? { baseline } : {}),
      ...(ratio !== undefined ? { ratio } : {}),
    })),
  };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(out, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Whole numbers with separators; small values (latencies in ms) with three significant digits. */
function fmtNumber(n: number): string {
  if (n !== 0 && Math.abs(n) < 100 && !Number.isInteger(n)) return String(Number(n.toPrecision(3)));
  return Math.round(n).toLocaleString('en-US');
}

/** Plain-text table: name, ours, raw (or budget), ratio, target, PASS/FAIL (info when not judged). */
export function formatTable(title: string, figures: readonly JudgedFigure[]): string {
  const header = ['figure', 'ours', 'raw', 'ratio', 'target', ''];
  const rows = figures.map((f) => [
    f.name,
    `${fmtNumber(f.value)} ${f.unit}`,
    f.baseline === undefined ? '-' : `${fmtNumber(f.baseline)} ${f.unit}`,
    f.ratio === undefined ? '-' : f.ratio.toFixed(3),
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
