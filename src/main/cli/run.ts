/**
 * The headless CLI: `npm run cli -- --data-dir <dir> <command>` (see CLI_USAGE and README, "CLI").
 * Progress goes to stderr as one updating line when it is a terminal, the one-line summary to
 * stdout; the exit status is 0 on success, 1 on failure (a message, no stack trace), 2 for a bad
 * command line and 130 when cancelled with Ctrl+C. main.ts is the entry; this module is the CLI.
 */
import type { JobProgress } from '../../shared/system/jobs';
import { Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { JobCancelledError } from '../engine/jobs/job-context';
import { defaultJobKinds } from '../engine/jobs/default-kinds';
import { CLI_USAGE, parseCliArgs, UsageError } from './cli-args';
import { CliJobs } from './cli-jobs';
import { runCommand } from './commands';
import { runSql } from './cli-sql';
import { ProgressLine } from './progress-line';
import { type LogFields, type Logger, silentLogger } from '../../shared/logger';

export interface CliHooks {
  /** Every progress event of the command's jobs, besides the terminal's line (the crash trials follow them). */
  readonly onProgress?: (label: string, progress: JobProgress) => void;
}

export async function main(argv: readonly string[], hooks: CliHooks = {}): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kalam cli: ${e.message}\n\n${CLI_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help || !args.command) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    // The first Ctrl+C cancels at the next batch (cleaning up); a second one quits at once.
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\ncancelling (Ctrl+C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const line = new ProgressLine();
  let engine: Engine | undefined;
  let jobs: CliJobs | undefined;
  try {
    // A secondary engine: it leaves the app's live subscriptions alone when both run.
    engine = Engine.openDataDir(args.dataDir, { secondary: true });
    if (args.command.name === 'sql') {
      // The console's engine behind the app's own services; they run and recover jobs themselves.
      const summary = await runSql(
        engine,
        args.dataDir,
        args.command,
        { print: (t) => process.stdout.write(`${t}\n`), note: (t) => process.stderr.write(`${t}\n`) },
        cliLogger,
      );
      if (args.command.format === 'table') process.stdout.write(`${summary}\n`);
      return 0;
    }
    // Every start recovers what dead processes (the app's or a CLI's) left, as the app does at its
    // start; a live process's jobs and files are left alone, so this is safe beside a running app.
    jobs = await CliJobs.start(engine, defaultJobKinds(), cliLogger);
    const summary = await runCommand(args.command, {
      engine,
      jobs,
      dataDir: args.dataDir,
      signal: controller.signal,
      progress: (label) => (p) => {
        line.update(label, p);
        hooks.onProgress?.(label, p);
      },
      note: (text) => {
        line.clear();
        if (line.enabled) process.stderr.write(`${text}\n`);
      },
      print: (text) => {
        line.clear();
        process.stdout.write(`${text}\n`);
      },
    });
    line.clear();
    process.stdout.write(`${summary}\n`);
    return 0;
  } catch (e) {
    line.clear();
    if (e instanceof JobCancelledError) {
      process.stderr.write('kalam cli: cancelled; partial output was removed\n');
      return 130;
    }
    const known = e instanceof EngineError || (e instanceof Error && ['CliError', 'StorageError', 'SqliteError', 'TransientJobError'].includes(e.name));
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`kalam cli: ${message}\n`);
    if (!known && process.env['KALAM_DEBUG']) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await jobs?.close();
    engine?.close();
  }
}

/**
 * The job manager's reports of the unexpected: a failed job already says why (its error is the
 * command's message), so only other problems (a recovery hook that failed) get a line on stderr.
 */
function reportProblem(message: string, fields: LogFields = {}): void {
  const error = fields['error'];
  if (process.env['KALAM_DEBUG']) process.stderr.write(`kalam cli: ${message}: ${(error as Error | undefined)?.stack ?? String(error)}\n`);
  else if (message !== 'job failed') process.stderr.write(`kalam cli: warning: ${message}${error instanceof Error ? `: ${error.message}` : ''}\n`);
}

/** The CLI's log: problems on stderr (see reportProblem); progress and summaries are its output, not log lines. */
const cliLogger: Logger = { ...silentLogger, warn: reportProblem, error: reportProblem };
