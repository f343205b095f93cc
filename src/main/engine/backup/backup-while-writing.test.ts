import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobProgress } from '../../../shared/system/jobs';
import { dataDirLayout, Engine } from '../engine';
import { defaultJobKinds } from '../jobs/default-kinds';
import { JobManager } from '../jobs/job-manager';
import { WorkerRunner } from '../jobs/worker-runner';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { BACKUP_DATABASE } from './backup-format';
import { runRestore } from './restore-job';
import { testContext } from './testing.test-support';
import { readWrites, WRITER_COUNTER, WRITER_ROWS, writerKey } from './testing/writer-layout';

/**
 * A backup as the app runs it (a job in a worker thread with its own connection, its progress
 * written to system.jobs on the main connection up to ten times a second) while another process
 * commits a row every 10 ms. SQLite's online backup used to start over at each of those writes and
 * never finished. 64 MB here; KALAM_BACKUP_TEST_MB=512 (`npm run test:backup-full`) runs it on a
 * database of more than 500 MB.
 */
const SIZE_MB = Number(process.env['KALAM_BACKUP_TEST_MB'] ?? 64);
const WRITE_EVERY_MS = 10;
const VALUE_BYTES = 8192;
const ROWS = Math.ceil((SIZE_MB * 1024 * 1024) / VALUE_BYTES);
/** Generous: a 2-core machine shared with other work; the old code never finished at all. */
const TIMEOUT_MS = 60_000 + SIZE_MB * 400;

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKER = join(import.meta.dirname, '../jobs/job-worker.ts');
const WRITER = join(import.meta.dirname, 'testing/writer-child.ts');

let dir: string;
let engine: Engine;
let writer: ChildProcessWithoutNullStreams | undefined;

function fill(rows: number): void {
  engine.backend.createPartition('test.blobs');
  for (let from = 0; from < rows; from += 1000) {
    engine.backend.batch(
      Array.from({ length: Math.min(1000, rows - from) }, (_, i) => {
        // Distinct content per row, so nothing about the copy is helped by repetition.
        const value = Buffer.alloc(VALUE_BYTES, from + i);
        value.writeUInt32LE(from + i);
        return { type: 'put' as const, partition: 'test.blobs', key: writerKey(from + i), value };
      }),
    );
  }
}

/** Starts the writer; resolves once it committed its first row. `stop()` resolves with its last n. */
function startWriter(databasePath: string): Promise<{ stop(): Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, databasePath, String(WRITE_EVERY_MS)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  writer = child;
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.startsWith('ready\n'))
        resolve({
          async stop() {
            child.stdin.end();
            await closed;
            const last = /last (\d+)/.exec(stdout);
            if (!last) throw new Error(`the writer did not report its last row; stderr: ${stderr}`);
            return Number(last[1]);
          },
        });
    });
    void closed.then(() => reject(new Error(`the writer exited before writing; stderr: ${stderr}`)));
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-backup-writing-'));
  engine = Engine.openDataDir(join(dir, 'data'));
});

afterEach(() => {
  writer?.kill('SIGKILL');
  writer = undefined;
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a backup of a ${SIZE_MB} MB database while another process writes a row every ${WRITE_EVERY_MS} ms`, () => {
  it(
    'completes, and the copy (and its restore) holds exactly the rows of one point in time',
    async () => {
      fill(ROWS);
      engine.backend.createPartition(WRITER_ROWS);
      engine.backend.createPartition(WRITER_COUNTER);
      const running = await startWriter(engine.backend.path);
      const manager = new JobManager({
        engine,
        kinds: defaultJobKinds(),
        runner: new WorkerRunner({ workerPath: WORKER, ...dataDirLayout(join(dir, 'data')), execArgv: ['--import', 'tsx'] }),
      });
      const folder = join(dir, 'backup');
      let job: Job;
      /** The writer's counter when the copy was under way, and once it had ended. */
      const counterWhen: { copying?: number; copied?: number } = {};
      const databaseProgress: JobProgress[] = [];
      try {
        await manager.start();
        const finished = new Promise<Job>((resolve) =>
          manager.subscribe((event) => {
            if (event.type !== 'job') return;
            const { progress, status } = event.job;
            if (progress?.phase === 'database') {
              databaseProgress.push(progress);
              counterWhen.copying ??= readWrites(engine.backend).counter;
            }
            if (counterWhen.copying !== undefined && (progress?.phase !== 'database' || progress.done === progress.total || status !== 'running'))
              counterWhen.copied ??= readWrites(engine.backend).counter;
            if (status === 'completed' || status === 'failed' || status === 'cancelled') resolve(event.job);
          }),
        );
        manager.startJob('backup', { folder });
        job = await finished;
      } finally {
        await manager.close();
      }
      const last = await running.stop();
      expect(job.status, job.error ?? '').toBe('completed');

      // The writer really wrote while the database was being copied, and the copy never started over.
      expect(counterWhen.copied!).toBeGreaterThan(counterWhen.copying!);
      const done = databaseProgress.map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));

      expect(statSync(join(folder, BACKUP_DATABASE)).size).toBeGreaterThan(SIZE_MB * 1024 * 1024);
      const copy = new SqliteBackend(join(folder, BACKUP_DATABASE), { readonly: true });
      let atBackup;
      try {
        expect(copy.integrityCheck()).toEqual(['ok']);
        expect(copy.count('test.blobs')).toBe(ROWS);
        atBackup = readWrites(copy);
      } finally {
        copy.close();
      }
      // One point in time: rows 1..N exactly, and the counter written with row N.
      const n = atBackup.counter;
      expect(atBackup).toEqual({ counter: n, rows: n, first: 1, last: n });
      expect(n).toBeLessThanOrEqual(counterWhen.copying!);
      expect(n).toBeLessThan(last);

      // The restored database is that same point in time.
      expect(readWrites(engine.backend).counter).toBe(last);
      await runRestore(engine, { folder }, testContext());
      expect(readWrites(engine.backend)).toEqual(atBackup);
      expect(engine.backend.count('test.blobs')).toBe(ROWS);
    },
    TIMEOUT_MS,
  );
});
