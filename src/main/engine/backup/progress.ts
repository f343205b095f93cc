import type { JobProgress } from '../../../shared/system/jobs';
import type { JobContext } from '../jobs/job-context';

/**
 * Reports one phase's progress with its rate (units per second since the phase began), at most
 * every `everyMs` (and always at the end), so a million small steps do not flood the manager.
 */
export class PhaseProgress {
  private readonly started = performance.now();
  private last = 0;
  done = 0;

  constructor(
    private readonly ctx: JobContext,
    readonly phase: string,
    readonly total: number | null,
    private readonly unit: NonNullable<JobProgress['unit']>,
    private readonly everyMs = 100,
  ) {
    ctx.report({ phase, done: 0, total, unit });
  }

  add(n: number): void {
    this.set(this.done + n);
  }

  set(done: number): void {
    this.done = done;
    const now = performance.now();
    if (now - this.last >= this.everyMs) {
      this.last = now;
      this.emit(now);
    }
  }

  finish(): void {
    this.emit(performance.now());
  }

  private emit(now: number): void {
    const seconds = (now - this.started) / 1000;
    this.ctx.report({ phase: this.phase, done: this.done, total: this.total, rate: seconds > 0 ? this.done / seconds : null, unit: this.unit });
  }
}
