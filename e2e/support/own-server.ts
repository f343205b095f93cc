/**
 * A spec file's own web-mode server on its own data directory, for specs whose jobs would disturb
 * the shared server's data (restore replaces every table; a long flush needs a big table). The
 * directory is prepared before the server starts (the demo data, rows seeded through the CLI),
 * and removed with the server when the worker ends.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { Engine } from '../../src/main/engine/engine';
import { seedDemo } from '../../src/main/services/demo';
import { signIn } from '../fixtures';
import type { ServerInfo } from './server-env';
import { startWebMode, stopWebMode } from './web-mode';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface OwnServer extends ServerInfo {
  /** The temporary folder holding the data directory and the server log (and room for backups). */
  readonly dir: string;
  readonly dataDir: string;
  /**
   * The server's hold folder (KALAM_HOLD_DIR): while a file named for a job's hold point is here,
   * a job that reaches that point waits (until the file goes or the job is cancelled).
   */
  readonly holdDir: string;
}

/** Runs the headless CLI (`npm run cli -- --data-dir <dir> …`) to completion; throws with its output on failure. */
export function runCli(dataDir: string, args: readonly string[]): string {
  const run = spawnSync(process.execPath, [TSX, 'src/main/cli/main.ts', '--data-dir', dataDir, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} exited with ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout.trim();
}

/** Writes the demo namespace, users and tables, as the app's first start would. */
export function seedDemoData(dataDir: string): void {
  const engine = Engine.openDataDir(dataDir);
  try {
    seedDemo(engine);
  } finally {
    engine.close();
  }
}

export interface OwnServerOptions {
  /** Prefix of the temporary folder's name. */
  readonly name: string;
  /** Prepares the (not yet existing) data directory before the server starts. */
  readonly prepare?: (dataDir: string) => void;
  /** More arguments for the server (e.g. `--read-only`). */
  readonly args?: readonly string[];
}

/**
 * A `test` whose `page` is signed in to the spec file's own server (started once per worker), with
 * `ownServer` telling where its data lives.
 */
export function testWithOwnServer(options: OwnServerOptions) {
  return base.extend<{ page: Page }, { ownServer: OwnServer }>({
    ownServer: [
      // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies.
      async ({}, use) => {
        const dir = mkdtempSync(join(tmpdir(), `kalam-e2e-${options.name}-`));
        const dataDir = join(dir, 'data');
        let pid: number | undefined;
        try {
          options.prepare?.(dataDir);
          const holdDir = join(dir, 'holds');
          mkdirSync(holdDir);
          // The app's settings (recent data directories) stay in the temporary folder too.
          const env = { ...process.env, KALAM_HOLD_DIR: holdDir, KALAM_SETTINGS_DIR: join(dir, 'settings') };
          const server = await startWebMode(dataDir, join(dir, 'server.log'), options.args ?? [], 0, env);
          pid = server.pid;
          await use({ url: server.url, origin: new URL(server.url).origin, lastSeededAuditId: 0, dir, dataDir, holdDir });
        } finally {
          if (pid !== undefined) await stopWebMode(pid);
          rmSync(dir, { recursive: true, force: true });
        }
      },
      // Seeding a big table and starting a server take a while on a shared 2-core machine.
      { scope: 'worker', timeout: 180_000 },
    ],

    baseURL: async ({ ownServer }, use) => {
      await use(ownServer.origin);
    },

    page: async ({ page, ownServer }, use) => {
      await signIn(page, ownServer);
      await use(page);
    },
  });
}
