/** Starts and stops the built web mode (`node out/main/web.js`) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { LAUNCH_LINE_PREFIX, tokenFromFragment } from '../../src/shared/web-session';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WEB_ENTRY = join(ROOT, 'out', 'main', 'web.js');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RunningWebMode {
  /** The URL the server printed: `http://127.0.0.1:<port>/#token=<token>`. */
  readonly url: string;
  readonly pid: number;
}

export interface SpawnOptions {
  readonly dataDir: string;
  /** Where the server's stderr goes (appended). */
  readonly logPath: string;
  /** The built web entry (default: the project's out/main/web.js). */
  readonly entry?: string;
  readonly args?: readonly string[];
  /** 0 (default): a free port. */
  readonly port?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/**
 * Spawns web mode on `dataDir` with a free port (`--port 0`, or `port`) and resolves with the child and the
 * URL from its one line of output; a server that exits or stays silent fails with its stderr.
 * Used by the e2e tests and the app benchmark alike.
 */
export async function spawnWebMode(options: SpawnOptions): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const entry = options.entry ?? WEB_ENTRY;
  const timeoutMs = options.timeoutMs ?? START_TIMEOUT_MS;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm run test:e2e runs electron-vite build).`);
  const logFd = openSync(options.logPath, 'a');
  const child = spawn(process.execPath, [entry, '--data-dir', options.dataDir, '--port', String(options.port ?? 0), ...(options.args ?? [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', logFd],
    ...(options.env ? { env: options.env } : {}),
  });
  closeSync(logFd);
  const pid = child.pid;
  const stdout = child.stdout;
  if (pid === undefined || stdout === null) throw new Error('could not start the web-mode server');

  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: stdout });
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      let log = '';
      try {
        log = readFileSync(options.logPath, 'utf8');
      } catch {
        // No log yet.
      }
      reject(new Error(`web mode did not start: ${why}\n--- server stderr ---\n${log}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`it exited (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`no URL within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const url = launchUrlOf(line);
      if (url === null) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      resolveUrl(url);
    });
  });

  // Keep draining stdout so the server never blocks on a full pipe.
  stdout.resume();
  return { child, url, pid };
}

/** The launch URL of web mode's output line, if `line` is that line. */
export function launchUrlOf(line: string): string | null {
  const text = line.trim();
  if (!text.startsWith(LAUNCH_LINE_PREFIX)) return null;
  const url = text.slice(LAUNCH_LINE_PREFIX.length);
  return /^http:\/\/127\.0\.0\.1:\d+\/#/.test(url) && tokenFromFragment(new URL(url).hash) !== null ? url : null;
}

/**
 * Spawns web mode on `dataDir` (see spawnWebMode); its stderr goes to `logPath`. The child does
 * not keep the caller's process alive.
 */
export async function startWebMode(
  dataDir: string,
  logPath: string,
  extraArgs: readonly string[] = [],
  port = 0,
  env?: NodeJS.ProcessEnv,
): Promise<RunningWebMode> {
  const { child, url, pid } = await spawnWebMode({ dataDir, logPath, args: extraArgs, port, ...(env ? { env } : {}) });
  child.unref();
  return { url, pid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM (web mode shuts down cleanly on it), SIGKILL if it is still there after a while. */
export async function stopWebMode(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    console.warn(`[e2e] web mode ${pid} ignored SIGTERM for ${STOP_TIMEOUT_MS} ms: killing it`);
    process.kill(pid, 'SIGKILL');
  }
}
