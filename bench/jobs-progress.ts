/**
 * Job progress latency: the time from a job body's report() to the progress event reaching a
 * subscriber of the job manager, for a real eviction running in a worker thread (the app's setup:
 * its own SQLite connection, progress posted to the main thread, throttled there to at most one
 * persisted and streamed update per 100 ms). Both ends read performance.timeOrigin + now(), which
 * is comparable across threads. Only delivered updates are measured: a report superseded within
 * the throttle window is never sent, by design; the latest one goes out at the window's end, so
 * latencies spread from about 0 up to the window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout, Engine } from '../src/main/engine/engine';
import { defaultJobKinds } from '../src/main/engine/jobs/default-kinds';
import { JobManager } from '../src/main/engine/jobs/job-manager';
import { preciseNow } from '../src/main/engine/jobs/job-runner';
import { WorkerRunner } from '../src/main/engine/jobs/worker-runner';
import { seedExpiredStream } from '../src/main/engine/testing/expired-stream.test-support';
import { type Figure, summaryFigure } from './lib/figures';
import type { BenchContext } from './lib/suite';

const WORKER = join(import.meta.dirname, '..', 'src', 'main', 'engine', 'jobs', 'job-worker.ts');
const INTERVAL_MS = 100;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const rows = ctx.quick ? 40_000 : 400_000;
  const users = 20;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-jobs-'));
  try {
    seedExpiredStream(dir, 'bench', users, rows / users);
    ctx.log(`jobs: seeded ${rows.toLocaleString('en-US')} expired stream rows`);

    const engine = Engine.openDataDir(dir);
    const manager = new JobManager({
      engine,
      kinds: defaultJobKinds(),
      runner: new WorkerRunner({ workerPath: WORKER, ...dataDirLayout(dir), execArgv: ['--import', 'tsx'] }),
      progressIntervalMs: INTERVAL_MS,
    });
    const latencies: number[] = [];
    manager.subscribe((e) => {
      if (e.type === 'job' && e.reportedAt !== undefined) latencies.push(preciseNow() - e.reportedAt);
    });
    await manager.start();
    const started = preciseNow();
    const job = manager.startJob('evict', { batch_size: 100 });
    await manager.idle();
    const seconds = (preciseNow() - started) / 1000;
    const done = manager.get(job.job_id);
    await manager.close();
    engine.close();
    if (done.status !== 'completed') throw new Error(`the eviction ended ${done.status}: ${done.error ?? ''}`);
    if (latencies.length < 5) throw new Error(`only ${latencies.length} progress events were delivered; the job ran too briefly to measure`);

    const note = `eviction of ${rows.toLocaleString('en-US')} rows in a worker (batches of 100), ${latencies.length} updates delivered in ${seconds.toFixed(1)} s; throttle window ${INTERVAL_MS} ms`;
    // Both ends read the wall clock, whatever the bench's clock.
    const latency = (statistic: 'p50' | 'p99'): Figure =>
      summaryFigure({
        name: `job progress latency ${statistic} (worker report() → subscriber)`,
        unit: 'ms',
        better: 'lower',
        statistic,
        samples: latencies,
        clock: 'wall',
        note,
      });
    return [
      latency('p50'),
      latency('p99'),
      summaryFigure({
        name: 'job progress updates delivered per second',
        unit: 'updates/s',
        better: 'higher',
        statistic: 'single run',
        samples: [latencies.length / seconds],
        clock: 'wall',
        note,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
