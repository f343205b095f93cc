import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { JobContext } from './job-context';

/** Where hold files live, if anywhere: set only by tests that start their own server or CLI. */
const HOLD_DIR_ENV = 'KALAM_HOLD_DIR';
const POLL_MS = 25;

/**
 * A named point where a job may be held for a test. With KALAM_HOLD_DIR set and the file
 * `<dir>/<name>` present, the job waits here until the file is removed or the job is cancelled.
 * It lets an end-to-end test cancel a flush "while it writes" however fast the machine is, instead
 * of racing the job's speed. Without the variable this returns at once.
 */
export async function holdPoint(name: string, ctx: JobContext): Promise<void> {
  const dir = process.env[HOLD_DIR_ENV];
  if (!dir) return;
  const file = join(dir, name);
  while (existsSync(file) && !ctx.signal.aborted) await delay(POLL_MS);
}
