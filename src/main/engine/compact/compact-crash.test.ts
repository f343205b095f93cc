import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { Engine } from '../engine';
import { recoverFlush } from '../flush/flush-job';
import { testDataDir } from '../flush/testing/flush.test-support';
import { expectCrashTableIntact, expectStorageAgrees, killDelays, runChildUntilKilled } from '../testing/crash-check.test-support';
import { ROWS } from '../testing/crash-table';
import { recoverCompact } from './compact-recovery';

/**
 * Kills a process that flushes and compacts (SIGKILL at random moments: while merging, publishing
 * the merged file, committing, deleting the replaced files), then reopens the data directory and
 * recovers as the app does at startup. Every time: each row readable exactly once, the database
 * intact, no temporary file or journal left, files, manifest.json and system.manifest in agreement.
 * CRASH_TRIALS=n runs more kills than the 4 of the normal run (npm run crash:full runs 50).
 */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 4);
const CHILD = fileURLToPath(new URL('./testing/compact-crash-child.ts', import.meta.url));

const data = testDataDir();
afterAll(() => data.remove());

function checkRecovered(): number {
  const engine = Engine.openDataDir(data.dir);
  try {
    recoverFlush(engine);
    recoverCompact(engine);
    const { store } = expectCrashTableIntact(engine);
    expect(store.getRow(SYSTEM_SUBJECT, ROWS)?.id).toBe(ROWS);
    return expectStorageAgrees(engine, data.dir);
  } finally {
    engine.close();
  }
}

describe('compaction crash safety (SIGKILL while compacting)', () => {
  it(
    `recovers every interrupted compaction (${TRIALS} random kills)`,
    async () => {
      const outputs: string[][] = [];
      for (const delay of killDelays(TRIALS, 150, 1800)) {
        outputs.push(await runChildUntilKilled(CHILD, data.dir, Math.max(20, delay)));
        checkRecovered();
      }
      // Not vacuous: compactions ran, and (in a long run) kills landed inside them.
      expect(outputs.flat().some((l) => l.startsWith('compacted '))).toBe(true);
      if (TRIALS >= 20) expect(outputs.filter((o) => o.at(-1)?.startsWith('compact ')).length).toBeGreaterThan(0);
    },
    Math.max(120_000, TRIALS * 30_000),
  );
});
