/**
 * Stops the web-mode server of the global setup, checks its log for unexpected failures, and
 * removes the temp dir (KALAM_E2E_KEEP=1 keeps it for a look).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from './support/server-env';
import { stopWebMode } from './support/web-mode';

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env[ENV.pid]);
  if (Number.isInteger(pid) && pid > 0) await stopWebMode(pid);
  const tempDir = process.env[ENV.tempDir];
  if (!tempDir) return;

  // Typed errors (validation, conflicts, …) are logged at debug level; an ERROR line is a failure
  // the client only saw as an opaque 500 — a bug the UI assertions may not have noticed.
  const log = join(tempDir, 'data', 'logs', 'main.log');
  const errors = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => / ERROR /.test(line))
    : [];

  if (!process.env['KALAM_E2E_KEEP']) rmSync(tempDir, { recursive: true, force: true });
  if (errors.length > 0) {
    throw new Error(`the web-mode server logged ${errors.length} unexpected error(s):\n${errors.slice(0, 20).join('\n')}`);
  }
}
