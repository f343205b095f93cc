/**
 * Backup and restore of a ~500 MB database (50 MB with --quick), in MB/s of database bytes.
 *
 * The database is built once per run in a temp dir: a real data directory whose extra partition
 * gets large rows (8 KiB values) through raw batched INSERTs, which is what backup and restore
 * copy regardless of what the rows mean. Backup: runBackup (the snapshot of SqliteBackend.snapshotTo,
 * 4,096-page backup steps inside one read transaction of its own connection, then SHA-256 of the
 * snapshot, row counts, manifest), measured with no other writer and while another process commits
 * a row every 10 ms (src/main/engine/backup/testing/writer-child.ts: writes that made SQLite's
 * online backup start over forever before). Restore: runRestore of that backup after the live rows
 * changed (copy to staging with SHA-256 check, integrity_check, row counts, then one transaction
 * replacing every partition while the engine stays open).
 *
 * Baseline: a plain copy of the same database file (copyFileSync), i.e. what the disk gives;
 * ratio = our time / the copy's time. The backup figures are paired (pairedFigure) over ROUNDS
 * rounds, each round a copy, an idle backup and a backup beside the writer back to back; the
 * restore runs once, against the copies' median. Reported, not judged: the jobs do more than copy
 * by design (checksums, integrity check, the transactional swap writes the data through SQLite's WAL).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackup } from '../src/main/engine/backup/backup-job';
import { runRestore } from '../src/main/engine/backup/restore-job';
import { Engine } from '../src/main/engine/engine';
import { WRITER_COUNTER, WRITER_ROWS } from '../src/main/engine/backup/testing/writer-layout';
import type { JobContext } from '../src/main/engine/jobs/job-context';
import { partitionTable } from '../src/main/engine/storage/sqlite/sqlite-names';
import { type Figure, pairedFigure, summaryFigure } from './lib/figures';
import { connectionOf } from './lib/raw-sqlite';
import type { BenchContext } from './lib/suite';

const PARTITION = 'bench.blobs';
const VALUE_BYTES = 8192;
const BATCH = 1000;

const ROUNDS = 3;
const WRITE_EVERY_MS = 10;
const WRITER = join(import.meta.dirname, '../src/main/engine/backup/testing/writer-child.ts');

const ctxFor = (): JobContext => ({ signal: new AbortController().signal, report: () => {} });
const mb = (bytes: number) => bytes / 1024 / 1024;
// Backups and restores are timed on the wall clock (performance.now), whatever the bench's clock:
// their work is mostly I/O, which a CPU clock would not see.

function fill(engine: Engine, bytes: number): number {
  engine.backend.createPartition(PARTITION);
  const insert = connectionOf(engine.backend).prepare(`INSERT INTO ${partitionTable(PARTITION)} (k, v) VALUES (?, ?)`);
  const value = Buffer.alloc(VALUE_BYTES);
  const rows = Math.ceil(bytes / VALUE_BYTES);
  const batch = connectionOf(engine.backend).transaction((from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      const key = Buffer.alloc(8);
      key.writeBigUInt64BE(BigInt(i));
      // Distinct content per row, so nothing compresses or dedupes into a misleadingly fast figure.
      value.writeUInt32LE(i, 0);
      value.writeDoubleLE(Math.random(), 8);
      insert.run(key, value);
    }
  });
  for (let i = 0; i < rows; i += BATCH) batch(i, Math.min(BATCH, rows - i));
  connectionOf(engine.backend).pragma('wal_checkpoint(TRUNCATE)');
  return rows;
}

/** Starts writer-child.ts on the database; resolves once it committed its first row. `stop()` resolves with its row count. */
function startWriter(databasePath: string): Promise<{ stop(): Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, databasePath, String(WRITE_EVERY_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n'))
        resolve({
          stop: async () => {
            child.stdin.end();
            await closed;
            return Number(/last (\d+)/.exec(out)?.[1] ?? Number.NaN);
          },
        });
    });
    void closed.then(() => reject(new Error('backup bench: the writer exited before writing')));
  });
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const target = (ctx.quick ? 50 : 500) * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-backup-'));
  try {
    const dataDir = join(dir, 'data');
    const engine = Engine.openDataDir(dataDir);
    const rows = fill(engine, target);
    const dbFile = join(dataDir, 'kalam.sqlite');
    const dbBytes = statSync(dbFile).size;
    ctx.log(`jobs: built a ${mb(dbBytes).toFixed(0)} MB database (${rows.toLocaleString('en-US')} rows of ${VALUE_BYTES} bytes)`);

    engine.backend.createPartition(WRITER_ROWS);
    engine.backend.createPartition(WRITER_COUNTER);
    const seconds = { copy: [] as number[], idle: [] as number[], writing: [] as number[] };
    let backup: Awaited<ReturnType<typeof runBackup>> | undefined;
    let t: number;
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      copyFileSync(dbFile, join(dir, 'plain-copy.sqlite'));
      seconds.copy.push((performance.now() - t) / 1000);
      rmSync(join(dir, 'plain-copy.sqlite'));

      if (backup) rmSync(backup.folder, { recursive: true, force: true });
      t = performance.now();
      backup = await runBackup(engine, { folder: join(dir, `backup-idle-${r}`) }, ctxFor());
      seconds.idle.push((performance.now() - t) / 1000);

      rmSync(backup.folder, { recursive: true, force: true });
      const writer = await startWriter(dbFile);
      t = performance.now();
      backup = await runBackup(engine, { folder: join(dir, `backup-writing-${r}`) }, ctxFor());
      seconds.writing.push((performance.now() - t) / 1000);
      const written = await writer.stop();
      ctx.log(
        `jobs: backup round ${r + 1}: copy ${seconds.copy[r]!.toFixed(2)} s, idle ${seconds.idle[r]!.toFixed(2)} s, beside the writer ${seconds.writing[r]!.toFixed(2)} s (${written} rows written)`,
      );
    }

    // Change the live data so the restore has something to replace.
    engine.backend.deleteRange(PARTITION, { lt: Buffer.from('0000000000000100', 'hex') });
    t = performance.now();
    await runRestore(engine, { folder: backup!.folder }, ctxFor());
    const restoreSeconds = (performance.now() - t) / 1000;
    if (engine.backend.count(PARTITION) !== rows) throw new Error('restore bench: the restored row count is wrong');
    engine.close();

    const rate = (secs: number) => mb(dbBytes) / secs;
    const copyRates = seconds.copy.map(rate);
    const backupFigure = (name: string, secs: number[]): Figure =>
      pairedFigure({
        name,
        unit: 'MB/s',
        better: 'higher',
        ours: secs.map(rate),
        baseline: copyRates,
        clock: 'wall',
        note: `${ROUNDS} rounds, each a plain copy of the database file and the backup, back to back`,
      });
    const size = `${mb(dbBytes).toFixed(0)} MB`;
    return [
      backupFigure(`backup of a ${size} database, no other writer (snapshot + SHA-256 + manifest; median of ${ROUNDS})`, seconds.idle),
      backupFigure(`backup of a ${size} database while another process commits a row every ${WRITE_EVERY_MS} ms (median of ${ROUNDS})`, seconds.writing),
      summaryFigure({
        name: `restore of a ${size} database (staging + checks + transactional swap)`,
        unit: 'MB/s',
        better: 'higher',
        statistic: 'single run',
        samples: [rate(restoreSeconds)],
        reference: { statistic: 'median', samples: copyRates },
        clock: 'wall',
        note: `one restore of the last backup, against the median of the rounds' plain copies`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
