#!/usr/bin/env node
// `npm start [-- <app args>]`: builds (electron-vite build, quietly), then opens the Electron
// shell if its binary is installed, else (or with --web, or if Electron fails to start) runs the
// local web mode (`node out/main/web.js <app args>`), which prints the URL to open.
//
//   npm start                          Electron if available, web mode otherwise
//   npm start -- --web --port 4000     web mode on http://127.0.0.1:4000
//   npm start -- --data-dir ./.data --no-demo --read-only
//
// The Electron binary is looked up the way the `electron` package does (path.txt + dist/, or
// ELECTRON_OVERRIDE_DIST_PATH) WITHOUT requiring the package: its index.js starts a download when
// the binary is missing, which hangs offline.
//
// It never ends silently: an app that dies from a signal or exits with an error code is reported
// in one line, and this script exits with its status (128 + the signal's number for a signal).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** If Electron exits with an error this soon after starting, it is taken as "cannot start". */
const ELECTRON_STARTUP_GRACE_MS = 5000;

function log(message) {
  process.stderr.write(`kalam-studio: ${message}\n`);
}

function build() {
  const pkgPath = require.resolve('electron-vite/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const binRel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  const result = spawnSync(process.execPath, [join(dirname(pkgPath), binRel), 'build'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    log(`build failed${result.error ? `: ${result.error.message}` : ''}`);
    process.exit(1);
  }
}

/** The Electron executable if it is actually on disk; never downloads. */
export function findElectronBinary(env = process.env) {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = join(dir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

/**
 * Runs a child with inherited stdio. Ctrl-C reaches the child directly (same process group), so
 * SIGINT is not forwarded (the child would see it twice); SIGTERM and SIGHUP are.
 */
function run(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onInt = () => {};
  const onTerm = forward('SIGTERM');
  const onHup = forward('SIGHUP');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  // `kill <npm pid>` ends npm and its `sh -c`, but not this script: when orphaned, stop the app.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) onTerm();
  }, 1000);
  const started = Date.now();
  return new Promise((resolve) => {
    const done = (result) => {
      clearInterval(watchdog);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      resolve({ ...result, ms: Date.now() - started });
    };
    child.once('error', (error) => done({ error, code: null, signal: null }));
    child.once('exit', (code, signal) => done({ error: null, code, signal }));
  });
}

/** Signals that mean the process crashed, not that someone stopped it. */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS', 'SIGTRAP']);

/**
 * How a child ended, as one line for the user (null for a clean exit) and the exit status to pass
 * on: its code, or 128 + the signal's number as a shell reports it.
 */
export function describeEnd(name, { error, code, signal }) {
  if (error) return { line: `${name} could not start: ${error.message}`, status: 1 };
  if (signal) {
    const why = CRASH_SIGNALS.has(signal) ? ' (it crashed)' : '';
    return {
      // A process killed by a signal had no chance to say why: point at what it logged before.
      line: `${name} was stopped by signal ${signal}${why}; its log is logs/main.log in the data directory.`,
      status: 128 + (constants.signals[signal] ?? 0),
    };
  }
  if (code !== 0) return { line: `${name} exited with code ${code}.`, status: code ?? 1 };
  return { line: null, status: 0 };
}

/** Runs a child to its end, reports an unclean end through `report`; resolves with the run and the status to exit with. */
export async function supervise(name, command, args, env, report = log) {
  const result = await run(command, args, env);
  const { line, status } = describeEnd(name, result);
  if (line !== null) report(line);
  return { ...result, status };
}

async function main() {
  const args = process.argv.slice(2);
  build();

  if (!args.includes('--web')) {
    const electron = findElectronBinary();
    if (electron === null) {
      log('the Electron binary is not installed here; starting web mode instead.');
    } else {
      const env = { ...process.env };
      delete env.ELECTRON_RUN_AS_NODE;
      const result = await run(electron, [root, ...args], env);
      const failedEarly = result.error !== null || (result.code !== 0 && result.signal === null && result.ms < ELECTRON_STARTUP_GRACE_MS);
      if (!failedEarly) {
        const { line, status } = describeEnd('the Electron app', result);
        if (line !== null) log(line);
        process.exit(status);
      }
      log(`Electron could not start (${result.error ? result.error.message : `exit code ${result.code}`}); starting web mode instead.`);
    }
  }

  const { status } = await supervise('the web-mode server', process.execPath, [join(root, 'out', 'main', 'web.js'), ...args], process.env);
  process.exit(status);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
