/**
 * Compacting process for compact-crash.test.ts; the test kills it with SIGKILL at random moments.
 *
 *   node --import tsx compact-crash-child.ts <data dir>
 *
 * Opens the data directory, recovers interrupted flushes and compactions (as the job manager does
 * at startup), seeds app.crash on first start, prints "ready", then forever: one round of edits
 * (see editCrashTable), a flush, and every other round a compaction, all with small row groups.
 * Whatever moment the kill lands on, the table must read as ids 1 … ROWS plus exactly one extra.
 */
import { Engine } from '../../engine';
import { recoverFlush, runFlush } from '../../flush/flush-job';
import { testJobContext } from '../../flush/testing/flush.test-support';
import { editCrashTable, openCrashTable, runCrashChild, TABLE } from '../../testing/crash-table';
import { runCompact } from '../compact-job';
import { recoverCompact } from '../compact-recovery';

export const GROUP_ROWS = 100;
const STRETCH = 600;

async function main(dir: string): Promise<void> {
  const engine = Engine.openDataDir(dir);
  recoverFlush(engine);
  recoverCompact(engine);
  const { store, created } = openCrashTable(engine);
  if (created) await runFlush(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
  process.stdout.write('ready\n');
  for (let round = 1; ; round++) {
    editCrashTable(engine, store, round, STRETCH);
    await runFlush(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
    if (round % 2 === 0) {
      process.stdout.write(`compact ${round}\n`);
      await runCompact(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
      process.stdout.write(`compacted ${round}\n`);
    }
  }
}

runCrashChild(import.meta.url, main);
