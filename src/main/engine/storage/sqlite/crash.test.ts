import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTuple, encodeTuple } from '../../../../shared/keys/tuple';
import { verifyIndex } from '../../index/index-maintenance';
import { describeExit, runKillableChild } from '../../testing/kill-child.test-support';
import { SqliteBackend } from './sqlite-backend';
import {
  batchPrefix,
  ENTITIES_PER_BATCH,
  entityId,
  MARKER_PARTITION,
  MARKERS_PREFIX,
  openCrashStore,
  PARTITIONS,
  rowKey,
  ROWS_PER_PARTITION,
} from './testing/crash-child';

/**
 * Kills a writer with SIGKILL in the middle of large multi-partition transactions and checks that
 * SQLite (WAL, synchronous NORMAL) recovers every batch whole or not at all. CRASH_TRIALS=n runs
 * more random kills than the 5 of the normal run.
 */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 5);
const CHILD = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'kalam-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Distinct kill delays spread over ~50–600 ms, in random order, with a little jitter. */
function killDelays(n: number): number[] {
  const slots = Array.from({ length: n }, (_, i) => 50 + Math.round((550 * i) / Math.max(1, n - 1)));
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots.map((d) => Math.max(40, d + Math.round((Math.random() - 0.5) * 40)));
}

interface Run {
  /** The batch the child started at (complete batches found on open). */
  startBatch: number;
  /** The last "begin N" / "commit N" line before the kill. */
  lastLine: string;
}

/**
 * Starts the writer, waits for "ready" (or, with afterCommit, for its first committed batch), lets
 * it run for delayMs more, then SIGKILLs it.
 */
async function runAndKill(dbPath: string, delayMs: number, afterCommit = false): Promise<Run> {
  const run = await runKillableChild(CHILD, [dbPath], {
    armWhen: (out) => /^ready \d+$/m.test(out) && (!afterCommit || /^commit \d+$/m.test(out)),
    killAfterMs: delayMs,
    timeoutMs: 15_000,
  });
  const ready = /^ready (\d+)$/m.exec(run.stdout);
  if (!run.killed || run.signal !== 'SIGKILL' || !ready) throw new Error(describeExit(run));
  const lines = run.stdout.trim().split('\n');
  return { startBatch: Number(ready[1]), lastLine: lines[lines.length - 1] ?? '' };
}

/** Checks the database after a crash; returns the complete batch numbers. */
function checkRecovered(dbPath: string): number[] {
  const backend = new SqliteBackend(dbPath);
  try {
    expect(backend.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(backend.listPartitions()).toEqual(expect.arrayContaining([...PARTITIONS, 'entities', 'entities.idx.email']));

    const markers = [...backend.scan(MARKER_PARTITION, { prefix: MARKERS_PREFIX })].map(([k, v]) => {
      const n = Number(Buffer.from(v).toString());
      expect(decodeTuple(k)).toEqual(['marker', `batch-${n}-complete`]);
      return n;
    });
    const batches = [...markers].sort((a, b) => a - b);
    // Batches commit in order, so the complete ones are 0 … n-1.
    expect(batches).toEqual(batches.map((_, i) => i));

    for (const partition of PARTITIONS) {
      // Every committed batch is whole in both partitions …
      for (const n of batches) expect(backend.count(partition, { prefix: batchPrefix(n) }), `${partition} batch ${n}`).toBe(ROWS_PER_PARTITION);
      // … and there is no row of any other batch (a partial one) anywhere.
      const rows = backend.count(partition, { prefix: encodeTuple(['row']) });
      expect(rows, `${partition} rows`).toBe(batches.length * ROWS_PER_PARTITION);
      expect(backend.count(partition, { prefix: batchPrefix(batches.length) })).toBe(0);
    }
    const total = (p: string) => backend.stats(p).rows;
    expect(total('q')).toBe(batches.length * ROWS_PER_PARTITION);
    expect(total('p')).toBe(batches.length * (ROWS_PER_PARTITION + 1));

    // The newest batch, row by row: keys and values intact.
    const last = batches[batches.length - 1];
    if (last !== undefined) {
      for (const partition of PARTITIONS) {
        let i = 0;
        const bad: number[] = []; // collected, not expect()ed per row: 20,000 expects cost a second
        for (const [k, v] of backend.scan(partition, { prefix: batchPrefix(last) })) {
          if (!Buffer.from(k).equals(rowKey(last, i)) || !Buffer.from(v).toString().startsWith(`${last}:${i}:`)) bad.push(i);
          i++;
        }
        expect(bad, `${partition}: rows of batch ${last} with a wrong key or value`).toEqual([]);
        expect(i).toBe(ROWS_PER_PARTITION);
      }
    }

    // Entities and their unique index were in the same transactions.
    const store = openCrashStore(backend);
    expect(store.count()).toBe(batches.length * ENTITIES_PER_BATCH);
    for (const n of batches) {
      expect(store.count({ prefix: encodeTuple([`e-${n}-`]).slice(0, -1) }), `entities of batch ${n}`).toBe(ENTITIES_PER_BATCH);
    }
    if (last !== undefined) expect(store.getBy('email', [`${entityId(last, 0)}@example.com`])?.[1].batch).toBe(last);
    const report = verifyIndex(store, store.index('email'));
    expect(report).toMatchObject({
      entities: batches.length * ENTITIES_PER_BATCH,
      entries: batches.length * ENTITIES_PER_BATCH,
      missing: [],
      orphaned: [],
      wrong: [],
    });
    return batches;
  } finally {
    backend.close();
  }
}

describe('crash safety (SIGKILL during large batches)', () => {
  it(
    `every batch survives whole or not at all (${TRIALS} random kills + 1 after a commit)`,
    async () => {
      const dbPath = join(dir, 'crash.sqlite');
      // TRIALS kills at random moments after start; then one after a committed batch, so that the
      // test has committed data to check even on a machine too slow to finish a batch in 600 ms.
      const trials = [
        ...killDelays(TRIALS).map((delay) => ({ delay, afterCommit: false })),
        { delay: 20 + Math.round(Math.random() * 150), afterCommit: true },
      ];
      let complete: number[] = [];
      let midBatchKills = 0;
      for (const { delay, afterCommit } of trials) {
        const run = await runAndKill(dbPath, delay, afterCommit);
        // The child resumes after the batches the last check saw: nothing committed was lost.
        expect(run.startBatch, `trial with delay ${delay} ms`).toBe(complete.length);
        const after = checkRecovered(dbPath);
        expect(after.length).toBeGreaterThanOrEqual(complete.length);

        const begun = /^begin (\d+)$/.exec(run.lastLine);
        if (begun) {
          // Killed inside batch N's transaction (or between its commit and the "commit" line).
          midBatchKills++;
          const n = Number(begun[1]);
          expect(after.length === n || after.length === n + 1, `batch ${n} whole or absent, found ${after.length} batches`).toBe(true);
        } else {
          const committed = /^commit (\d+)$/.exec(run.lastLine);
          if (committed) expect(after.length).toBe(Number(committed[1]) + 1);
        }
        complete = after;
      }
      // Not vacuous: batches were written, and kills landed inside transactions.
      expect(complete.length).toBeGreaterThan(0);
      expect(midBatchKills).toBeGreaterThan(0);
    },
    Math.max(60_000, (TRIALS + 1) * 6_000),
  );
});
