/**
 * A CLI process for cli-crash.test.ts, which kills it with SIGKILL at random moments:
 *
 *   node --import tsx cli-crash-child.ts --data-dir <dir> <command> [arguments]
 *
 * Runs the CLI's main() exactly as `npm run cli` does (main.ts), and prints on stdout "start" before
 * it, "phase <name>" each time its job's progress enters a new phase, and "exit <code> <ms>" after.
 */
import { main } from '../run';

const started = performance.now();
let phase = '';
process.stdout.write('start\n');
const code = await main(process.argv.slice(2), {
  onProgress: (_label, p) => {
    if (p.phase === phase) return;
    phase = p.phase;
    process.stdout.write(`phase ${phase}\n`);
  },
});
process.stdout.write(`exit ${code} ${Math.round(performance.now() - started)}\n`);
process.exitCode = code;
