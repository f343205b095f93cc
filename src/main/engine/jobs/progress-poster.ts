import type { JobProgress } from '../../../shared/system/jobs';
import { preciseNow } from './job-runner';

/** One progress report of a body, with when it was made. */
export interface PostedProgress {
  readonly progress: JobProgress;
  readonly at: number;
}

/**
 * Coalesces a body's progress reports to at most one post per interval, always the latest. A
 * report held back by the interval is posted when the interval ends, not only with the next
 * report: a body that reports and then waits (a hold point, a lock, a slow write) must not go on
 * showing the report before.
 */
export class ProgressPoster {
  private pending: PostedProgress | undefined;
  private lastPost = Number.NEGATIVE_INFINITY;
  private trailing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly post: (p: PostedProgress) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = preciseNow,
  ) {}

  report(progress: JobProgress): void {
    const at = this.now();
    this.pending = { progress, at };
    const since = at - this.lastPost;
    if (since >= this.intervalMs) this.flush();
    else this.trailing ??= setTimeout(() => this.flush(), this.intervalMs - since);
  }

  /** Posts the held-back report, if any, now (the body ended, or its interval did). */
  flush(): void {
    if (this.trailing !== undefined) clearTimeout(this.trailing);
    this.trailing = undefined;
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.lastPost = this.now();
    this.post(pending);
  }
}
