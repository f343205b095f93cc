/**
 * Web-mode entry (plain Node, never Electron): `node out/main/web.js [--port N] [--data-dir DIR]
 * [--no-demo] [--read-only]`. Serves the built renderer and the API on 127.0.0.1 and prints the
 * URL (with its per-launch token) to open in a browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installSignalHandlers, startWebMode } from './transports/web/web-main';

// Bundled to out/main/web.js: the renderer is out/renderer, package.json two levels up.
const here = import.meta.dirname;

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Fall through.
  }
  return process.env['npm_package_version'] ?? '0.0.0';
}

const result = await startWebMode({
  argv: process.argv.slice(2),
  rendererDir: join(here, '..', 'renderer'),
  jobWorkerPath: join(here, 'job-worker.js'),
  queryWorkerPath: join(here, 'query-worker.js'),
  appVersion: appVersion(),
});
if (result.ok) {
  installSignalHandlers(result.shutdown);
} else {
  process.exitCode = result.exitCode;
}
