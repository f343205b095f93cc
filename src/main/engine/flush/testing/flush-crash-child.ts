/**
 * Flushing process for flush-crash.test.ts; the test kills it with SIGKILL at random moments.
 *
 *   node --import tsx flush-crash-child.ts <data dir>
 *
 * Opens the data directory, recovers any interrupted flush (as the job manager does at startup),
 * seeds app.crash on first start, prints "ready", then forever: one round of edits (see
 * editCrashTable), then a flush with small row groups. Whatever moment the kill lands on, the
 * table must read as ids 1 … ROWS plus exactly one extra.
 */
import { Engine } from '../../engine';
import { editCrashTable, openCrashTable, runCrashChild, TABLE } from '../../testing/crash-table';
import { recoverFlush, runFlush } from '../flush-job';
import { testJobContext } from './flush.test-support';

export const GROUP_ROWS = 200;
const STRETCH = 400;

async function main(dir: string): Promise<void> {
  const engine = Engine.openDataDir(dir);
  recoverFlush(engine);
  const { store } = openCrashTable(engine);
  process.stdout.write('ready\n');
  for (let round = 1; ; round++) {
    editCrashTable(engine, store, round, STRETCH);
    process.stdout.write(`flush ${round}\n`);
    await runFlush(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
    process.stdout.write(`flushed ${round}\n`);
  }
}

runCrashChild(import.meta.url, main);
