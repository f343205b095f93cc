import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { Engine } from '../engine';
import { as, tid, todoTable } from '../tables/testing.test-support';
import { defaultJobKinds } from './default-kinds';
import { JobManager } from './job-manager';

const CHILD = join(import.meta.dirname, 'testing', 'crash-child.ts');
const ROWS = 30_000;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it reported progress `after` times, then SIGKILLs it (the app and its worker die together) and waits until it is gone. */
function runAndKill(dataDir: string, after: number): Promise<{ jobId: string; lastDone: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let jobId = '';
    let seen = 0;
    let lastDone = 0;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'started') jobId = value!;
      if (word === 'progress' && ++seen === after) {
        lastDone = Number(value);
        child.kill('SIGKILL');
      }
    });
    // Resolved once the process is gone (reaped), not when the signal was sent: recovery checks the owner's pid.
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ jobId, lastDone });
      else reject(new Error(`the child ended by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('a process killed while a job runs', () => {
  it('leaves the job running on disk; the next start fails it as "interrupted", and its retry finishes the work', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kalam-jobs-crash-'));
    const seeding = Engine.openDataDir(dir, { now: () => Date.now() - 3_600_000 });
    seeding.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
    seeding.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events', { ttl_seconds: 1 }));
    seeding.data.stream(tid('app.events')).appendRows(
      as('u1'),
      Array.from({ length: ROWS }, (_, i) => ({ id: i, title: 't' })),
    );
    seeding.close();

    const { jobId } = await runAndKill(dir, 3);

    const engine = Engine.openDataDir(dir);
    try {
      const stored = [...engine.system.jobs.scan()].map(([, j]) => j);
      expect(stored.map((j) => [j.job_id, j.status])).toEqual([[jobId, 'running']]);
      const left = engine.backend.count(engine.data.stream(tid('app.events')).partition);
      // Whole batches of 100 were committed before the kill, never part of one.
      expect(left).toBeLessThan(ROWS);
      expect((ROWS - left) % 100).toBe(0);

      const manager = new JobManager({ engine, kinds: defaultJobKinds() });
      const { interrupted } = await manager.start();
      expect(interrupted.map((j) => j.job_id)).toEqual([jobId]);
      expect(manager.get(stored[0]!.job_id)).toMatchObject({ status: 'failed', error: 'interrupted' });
      // The eviction's key was released: a retry runs (in-process here) and removes the rest.
      const again = manager.retry(stored[0]!.job_id);
      await manager.idle();
      expect(manager.get(again.job_id)).toMatchObject({ status: 'completed', result: { evicted: left } });
      expect(engine.backend.count(engine.data.stream(tid('app.events')).partition)).toBe(0);
      await manager.close();
    } finally {
      engine.close();
    }
  }, 60_000);
});
