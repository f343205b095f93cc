import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableIdKey } from '../../../shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../access/subject';
import type { Engine } from '../engine';
import { describeExit, runKillableChild } from '../testing/kill-child.test-support';
import { runBackup } from './backup-job';
import { recoverBackupRestore } from './cleanup-journal';
import { checkBackup } from './backup-check';
import { referencedPaths } from './storage-files';
import { addSegment, ARCHIVE, ensureTables, fingerprint, openDataDir, SHARED, testContext } from './testing.test-support';

/**
 * Kills a process running a backup or a restore with SIGKILL at random moments, then reopens the
 * data directory and runs startup recovery: the database passes its integrity check, its content
 * is wholly the old or wholly the restored one, a backup folder is complete or absent, and no
 * temporary file or folder is left. CRASH_TRIALS=n runs n kills per job kind (3 in the normal run).
 */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 3);
const CHILD = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'kalam-backup-crash-'));
/** Trials run in this one path (a copy of the template each time): storages record absolute paths. */
const trialDir = join(root, 'trial');
const templateDir = join(root, 'template');
const backupDir = join(root, 'backup');
let oldPrint = '';
let newPrint = '';

function bigRows(engine: Engine, from: number, n: number, tag: string): void {
  const store = engine.data.shared(TableIdKey.parse(SHARED));
  for (let i = 0; i < n; i += 1000) {
    store.insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ id: from + i + j, body: `${tag} ${randomBytes(500).toString('hex')}` })),
    );
  }
}

beforeAll(async () => {
  // The state at backup time ("old"), the backup, then changes ("new"): the template of every trial.
  const engine = openDataDir(trialDir);
  ensureTables(engine);
  bigRows(engine, 0, 5000, 'old');
  for (let b = 0; b < 3; b++) await addSegment(engine, ARCHIVE, b, randomBytes(500_000).toString('hex'));
  oldPrint = fingerprint(engine);
  await runBackup(engine, { folder: backupDir }, testContext());
  bigRows(engine, 100_000, 1000, 'new');
  engine.data.shared(TableIdKey.parse(SHARED)).deleteRow(SYSTEM_SUBJECT, 7);
  // Batch 0 replaced by a different file of the same name (a restore must put the old one beside it).
  const zero = [...engine.system.manifest.scan()][0]![1];
  engine.system.manifest.delete(engine.system.manifest.keyOf(zero));
  await addSegment(engine, ARCHIVE, 0, 'a different batch zero');
  await addSegment(engine, ARCHIVE, 3, randomBytes(200_000).toString('hex'));
  newPrint = fingerprint(engine);
  engine.close();
  cpSync(trialDir, templateDir, { recursive: true });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function resetTrial(): void {
  rmSync(trialDir, { recursive: true, force: true });
  cpSync(templateDir, trialDir, { recursive: true });
}

interface Run {
  readonly killed: boolean;
  readonly phase: string;
  readonly ms: number | undefined;
}

/** Runs the child; SIGKILLs it `delayMs` after "ready" (never, for undefined). */
async function runChild(mode: 'backup' | 'restore', folder: string, delayMs: number | undefined): Promise<Run> {
  const run = await runKillableChild(CHILD, [mode, trialDir, folder], { armWhen: (out) => /^ready$/m.test(out), killAfterMs: delayMs, timeoutMs: 60_000 });
  const done = /^done (\d+)$/m.exec(run.stdout);
  if (!done && !(run.killed && run.signal === 'SIGKILL')) throw new Error(describeExit(run, 'child failed'));
  const phases = [...run.stdout.matchAll(/^phase (.+)$/gm)].map((m) => m[1]!);
  return { killed: !done, phase: done ? 'done' : (phases[phases.length - 1] ?? 'starting'), ms: done ? Number(done[1]) : undefined };
}

/** Every file under dir, relative, except the flush helper's own bookkeeping. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { isFile(): boolean; parentPath: string; name: string }[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Reopens the trial data directory, recovers, and checks what every trial must hold; returns the fingerprint. */
async function recoverAndCheck(): Promise<string> {
  const engine = openDataDir(trialDir);
  try {
    await recoverBackupRestore(engine);
    expect(engine.backend.integrityCheck()).toEqual(['ok']);
    expect(readdirSync(trialDir).filter((n) => n.startsWith('restore-staging'))).toEqual([]);
    expect(readdirSync(root).filter((n) => n.includes('.partial-'))).toEqual([]);
    const referenced = new Set([...referencedPaths(engine.system)].map((p) => relative(join(trialDir, 'storage'), p)));
    const stray = filesUnder(join(trialDir, 'storage')).filter((f) => !referenced.has(f) && !f.endsWith('manifest.json'));
    expect(stray, 'files no segment references (temporary or orphaned)').toEqual([]);
    return fingerprint(engine);
  } finally {
    engine.close();
  }
}

/** Kill delays spread evenly over [0, span] in random order. */
function delays(n: number, span: number): number[] {
  const out = Array.from({ length: n }, (_, i) => Math.round((span * (i + 0.5)) / n));
  return out.sort(() => Math.random() - 0.5);
}

describe('crash safety of backup and restore (SIGKILL at random points)', () => {
  it(
    `restore: old or restored data, whole, after ${TRIALS} kills`,
    async () => {
      resetTrial();
      const full = await runChild('restore', backupDir, undefined);
      expect(await recoverAndCheck()).toBe(oldPrint);
      const phases = new Map<string, number>();
      let restored = 0;
      for (const delay of delays(TRIALS, (full.ms ?? 1000) * 1.1)) {
        resetTrial();
        const run = await runChild('restore', backupDir, delay);
        phases.set(run.phase, (phases.get(run.phase) ?? 0) + 1);
        const print = await recoverAndCheck();
        expect([oldPrint, newPrint], `killed during "${run.phase}" after ${delay} ms`).toContain(print);
        if (print === oldPrint) restored++;
        // Before the swap nothing may have changed.
        if (['verifying', 'checking', 'checking files', 'placing files'].includes(run.phase) && run.killed) expect(print).toBe(newPrint);
      }
      console.info(`restore kills by phase: ${JSON.stringify(Object.fromEntries(phases))}; restored in ${restored}`);
    },
    Math.max(60_000, (TRIALS + 1) * 25_000),
  );

  it(
    `backup: a complete backup or none, after ${TRIALS} kills`,
    async () => {
      resetTrial();
      const folder = join(root, 'out');
      const full = await runChild('backup', folder, undefined);
      rmSync(folder, { recursive: true, force: true });
      let complete = 0;
      for (const delay of delays(TRIALS, (full.ms ?? 1000) * 1.1)) {
        resetTrial();
        rmSync(folder, { recursive: true, force: true });
        await runChild('backup', folder, delay);
        expect(await recoverAndCheck()).toBe(newPrint);
        if (existsSync(folder)) {
          // A folder under the final name is complete: everything a restore checks passes (every checksum included).
          const engine = openDataDir(trialDir);
          try {
            expect((await checkBackup(engine, { folder }, testContext())).files).toBeGreaterThan(1);
          } finally {
            engine.close();
          }
          complete++;
        }
      }
      console.info(`backup: ${complete} of ${TRIALS} killed runs had finished`);
    },
    Math.max(60_000, (TRIALS + 1) * 25_000),
  );
});
