import { statSync } from 'node:fs';
import type { DatabaseSample } from '../../../shared/stats';
import type { DatabaseBackend } from '../storage/sqlite/sqlite-operations';

/** Samples kept: a bounded window (at the default 10 s, the last hour). */
export const SAMPLES_KEPT = 360;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The database file, WAL and free-page sizes over time, sampled while the app runs and kept in
 * memory for a bounded window (the oldest sample goes first). `sample()` may also be called on
 * demand; samples closer than `everyMs` to the last one are not taken twice.
 */
export class DatabaseSampler {
  private readonly samples: DatabaseSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: DatabaseBackend,
    private readonly now: () => number,
    private readonly everyMs = 10_000,
    private readonly kept = SAMPLES_KEPT,
  ) {}

  get pageSize(): number {
    return this.backend.open ? this.backend.pageCounts().pageSize : 0;
  }

  sample(force = false): DatabaseSample | undefined {
    if (!this.backend.open) return undefined;
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    if (!force && last && at - last.at < this.everyMs) return last;
    const { pageSize, freePages } = this.backend.pageCounts();
    const file = this.backend.path;
    const memory = file === ':memory:' || file === '';
    const s: DatabaseSample = {
      at,
      fileBytes: memory ? 0 : fileSize(file),
      walBytes: memory ? 0 : fileSize(`${file}-wal`),
      freeBytes: freePages * pageSize,
    };
    this.samples.push(s);
    if (this.samples.length > this.kept) this.samples.splice(0, this.samples.length - this.kept);
    return s;
  }

  list(): DatabaseSample[] {
    return [...this.samples];
  }

  start(): void {
    if (this.timer) return;
    this.sample(true);
    this.timer = setInterval(() => this.sample(true), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
