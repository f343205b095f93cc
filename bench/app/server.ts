/**
 * The app under test: a private build of the current sources (electron-vite into
 * node_modules/.cache, so the bench never races another engineer's `out/`), and the built web mode
 * (`node <build>/main/web.js --data-dir DIR --port 0 --no-demo`) as a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnWebMode } from '../../e2e/support/web-mode';
import { tokenFromFragment } from '../../src/shared/web-session';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Inside the project, so the build's externalized imports (better-sqlite3, …) resolve from its node_modules. */
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'kalam-bench-app', 'out');
const START_TIMEOUT_MS = 30_000;

/**
 * Builds the app (main, preload, renderer) from the current sources; returns the output directory.
 * `minify: false` (profiling) builds the renderer unminified, through a config that wraps the
 * project's own. `root` builds another source tree (bench/app/earlier.ts: an earlier commit) with
 * this project's electron-vite, into `outDir`.
 */
export function buildApp(
  log: (m: string) => void,
  { minify = true, root = ROOT, outDir = BUILD_DIR }: { minify?: boolean; root?: string; outDir?: string } = {},
): string {
  const t0 = performance.now();
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const args = [cli, 'build', '--outDir', outDir, '--logLevel', 'warn'];
  if (!minify) {
    const config = join(ROOT, 'node_modules', '.cache', 'kalam-bench-app', 'unminified.config.mjs');
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(
      config,
      `import base from ${JSON.stringify(join(ROOT, 'electron.vite.config.ts'))};\n` +
        `export default { ...base, renderer: { ...base.renderer, build: { ...base.renderer.build, minify: false } } };\n`,
    );
    args.push('--config', config);
  }
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`electron-vite build failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  if (!existsSync(join(outDir, 'main', 'web.js'))) throw new Error(`the build did not produce ${join(outDir, 'main', 'web.js')}`);
  log(`built the app into ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return outDir;
}

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The launch URL (its fragment carries the token the page keeps). */
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  readonly logPath: string;
  stop(): Promise<void>;
}

export async function startServer(buildDir: string, dataDir: string, logDir: string): Promise<RunningServer> {
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `server-${process.pid}.log`);
  writeFileSync(logPath, '');
  const { child, url, pid } = await spawnWebMode({
    entry: join(buildDir, 'main', 'web.js'),
    dataDir,
    logPath,
    args: ['--no-demo'],
    env: { ...process.env, NODE_ENV: 'production' },
    timeoutMs: START_TIMEOUT_MS,
  });

  const parsed = new URL(url);
  const token = tokenFromFragment(parsed.hash) ?? '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    origin: parsed.origin,
    url,
    token,
    pid,
    logPath,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
