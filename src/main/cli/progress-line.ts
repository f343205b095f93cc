import type { JobProgress } from '../../shared/system/jobs';

/** Byte-counting phases show sizes; the others counts. */
const BYTE_PHASES = new Set(['files', 'verifying', 'placing files']);

function amount(n: number, bytes: boolean): string {
  if (!bytes) return n.toLocaleString('en-US');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function describeProgress(p: JobProgress): string {
  const bytes = BYTE_PHASES.has(p.phase);
  const pct = p.total ? ` ${Math.min(100, Math.floor((100 * p.done) / p.total))}%` : '';
  const of = p.total ? ` / ${amount(p.total, bytes)}` : '';
  const rate = p.rate ? `, ${amount(Math.round(p.rate), bytes)}/s` : '';
  return `${p.phase}${pct} (${amount(p.done, bytes)}${of}${rate})`;
}

/**
 * One updating line of progress on stderr when it is a terminal (nothing otherwise, so scripts and
 * pipes get only the summary), redrawn at most every 100 ms.
 */
export class ProgressLine {
  private last = 0;
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.out.isTTY;
  }

  update(label: string, p: JobProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && p.done !== p.total) return;
    this.last = now;
    const text = `${label}: ${describeProgress(p)}`;
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
