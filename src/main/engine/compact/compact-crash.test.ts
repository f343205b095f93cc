import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { readScopeManifest } from '../cold/scope-manifest';
import { Engine } from '../engine';
import { recoverFlush } from '../flush/flush-job';
import { testDataDir } from '../flush/testing/flush.test-support';
import { tid } from '../tables/testing.test-support';
import { describeExit, runKillableChild } from '../testing/kill-child.test-support';
import { recoverCompact } from './compact-recovery';
import { ROWS, TABLE } from './testing/compact-crash-child';

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

/** Runs the child and SIGKILLs it `delayMs` after "ready"; returns its output lines. */
async function runAndKill(delayMs: number): Promise<string[]> {
  const run = await runKillableChild(CHILD, [data.dir], { armWhen: (out) => /^ready$/m.test(out), killAfterMs: delayMs, timeoutMs: 30_000 });
  if (!run.killed || run.signal !== 'SIGKILL') throw new Error(describeExit(run));
  return run.stdout.trim().split('\n');
}

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

function checkRecovered(): number {
  const engine = Engine.openDataDir(data.dir);
  try {
    recoverFlush(engine);
    recoverCompact(engine);
    expect(engine.backend.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const store = engine.data.shared(tid(TABLE));
    const ids = [...store.scanRows(SYSTEM_SUBJECT)].map(([, row]) => {
      expect(String(row.title)).toMatch((row.id as number) > ROWS ? /^extra$/ : new RegExp(`^r${String(row.id)}-\\d+$`));
      return row.id as number;
    });
    // Every row exactly once: ids 1 … ROWS in order, then one extra row.
    expect(ids.slice(0, ROWS)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(ids.length).toBe(ROWS + 1);
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(ROWS + 1);
    expect(store.getRow(SYSTEM_SUBJECT, ROWS)?.id).toBe(ROWS);

    const storage = join(data.dir, 'storage');
    const files = allFiles(storage).map((f) => relative(storage, f).split('\\').join('/'));
    expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.kalam-flush/'))).toEqual([]);
    const entries = [...engine.system.manifest.segmentsOf(tid(TABLE))];
    expect(files.filter((f) => f.endsWith('.parquet')).sort()).toEqual(entries.map((e) => e.file_path).sort());
    expect(readScopeManifest(join(storage, 'app/crash'))?.segments.map((s) => s.batch) ?? []).toEqual(entries.map((e) => e.batch));
    return entries.length;
  } finally {
    engine.close();
  }
}

function killDelays(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 150 + Math.round((1800 * i) / Math.max(1, n - 1) + (Math.random() - 0.5) * 100));
}

describe('compaction crash safety (SIGKILL while compacting)', () => {
  it(`recovers every interrupted compaction (${TRIALS} random kills)`, async () => {
    const delays = killDelays(TRIALS).sort(() => Math.random() - 0.5);
    const outputs: string[][] = [];
    for (const delay of delays) {
      outputs.push(await runAndKill(Math.max(20, delay)));
      checkRecovered();
    }
    // Not vacuous: compactions ran, and (in a long run) kills landed inside them.
    expect(outputs.flat().some((l) => l.startsWith('compacted '))).toBe(true);
    if (TRIALS >= 20) expect(outputs.filter((o) => o.at(-1)?.startsWith('compact ')).length).toBeGreaterThan(0);
  }, Math.max(120_000, TRIALS * 30_000));
});
