import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../../shared/system/jobs';
import { type PostedProgress, ProgressPoster } from './progress-poster';

const at = (phase: string, done: number): JobProgress => ({ phase, done, total: null });

describe('ProgressPoster', () => {
  let posted: PostedProgress[];
  let poster: ProgressPoster;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000 });
    posted = [];
    poster = new ProgressPoster(
      (p) => posted.push(p),
      10,
      () => Date.now(),
    );
  });
  afterEach(() => vi.useRealTimers());

  it('posts the first report at once and coalesces a burst to its latest', () => {
    poster.report(at('scan', 0));
    expect(posted.map((p) => p.progress.phase)).toEqual(['scan']);
    vi.advanceTimersByTime(2);
    poster.report(at('write', 1));
    poster.report(at('write', 2));
    expect(posted).toHaveLength(1);
    vi.advanceTimersByTime(20);
    expect(posted.map((p) => p.progress)).toEqual([at('scan', 0), at('write', 2)]);
    // Each post keeps when its report was made, not when it was posted.
    expect(posted[1]!.at).toBe(1_002);
  });

  it('posts a held-back report when the interval ends, though no report follows (a body that then waits)', () => {
    poster.report(at('scan', 0));
    vi.advanceTimersByTime(3);
    poster.report(at('write', 1));
    vi.advanceTimersByTime(6);
    expect(posted).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(posted.map((p) => p.progress.phase)).toEqual(['scan', 'write']);
    // Nothing more is posted without a report.
    vi.advanceTimersByTime(100);
    expect(posted).toHaveLength(2);
  });

  it('flush posts the held-back report at once, and only once', () => {
    poster.report(at('scan', 0));
    poster.report(at('write', 5));
    poster.flush();
    expect(posted.map((p) => p.progress.done)).toEqual([0, 5]);
    vi.advanceTimersByTime(100);
    poster.flush();
    expect(posted).toHaveLength(2);
  });

  it('a report after a quiet interval is posted at once', () => {
    poster.report(at('scan', 0));
    vi.advanceTimersByTime(50);
    poster.report(at('write', 1));
    expect(posted).toHaveLength(2);
  });
});
