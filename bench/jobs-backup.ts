/**
 * Backup and restore of a ~500 MB database (50 MB with --quick), in MB/s of database bytes.
 *
 * The database is built once per run in a temp dir: a real data directory whose extra partition
 * gets large rows (8 KiB values) through raw batched INSERTs, which is what backup and restore
 * copy regardless of what the rows mean. Backup: runBackup (online backup API in 4 MiB steps,
 * then SHA-256 of the snapshot, row counts, manifest). Restore: runRestore of that backup after
 * the live rows changed (copy to staging with SHA-256 check, integrity_check, row counts, then one
 * transaction replacing every partition while the engine stays open).
 *
 * Baseline: a plain copy of the same database file (copyFileSync), i.e. what the disk gives;
 * ratio = our time / the copy's time. Reported, not judged: the jobs do more than copy by design
 * (checksums, integrity check, the transactional swap writes the data through SQLite's WAL).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackup } from '../src/main/engine/backup/backup-job';
import { runRestore } from '../src/main/engine/backup/restore-job';
import { Engine } from '../src/main/engine/engine';
import type { JobContext } from '../src/main/engine/jobs/job-context';
import { type JudgedFigure, round } from './lib/figures';
import type { BenchContext } from './lib/suite';

const PARTITION = 'bench.blobs';
const VALUE_BYTES = 8192;
const BATCH = 1000;

const ctxFor = (): JobContext => ({ signal: new AbortController().signal, report: () => {} });
const mb = (bytes: number) => bytes / 1024 / 1024;

function fill(engine: Engine, bytes: number): number {
  engine.backend.createPartition(PARTITION);
  const insert = engine.backend.db.prepare(`INSERT INTO "p_${PARTITION}" (k, v) VALUES (?, ?)`);
  const value = Buffer.alloc(VALUE_BYTES);
  const rows = Math.ceil(bytes / VALUE_BYTES);
  const batch = engine.backend.db.transaction((from: number, n: number) => {
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
  engine.backend.db.pragma('wal_checkpoint(TRUNCATE)');
  return rows;
}

export async function run(ctx: BenchContext): Promise<JudgedFigure[]> {
  const target = (ctx.quick ? 50 : 500) * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-backup-'));
  try {
    const dataDir = join(dir, 'data');
    const engine = Engine.openDataDir(dataDir);
    const rows = fill(engine, target);
    const dbFile = join(dataDir, 'kalam.sqlite');
    const dbBytes = statSync(dbFile).size;
    ctx.log(`jobs: built a ${mb(dbBytes).toFixed(0)} MB database (${rows.toLocaleString('en-US')} rows of ${VALUE_BYTES} bytes)`);

    let t = performance.now();
    copyFileSync(dbFile, join(dir, 'plain-copy.sqlite'));
    const copySeconds = (performance.now() - t) / 1000;
    rmSync(join(dir, 'plain-copy.sqlite'));

    t = performance.now();
    const backup = await runBackup(engine, { folder: join(dir, 'backup') }, ctxFor());
    const backupSeconds = (performance.now() - t) / 1000;

    // Change the live data so the restore has something to replace.
    engine.backend.db.exec(`DELETE FROM "p_${PARTITION}" WHERE k < x'0000000000000100'`);
    t = performance.now();
    await runRestore(engine, { folder: backup.folder }, ctxFor());
    const restoreSeconds = (performance.now() - t) / 1000;
    if (engine.backend.count(PARTITION) !== rows) throw new Error('restore bench: the restored row count is wrong');
    engine.close();

    const copyRate = mb(dbBytes) / copySeconds;
    const figure = (name: string, seconds: number): JudgedFigure => {
      const rate = mb(dbBytes) / seconds;
      return { name, value: round(rate, 1), unit: 'MB/s', baseline: round(copyRate, 1), ratio: round(copyRate / rate, 2) };
    };
    return [
      figure(`backup of a ${mb(dbBytes).toFixed(0)} MB database (online backup API + SHA-256 + manifest)`, backupSeconds),
      figure(`restore of a ${mb(dbBytes).toFixed(0)} MB database (staging + checks + transactional swap)`, restoreSeconds),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
