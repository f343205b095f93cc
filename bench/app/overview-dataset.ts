/**
 * The Overview bench's data directory: 200 tables, 10,000 Parquet segments and 5,000 jobs, written
 * through the real engine. 100 shared tables are flushed twice (two segments each, a few hot rows
 * left); 100 user tables of 98 users each are flushed once (98 segments each, one per user's
 * scope). Flushes are real (runFlush: Parquet files and manifests); the job history is 5,000
 * finished rows of system.jobs (flushes, compactions, backups, evictions; some failed), spread over
 * the last week, as the app would have left them.
 *
 * Built once and cached in os.tmpdir() (keyed by DATASET_VERSION), seeded into a private directory
 * and renamed into place when complete, like bench/app/dataset.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedTable } from '../../src/main/cli/seed';
import { Engine } from '../../src/main/engine/engine';
import { runFlush } from '../../src/main/engine/flush/flush-job';
import type { JobContext } from '../../src/main/engine/jobs/job-context';
import { liveSegments } from '../../src/main/engine/stats/table-tiers';
import { type JobType, newJobId } from '../../src/shared/keys/job-id';
import type { Job, JobStatus } from '../../src/shared/system/jobs';

const DATASET_VERSION = 1;
const SHARED_TABLES = 100;
const USER_TABLES = 100;
const USERS = 98;
const JOBS = 5000;
const JOB_TYPES: readonly JobType[] = ['flush', 'compact', 'backup', 'evict'];

export interface OverviewDataset {
  readonly dataDir: string;
  readonly tables: number;
  readonly segments: number;
  readonly jobs: number;
  readonly built: boolean;
  readonly seedMs: number;
}

const quietJob = (): JobContext => ({ signal: new AbortController().signal, report: () => {} });

/** A finished job, `i` of JOBS, ending `i` minutes apart before `now`; one in 25 failed. */
function historicJob(i: number, now: number): Job {
  const type = JOB_TYPES[i % JOB_TYPES.length]!;
  const finished = now - (JOBS - i) * 60_000;
  const duration = 200 + ((i * 7919) % 9000);
  const status: JobStatus = i % 25 === 0 ? 'failed' : 'completed';
  const rows = 1000 + ((i * 104_729) % 50_000);
  return {
    job_id: newJobId(type, finished - duration),
    job_type: type,
    status,
    parameters: type === 'flush' || type === 'compact' ? { table: `bench_ov.s${String(i % SHARED_TABLES).padStart(3, '0')}` } : {},
    progress: { phase: 'done', done: rows, total: rows, rate: Math.round((rows / duration) * 1000) },
    message: null,
    result: status === 'completed' ? { rows } : null,
    error: status === 'failed' ? 'disk full (bench history)' : null,
    idempotency_key: null,
    owner: { process: 'app', pid: 1 },
    retries: 0,
    max_retries: 3,
    created_at: finished - duration,
    started_at: finished - duration,
    finished_at: finished,
    updated_at: finished,
  };
}

async function seed(engine: Engine, log: (m: string) => void): Promise<number> {
  for (let t = 0; t < SHARED_TABLES; t++) {
    const table = `bench_ov.s${String(t).padStart(3, '0')}`;
    for (const rows of [300, 200]) {
      await seedTable(engine, { table, rows, users: undefined }, quietJob());
      await runFlush(engine, { table }, quietJob());
    }
    await seedTable(engine, { table, rows: 40, users: undefined }, quietJob());
  }
  log(`overview dataset: ${SHARED_TABLES} shared tables, two segments each`);
  for (let t = 0; t < USER_TABLES; t++) {
    const table = `bench_ov.u${String(t).padStart(3, '0')}`;
    await seedTable(engine, { table, rows: USERS * 5, users: USERS }, quietJob());
    await runFlush(engine, { table }, quietJob());
    await seedTable(engine, { table, rows: USERS, users: USERS }, quietJob());
    if (t % 20 === 19) log(`overview dataset: ${t + 1} / ${USER_TABLES} user tables flushed (${USERS} segments each)`);
  }
  const now = engine.now();
  engine.system.jobs.putMany(Array.from({ length: JOBS }, (_, i) => historicJob(i, now)).map((j) => [j.job_id, j] as const));
  // What the statistics will count: every live segment of every table.
  return [...engine.data.list()].reduce((n, meta) => n + liveSegments(engine, meta).length, 0);
}

/** Returns the cached data directory, seeding it first if needed. */
export async function overviewDataset(log: (m: string) => void): Promise<OverviewDataset> {
  const root = join(tmpdir(), `kalam-bench-overview-v${DATASET_VERSION}`);
  const marker = join(root, 'dataset.json');
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8')) as Omit<OverviewDataset, 'built' | 'dataDir'>;
    log(`overview dataset: reusing ${root}`);
    return { ...meta, dataDir: join(root, 'data'), built: false };
  }
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const t0 = performance.now();
  const engine = Engine.openDataDir(join(partial, 'data'));
  let meta: Omit<OverviewDataset, 'built' | 'dataDir'>;
  try {
    const segments = await seed(engine, log);
    meta = { tables: [...engine.data.list()].length, segments, jobs: engine.system.jobs.count(), seedMs: Math.round(performance.now() - t0) };
    log(`overview dataset: ${meta.tables} tables, ${meta.segments} segments, ${meta.jobs} jobs`);
  } finally {
    engine.close();
  }
  writeFileSync(join(partial, 'dataset.json'), JSON.stringify(meta, null, 2));
  try {
    renameSync(partial, root);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(marker)) throw e;
  }
  log(`overview dataset: seeded in ${(meta.seedMs / 1000).toFixed(1)} s into ${root}`);
  return { ...meta, dataDir: join(root, 'data'), built: true };
}
