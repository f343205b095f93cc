/**
 * Child process of crash-recovery.test.ts: opens the data directory, runs an eviction through the
 * job manager in its worker threads, prints "progress <done>" for each progress event, and waits
 * to be killed.
 */
import { join } from 'node:path';
import { dataDirLayout, Engine } from '../../engine';
import { defaultJobKinds } from '../default-kinds';
import { JobManager } from '../job-manager';
import { WorkerRunner } from '../worker-runner';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child <data dir>');
const engine = Engine.openDataDir(dataDir);
const manager = new JobManager({
  engine,
  kinds: defaultJobKinds(),
  runner: new WorkerRunner({ workerPath: join(import.meta.dirname, '..', 'job-worker.ts'), ...dataDirLayout(dataDir), execArgv: ['--import', 'tsx'] }),
  progressIntervalMs: 0,
});
manager.subscribe((e) => {
  if (e.type === 'job' && e.job.progress) process.stdout.write(`progress ${e.job.progress.done}\n`);
});
await manager.start();
const job = manager.startJob('evict', { batch_size: 100 });
process.stdout.write(`started ${job.job_id}\n`);
