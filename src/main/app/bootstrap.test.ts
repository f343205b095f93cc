import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as DemoModule from '../services/demo';
import { seedDemo } from '../services/demo';
import { jobFixture } from '../../shared/system/jobs.test-support';
import { Engine } from '../engine/engine';
import { AppAlreadyRunningError, bootstrap } from './bootstrap';

vi.mock('../services/demo', async (importOriginal) => {
  const original = await importOriginal<typeof DemoModule>();
  return { ...original, seedDemo: vi.fn(original.seedDemo) };
});

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kalam-boot-'));
  vi.mocked(seedDemo).mockClear();
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const options = (dataDir: string, extra: { demo?: boolean; readOnly?: boolean } = {}) => ({
  dataDir,
  mode: 'web' as const,
  appVersion: '2.0.0',
  demo: extra.demo ?? true,
  readOnly: extra.readOnly ?? false,
});

describe('bootstrap', () => {
  it('seeds the demo data on first start only', () => {
    const dataDir = join(base, 'data');
    const first = bootstrap(options(dataDir));
    expect(first.firstStart).toBe(true);
    expect(seedDemo).toHaveBeenCalledTimes(1);
    first.close();

    const second = bootstrap(options(dataDir));
    expect(second.firstStart).toBe(false);
    expect(seedDemo).toHaveBeenCalledTimes(1);
    second.close();
  });

  it('does not seed with --no-demo', () => {
    const runtime = bootstrap(options(join(base, 'data'), { demo: false }));
    expect(runtime.firstStart).toBe(true);
    expect(seedDemo).not.toHaveBeenCalled();
    runtime.close();
  });

  it('creates services that answer for this data directory, read-only if asked', async () => {
    const dataDir = join(base, 'data');
    const runtime = bootstrap(options(dataDir, { readOnly: true }));
    try {
      const client = createRouterClient(runtime.services.router, { context: runtime.services.context('test') });
      const info = await client.engine.info();
      expect(info).toMatchObject({ mode: 'web', appVersion: '2.0.0', dataDir, readOnly: true, logPath: join(dataDir, 'logs', 'main.log') });
    } finally {
      runtime.close();
    }
  });

  it('logs to <dataDir>/logs/main.log and closes once', () => {
    const dataDir = join(base, 'data');
    const runtime = bootstrap(options(dataDir));
    runtime.close();
    runtime.close();
    expect(runtime.engine.backend.open).toBe(false);
    const log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/INFO starting .*"mode":"web"/);
    expect(log.match(/INFO stopped/g)).toHaveLength(1);
  });

  it('reports a data directory that cannot be opened', () => {
    // A file where a parent directory should be.
    writeFileSync(join(base, 'a-file'), '');
    expect(() => bootstrap(options(join(base, 'a-file', 'data'), { demo: false }))).toThrow();
  });
});

describe('a second app on the same data directory', () => {
  it("is refused at start, naming the running one's pid, and leaves its data and jobs alone", () => {
    const dataDir = join(base, 'data');
    const first = bootstrap(options(dataDir));
    // The first app's job, running in it (its parent process stands in for the running app).
    const running = first.engine.system.jobs.insert(
      jobFixture({ job_id: 'FL-running', status: 'running', owner: { process: 'app', pid: process.ppid }, created_at: 1, updated_at: 1 }),
    );
    first.close();
    writeFileSync(join(dataDir, 'app.lock'), `${process.ppid}\n`);

    expect(() => bootstrap(options(dataDir))).toThrow(AppAlreadyRunningError);
    expect(() => bootstrap(options(dataDir))).toThrow(`Kalam Studio is already running on ${dataDir} (pid ${process.ppid})`);
    expect(readFileSync(join(dataDir, 'app.lock'), 'utf8').trim()).toBe(String(process.ppid));
    expect(readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8')).toMatch(/ERROR cannot take the data directory/);

    // The refused app never opened the database: the running app's job is as it was.
    const check = Engine.openDataDir(dataDir);
    try {
      expect(check.system.jobs.get(running.job_id)).toEqual(running);
    } finally {
      check.close();
    }
  });
});
