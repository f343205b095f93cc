/**
 * Job process for backup-crash.test.ts, which kills it with SIGKILL at a random moment.
 *
 *   node --import tsx crash-child.ts backup|restore <data dir> <backup folder>
 *
 * Opens the data directory, prints "ready", runs the backup into (or the restore from) the folder
 * printing "phase <name>" as the job reports, then "done <ms>".
 */
import { Engine } from '../../engine';
import { runBackup } from '../backup-job';
import { runRestore } from '../restore-job';

const [mode, dataDir, folder] = process.argv.slice(2);
if ((mode !== 'backup' && mode !== 'restore') || !dataDir || !folder) {
  console.error('usage: crash-child.ts backup|restore <data dir> <folder>');
  process.exit(2);
}
const engine = Engine.openDataDir(dataDir);
let phase = '';
const ctx = {
  signal: new AbortController().signal,
  report: (p: { phase: string }) => {
    if (p.phase !== phase) {
      phase = p.phase;
      process.stdout.write(`phase ${phase}\n`);
    }
  },
};
process.stdout.write('ready\n');
const started = performance.now();
if (mode === 'backup') await runBackup(engine, { folder }, ctx);
else await runRestore(engine, { folder }, ctx);
process.stdout.write(`done ${Math.round(performance.now() - started)}\n`);
engine.close();
