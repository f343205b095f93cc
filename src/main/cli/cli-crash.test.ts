import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableIdKey } from '../../shared/keys/table-id';
import { ACTIVE_JOB_STATUSES, type Job } from '../../shared/system/jobs';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import { runBackup } from '../engine/backup/backup-job';
import { BACKUP_MANIFEST } from '../engine/backup/backup-format';
import { CLEANUP_PARTITION } from '../engine/backup/cleanup-journal';
import { hashFile } from '../engine/backup/file-copy';
import { openBackup } from '../engine/backup/backup-check';
import { referencedPaths } from '../engine/backup/storage-files';
import { fingerprint, testContext } from '../engine/backup/testing.test-support';
import { Engine } from '../engine/engine';
import { runFlush } from '../engine/flush/flush-job';
import { describeExit, runKillableChild } from '../engine/testing/kill-child.test-support';
import { seedTable } from './seed';

/**
 * Crash trials of the CLI: a real CLI process (main() as `npm run cli` runs it) running a flush, a
 * compaction, a backup or a restore is killed with SIGKILL at a random moment of its life (opening,
 * recovering, running the job, recording its end). Then the same command runs again, as a plain
 * `npm run cli` process, and must succeed: its start recovers what the killed one left (its job row
 * failed as interrupted, journals, temporary files and folders) and runs the job. After it: exact
 * row counts, the database intact, no temporary file left, no job left active.
 * CRASH_TRIALS=n runs n kills per command (2 in the normal run; npm run crash:full runs 50).
 */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 2);
