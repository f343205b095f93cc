/**
 * The test side of the flush and compaction crash tests: runs a crash child (see crash-table.ts)
 * until a SIGKILL, picks the kill moments, and checks what recovery left behind.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { readScopeManifest } from '../cold/scope-manifest';
import type { Engine } from '../engine';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import { tid } from '../tables/testing.test-support';
import { ROWS, TABLE } from './crash-table';
import { describeExit, runKillableChild } from './kill-child.test-support';

/** Runs the child on `dataDir` and SIGKILLs it `delayMs` after "ready"; returns its output lines. */
export async function runChildUntilKilled(child: string, dataDir: string, delayMs: number): Promise<string[]> {
  const run = await runKillableChild(child, [dataDir], { armWhen: (out) => /^ready$/m.test(out), killAfterMs: delayMs, timeoutMs: 30_000 });
  if (!run.killed || run.signal !== 'SIGKILL') throw new Error(describeExit(run));
  return run.stdout.trim().split('\n');
}

/** `n` kill delays spread over `firstMs` … `firstMs + spanMs` (±50 ms of jitter), in random order. */
export function killDelays(n: number, firstMs: number, spanMs: number): number[] {
  return Array.from({ length: n }, (_, i) => firstMs + Math.round((spanMs * i) / Math.max(1, n - 1) + (Math.random() - 0.5) * 100)).sort(
    () => Math.random() - 0.5,
  );
}

/** The database intact and app.crash readable as ids 1 … ROWS, each exactly once, then one extra row. */
export function expectCrashTableIntact(engine: Engine): { store: SharedTableStore; ids: number[] } {
  expect(engine.backend.integrityCheck()).toEqual(['ok']);
  const store = engine.data.shared(tid(TABLE));
  const ids = [...store.scanRows(SYSTEM_SUBJECT)].map(([, row]) => {
    expect(String(row.title)).toMatch((row.id as number) > ROWS ? /^extra$/ : new RegExp(`^r${String(row.id)}-\\d+$`));
    return row.id as number;
  });
  expect(ids.slice(0, ROWS)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  expect(ids.length).toBe(ROWS + 1);
  expect(store.countRows(SYSTEM_SUBJECT)).toBe(ROWS + 1);
  return { store, ids };
}

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/**
 * Nothing temporary and no journal left under the storage folder, and its Parquet files,
 * manifest.json and system.manifest in agreement about app.crash. Returns the segment count.
 */
export function expectStorageAgrees(engine: Engine, dataDir: string): number {
  const storage = join(dataDir, 'storage');
  const files = allFiles(storage).map((f) => relative(storage, f).split('\\').join('/'));
  expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.kalam-flush/'))).toEqual([]);
  const entries = [...engine.system.manifest.segmentsOf(tid(TABLE))];
  expect(files.filter((f) => f.endsWith('.parquet')).sort()).toEqual(entries.map((e) => e.file_path).sort());
  expect(readScopeManifest(join(storage, 'app/crash'))?.segments.map((s) => s.batch) ?? []).toEqual(entries.map((e) => e.batch));
  return entries.length;
}
