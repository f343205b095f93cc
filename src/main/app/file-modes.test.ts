import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { bootstrap } from './bootstrap';

const WORKER = join(import.meta.dirname, '../engine/jobs/job-worker.ts');

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kalam-modes-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Every folder and file under `root` (itself included) with its permission bits, as "path mode". */
function modes(root: string): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const s = lstatSync(path);
    out.push(`${relative(base, path) || '.'} ${(s.mode & 0o777).toString(8)}`);
    if (s.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return out;
}

/** What `modes` would give if every folder were 0700 and every file 0600. */
function privateModes(root: string): string[] {
  return modes(root).map((line) => {
    const path = line.slice(0, line.lastIndexOf(' '));
    return `${path} ${statSync(join(base, path)).isDirectory() ? '700' : '600'}`;
  });
}

describe.skipIf(process.platform === 'win32')('files are readable by their owner only', () => {
  it('the umask of this test run would leave files readable by others (else this test proves nothing)', () => {
    writeFileSync(join(base, 'control'), '');
    expect(statSync(join(base, 'control')).mode & 0o044).not.toBe(0);
  });

  it('after start, a flush and a backup: every folder is 0700 and every file 0600', async () => {
    const dataDir = join(base, 'data');
    const runtime = bootstrap({
      dataDir,
      mode: 'web',
      appVersion: '1.0.0-test',
      demo: true,
      readOnly: false,
      jobs: { workerPath: WORKER, workerExecArgv: ['--import', 'tsx'], scheduleEveryMs: 0 },
    });
    try {
      const client = createRouterClient(runtime.services.router, { context: runtime.services.context('test') });
      const finished = async (id: string) => {
        await expect.poll(async () => (await client.jobs.get({ id })).status, { timeout: 30_000 }).toMatch(/completed|failed|cancelled/);
        const job = await client.jobs.get({ id });
        expect(job.status, job.error ?? '').toBe('completed');
      };

      const started = modes(dataDir);
      expect(started.join('\n')).toMatch(/kalam\.sqlite 600\n.*kalam\.sqlite-wal 600/s);
      expect(started).toContain('data/logs/main.log 600');
      expect(started).toEqual(privateModes(dataDir));

      const [flush] = (await client.jobs.start({ type: 'flush', table: 'demo.products' })).jobs;
      await finished(flush!.job_id);
      const flushed = modes(dataDir);
      expect(flushed.some((line) => /\.parquet 600$/.test(line))).toBe(true);
      expect(flushed.some((line) => /manifest\.json 600$/.test(line))).toBe(true);
      expect(flushed).toEqual(privateModes(dataDir));

      const backups = join(base, 'backups');
      const [backup] = (await client.jobs.start({ type: 'backup', folder: join(backups, 'first') })).jobs;
      await finished(backup!.job_id);
      const backedUp = modes(backups);
      expect(backedUp).toContain('backups/first/kalam.sqlite 600');
      expect(backedUp).toContain('backups/first/backup-manifest.json 600');
      expect(backedUp.some((line) => /\.parquet 600$/.test(line))).toBe(true);
      expect(backedUp).toEqual(privateModes(backups));
      expect(modes(dataDir)).toEqual(privateModes(dataDir));
    } finally {
      runtime.close();
    }
  }, 60_000);

  it('tightens a data directory and database an older version left readable by others', () => {
    const dataDir = join(base, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    Engine.openDataDir(dataDir).close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'kalam.sqlite'), 0o644);

    const engine = Engine.openDataDir(dataDir);
    try {
      expect(modes(dataDir)).toEqual(privateModes(dataDir));
      expect(modes(dataDir)).toContain('old/kalam.sqlite-shm 600');
    } finally {
      engine.close();
    }
  });
});