const CHILD = fileURLToPath(new URL('./testing/cli-crash-child.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TABLE = 'app.crash';
const ID = TableIdKey.parse(TABLE);
/** Rows per seeding round: each flush writes this many, a compaction merges rounds' segments. */
const ROUND = 15_000;
/** Rows per round of the backup and restore templates: enough for their copies to take a while. */
const BIG = 60_000;

const root = mkdtempSync(join(tmpdir(), 'kalam-cli-crash-'));
/** Every trial runs in this one path, a fresh copy of its command's template each time. */
const trialDir = join(root, 'trial');
const backupFolder = join(root, 'backup-out');
/** Where exports go (outside the data directory), and the file an import reads. */
const exportFolder = join(root, 'export-out');
const exportFile = join(exportFolder, 'crash.csv');
const importFile = join(root, 'import.csv');
/** Rows of the import file (ids after the seeded ones). */
const IMPORTED = 40_000;
const oldBackup = join(root, 'backup-old');
let oldPrint = '';

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function seed(engine: Engine, rows: number): Promise<void> {
  await seedTable(engine, { table: TABLE, rows, users: undefined }, testContext());
}

/** Builds a template in the trial path (storages keep absolute paths) and keeps a copy of it. */
async function template(name: string, build: (engine: Engine) => Promise<void>): Promise<void> {
  rmSync(trialDir, { recursive: true, force: true });
  const engine = Engine.openDataDir(trialDir);
  try {
    await build(engine);
  } finally {
    engine.close();
  }
  cpSync(trialDir, join(root, `template-${name}`), { recursive: true });
}

function reset(name: string): void {
  rmSync(trialDir, { recursive: true, force: true });
  rmSync(backupFolder, { recursive: true, force: true });
  rmSync(exportFolder, { recursive: true, force: true });
  mkdirSync(exportFolder, { recursive: true });
  cpSync(join(root, `template-${name}`), trialDir, { recursive: true });
}

beforeAll(async () => {
  // flush: two rounds of hot rows.
  await template('flush', (e) => seed(e, 2 * ROUND));
  // compact: four segments of one round each.
  await template('compact', async (e) => {
    for (let i = 0; i < 4; i++) {
      await seed(e, ROUND);
      await runFlush(e, { table: TABLE }, testContext());
    }
  });
  // backup: flushed and hot rows.
  await template('backup', async (e) => {
    await seed(e, BIG);
    await runFlush(e, { table: TABLE }, testContext());
    await seed(e, BIG);
  });
  // restore: a backup of the "old" state (a segment and hot rows), then more of both.
  await template('restore', async (e) => {
    await seed(e, BIG);
    await runFlush(e, { table: TABLE }, testContext());
    await seed(e, BIG / 2);
    oldPrint = fingerprint(e);
    await runBackup(e, { folder: oldBackup }, testContext());
    await seed(e, BIG);
    await runFlush(e, { table: TABLE }, testContext());
    await seed(e, 100);
  });
  // export: flushed and hot rows.
  await template('export', async (e) => {
    await seed(e, ROUND);
    await runFlush(e, { table: TABLE }, testContext());
    await seed(e, ROUND);
  });
  // import: seeded rows, and a file of new ones.
  await template('import', (e) => seed(e, ROUND));
  const lines = ['id,name,amount,created_at'];
  for (let i = 1; i <= IMPORTED; i++) lines.push(`${1_000_000 + i},imported ${i},${i},2024-01-01T00:00:00.000Z`);
  writeFileSync(importFile, lines.join('\n'));
}, 300_000);

interface Killed {
  /** The last job phase it printed, where it was before its job reported ("starting"), or "finished" (the kill came too late). */
  readonly phase: string;
  /** It ended by itself before the kill landed. */
  readonly finished: boolean;
}

async function runKilled(args: readonly string[], delayMs: number | undefined): Promise<Killed & { ms: number }> {
  const run = await runKillableChild(CHILD, ['--data-dir', trialDir, ...args], {
    armWhen: (out) => /^start$/m.test(out),
    killAfterMs: delayMs,
    timeoutMs: 120_000,
  });
  const exit = /^exit (\d+) (\d+)$/m.exec(run.stdout);
  if (exit && exit[1] !== '0') throw new Error(`the command failed before it was killed: ${describeExit(run)}`);
  if (!exit && !(run.killed && run.signal === 'SIGKILL')) throw new Error(describeExit(run, 'child failed'));
  const phases = [...run.stdout.matchAll(/^phase (.+)$/gm)].map((m) => m[1]!);
  return { phase: exit ? 'finished' : (phases.at(-1) ?? 'starting'), finished: exit !== null, ms: exit ? Number(exit[2]) : 0 };
}

/** The same command again, as `npm run cli` runs it: it must succeed. */
async function runAgain(args: readonly string[]): Promise<string> {
  const run = await runKillableChild(MAIN, ['--data-dir', trialDir, ...args], { armWhen: () => false, killAfterMs: undefined, timeoutMs: 120_000 });
  expect(run.code, `${args.join(' ')} after the kill: ${run.stderr}`).toBe(0);
  return run.stdout;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { isFile(): boolean; parentPath: string; name: string }[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * What every trial must leave after the second run: the database intact, no temporary file, journal,
 * staging or partial folder, no storage file that system.manifest does not reference, an empty
 * cleanup journal, and no job left active: the killed one failed as interrupted (or completed, if it
 * had finished), the second one completed.
 */
function expectClean(engine: Engine): Job[] {
  expect(engine.backend.integrityCheck()).toEqual(['ok']);
  expect(readdirSync(trialDir).filter((n) => n.startsWith('restore-staging') || n === 'locks')).toEqual([]);
  expect(readdirSync(root).filter((n) => n.includes('.partial-'))).toEqual([]);
  const storage = join(trialDir, 'storage');
  const referenced = new Set([...referencedPaths(engine.system)].map((p) => relative(storage, p)));
  const stray = filesUnder(storage).filter((f) => !referenced.has(f) && !f.endsWith('manifest.json'));
  expect(stray, 'files no segment references (temporary, journals or orphans)').toEqual([]);
  expect(engine.backend.count(CLEANUP_PARTITION)).toBe(0);
  const jobs = [...engine.system.jobs.scan()].map(([, j]) => j).sort((a, b) => a.created_at - b.created_at);
  expect(jobs.filter((j) => ACTIVE_JOB_STATUSES.has(j.status))).toEqual([]);
  expect(jobs.at(-1)?.status).toBe('completed');
  for (const j of jobs.slice(0, -1))
    expect([j.status, j.status === 'failed' ? j.error : null]).toEqual(j.status === 'failed' ? ['failed', 'interrupted'] : ['completed', null]);
  expect(jobs.length).toBeLessThanOrEqual(2);
  return jobs;
}

/** Visible rows of app.crash (hot and flushed), its hot rows, and its segments. */
function counts(engine: Engine): { rows: number; hot: number; segments: number } {
  const store = engine.data.open(ID);
  return {
    rows: engine.data.provider(ID).count(SYSTEM_SUBJECT),
    hot: engine.backend.count(store.partition),
    segments: [...engine.system.manifest.segmentsOf(ID)].length,
  };
}

async function expectCompleteBackup(folder: string, rows: number): Promise<void> {
  const { manifest } = await openBackup(folder, { instanceId: '', allowForeign: true });
  const table = manifest.tables.find((t) => t.table === TABLE);
  expect(table && table.hot_rows + table.cold_rows).toBe(rows);
  const m = JSON.parse(readFileSync(join(folder, BACKUP_MANIFEST), 'utf8')) as { files: { path: string; sha256: string }[] };
  for (const f of m.files) expect((await hashFile(join(folder, f.path))).sha256, f.path).toBe(f.sha256);
}

interface Trial {
  readonly name: string;
  /** The template it starts from (default: its name). */
  readonly template?: string;
  readonly args: readonly string[];
  /** Between the kill and the second run (a backup that had finished leaves a folder the second refuses). */
  readonly afterKill?: (killed: Killed) => Promise<void>;
  /** Checks the data directory after the second run, given its output. */
  readonly check: (engine: Engine, stdout: string) => Promise<void> | void;
}

/** An all-or-nothing import with one key-conflict policy (both let the second run succeed after a finished first one). */
function importTrial(onConflict: 'replace' | 'skip'): Trial {
  return {
    name: `import --on-conflict ${onConflict}`,
    template: 'import',
    args: ['import', TABLE, importFile, '--on-conflict', onConflict],
    // All or nothing: the table has its rows from before, or every imported row too, never some.
    afterKill: () => {
      const engine = Engine.openDataDir(trialDir);
      try {
        expect([ROUND, ROUND + IMPORTED]).toContain(counts(engine).rows);
      } finally {
        engine.close();
      }
      return Promise.resolve();
    },
    check: (engine, stdout) => {
      expect(stdout).toMatch(/^imported [\d,]+ rows into app\.crash/);
      expect(counts(engine).rows).toBe(ROUND + IMPORTED);
      expect(filesUnder(join(trialDir, 'import-reports')).filter((f) => f.endsWith('.spool'))).toEqual([]);
    },
  };
}

const trials: Trial[] = [
  {
    name: 'flush',
    args: ['flush', TABLE],
    check: (engine, stdout) => {
      expect(stdout).toMatch(/^flushed app\.crash: [\d,]+ rows/);
      expect(counts(engine)).toMatchObject({ rows: 2 * ROUND, hot: 0 });
      const cold = [...engine.system.manifest.segmentsOf(ID)].reduce((n, s) => n + s.row_count, 0);
      expect(cold).toBe(2 * ROUND);
    },
  },
  {
    name: 'compact',
    args: ['compact', TABLE],
    check: (engine, stdout) => {
      expect(stdout).toMatch(/^(compacted app\.crash: \d+ segments into 1, 60,000 rows|nothing to compact in app\.crash)/);
      expect(counts(engine)).toEqual({ rows: 4 * ROUND, hot: 0, segments: 1 });
    },
  },
  {
    name: 'backup',
    args: ['backup', backupFolder],
    afterKill: async (killed) => {
      if (!existsSync(backupFolder)) return;
      // Killed after the rename: the folder is whole. The next run into it would be refused as not empty.
      await expectCompleteBackup(backupFolder, 2 * BIG);
      expect(killed.phase).not.toBe('starting');
      rmSync(backupFolder, { recursive: true, force: true });
    },
    check: async (engine, stdout) => {
      expect(stdout).toMatch(/^backed up \d+ files? /);
      expect(counts(engine)).toMatchObject({ rows: 2 * BIG });
      await expectCompleteBackup(backupFolder, 2 * BIG);
    },
  },
  {
    name: 'export',
    args: ['export', TABLE, exportFile],
    // Nothing unfinished under the final name: absent, or every row.
    afterKill: () => {
      if (existsSync(exportFile)) expect(readFileSync(exportFile, 'utf8').split('\r\n').length).toBe(2 * ROUND + 2);
      return Promise.resolve();
    },
    check: (_engine, stdout) => {
      expect(stdout).toMatch(/^exported 30,000 rows of app\.crash/);
      // The killed run's temporary file was removed by the next run's recovery.
      expect(readdirSync(exportFolder)).toEqual(['crash.csv']);
      expect(readFileSync(exportFile, 'utf8').split('\r\n').length).toBe(2 * ROUND + 2);
    },
  },
  {
    // A query's result through the same export path: the console's paging on the job's own query connection.
    name: 'export --sql',
    template: 'export',
    args: ['export', '--sql', `SELECT * FROM ${TABLE} ORDER BY id`, exportFile],
    afterKill: () => {
      if (existsSync(exportFile)) expect(readFileSync(exportFile, 'utf8').split('\r\n').length).toBe(2 * ROUND + 2);
      return Promise.resolve();
    },
    check: (_engine, stdout) => {
      expect(stdout).toMatch(/^exported 30,000 rows of the query/);
      expect(readdirSync(exportFolder)).toEqual(['crash.csv']);
      expect(readFileSync(exportFile, 'utf8').split('\r\n').length).toBe(2 * ROUND + 2);
    },
  },
  // replace writes row by row; skip writes new rows in batches (a savepoint each) inside the one transaction.
  importTrial('replace'),
  importTrial('skip'),
  {
    name: 'restore',
    args: ['restore', oldBackup],
    check: (engine, stdout) => {
      expect(stdout).toMatch(/^restored the backup of /);
      expect(fingerprint(engine)).toBe(oldPrint);
      expect(counts(engine)).toMatchObject({ rows: BIG + BIG / 2, hot: BIG / 2, segments: 1 });
    },
  },
];

/** Kill delays spread evenly over [0, span] in random order. */
function delays(n: number, span: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round((span * (i + 0.5)) / n)).sort(() => Math.random() - 0.5);
}

describe('CLI commands killed with SIGKILL at random points never block the next run', () => {
  it.each(trials)(
    `$name: the next run succeeds with exact counts and nothing left over (${TRIALS} kills)`,
    async (trial) => {
      // Full runs set the span the kills are spread over: the faster of two (the first one warms the caches).
      let fullMs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 2; i++) {
        reset(trial.template ?? trial.name);
        const full = await runKilled(trial.args, undefined);
        expect(full.finished).toBe(true);
        fullMs = Math.min(fullMs, full.ms);
      }
      const phases = new Map<string, number>();
      for (const delay of delays(TRIALS, fullMs * 1.1)) {
        reset(trial.template ?? trial.name);
        const killed = await runKilled(trial.args, delay);
        phases.set(killed.phase, (phases.get(killed.phase) ?? 0) + 1);
        await trial.afterKill?.(killed);
        const stdout = await runAgain(trial.args);
        const engine = Engine.openDataDir(trialDir);
        try {
          const jobs = expectClean(engine);
          if (!killed.finished && killed.phase !== 'starting') expect(jobs.length, `killed during "${killed.phase}"`).toBe(2);
          await trial.check(engine, stdout);
        } finally {
          engine.close();
        }
      }
      console.info(`cli ${trial.name}: a full run took ${fullMs} ms; ${TRIALS} kills by phase: ${JSON.stringify(Object.fromEntries(phases))}`);
    },
    Math.max(180_000, TRIALS * 45_000),
  );
});
