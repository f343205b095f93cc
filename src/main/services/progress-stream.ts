import type { JobContext, JobProgress } from '../engine/jobs/job-context';

/**
 * Runs `work` with a JobContext of its own and streams what it reports: its progress (every phase,
 * but only the latest report of a phase the reader has not taken yet, so a slow reader never
 * queues them up), then its result as the last event. An error of the work ends the stream with that error. The caller's `signal`, or the
 * reader stopping early, cancels the work, and the stream ends only after the work did (its
 * cleanup included).
 */
export async function* streamProgress<T, E>(
  signal: AbortSignal | undefined,
  work: (ctx: JobContext) => Promise<T>,
  events: { progress(p: JobProgress): E; result(value: T): E },
): AsyncGenerator<E, void, undefined> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal?.aborted) abort();
  signal?.addEventListener('abort', abort);
  const queued: JobProgress[] = [];
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const running = work({
    signal: controller.signal,
    report: (p) => {
      if (queued.at(-1)?.phase === p.phase) queued[queued.length - 1] = p;
      else queued.push(p);
      poke();
    },
  }).then(
    (value) => {
      outcome = { ok: true, value };
      poke();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      poke();
    },
  );
  try {
    for (;;) {
      const next = queued.shift();
      if (next !== undefined) yield events.progress(next);
      else if (outcome !== undefined) {
        if (!outcome.ok) throw outcome.error;
        yield events.result(outcome.value);
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    controller.abort();
    signal?.removeEventListener('abort', abort);
    await running;
  }
}
