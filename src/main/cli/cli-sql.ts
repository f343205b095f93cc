import { readFileSync } from 'node:fs';
import type { JobId } from '../../shared/keys/job-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import type { Logger } from '../../shared/logger';
import { csvFieldWriter } from '../../shared/csv-field';
import type { SqlCell, SqlColumn, SqlError, SqlOutcome } from '../../shared/sql/sql-results';
import type { Engine } from '../engine/engine';
import { createServices, localClient } from '../services/app-services';
import type { CliCommand } from './cli-args';
import { CliError } from './cli-jobs';

type SqlCommand = Extract<CliCommand, { name: 'sql' }>;

export interface SqlOutput {
  /** Result lines (stdout). */
  readonly print: (line: string) => void;
  /** Notes for the person at the terminal (stderr), kept out of csv and json output. */
  readonly note: (line: string) => void;
}

const ENDED = new Set(['completed', 'failed', 'cancelled', 'skipped']);

/** One error line: code, position and message. */
export function sqlErrorLine(e: SqlError): string {
  return `${e.code} at line ${e.position.line}, column ${e.position.column}: ${e.message}`;
}

const csvField = csvFieldWriter(',');
const csvCell = (v: SqlCell): string => csvField(v === null ? null : String(v));

function tableLines(columns: SqlColumn[], rows: SqlCell[][]): string[] {
  const text = (v: SqlCell) => (v === null ? 'NULL' : String(v));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...rows.map((r) => text(r[i]!).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(columns.map((c) => c.name)), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map((r) => line(r.map(text)))];
}

/**
 * `sql`: the console's engine through the same services and procedures the app serves (this
 * process's job manager owns the jobs it starts, as 'cli', and the command waits for them). Rows are
 * read to the last page. Exit 0, or a CliError with one line: the error's code, position and message.
 */
export async function runSql(engine: Engine, dataDir: string, command: SqlCommand, out: SqlOutput, logger: Logger): Promise<string> {
  const script = 'text' in command.source ? command.source.text : readScript(command.source.file);
  const services = createServices({
    engine,
    mode: 'web',
    dataDir,
    logPath: '',
    appVersion: 'cli',
    logger,
    jobs: { process: 'cli', concurrency: 1, scheduleEveryMs: 0 },
  });
  try {
    await services.ready;
    const client = localClient(services, 'cli');
    let as: { userId: string } | undefined;
    if (command.as !== undefined) {
      const name = UserNameSchema.safeParse(command.as.toLowerCase());
      const user = name.success ? engine.system.users.byUsername(name.data) : undefined;
      if (!user || user.deleted_at !== null) throw new CliError(`--as: no user "${command.as}"`);
      as = { userId: user.user_id };
    }
    const result = await client.sql.run({ script, pageSize: 1000, ...(as ? { as } : {}), ...(command.timeoutMs ? { timeoutMs: command.timeoutMs } : {}) });
    const json: unknown[] = [];
    for (const outcome of result.outcomes) {
      const rows = outcome.kind === 'rows' ? [...outcome.page.rows] : [];
      if (outcome.kind === 'rows') {
        for (let next = outcome.page.next; next !== undefined;) {
          const page = await client.sql.page({ cursor: next, pageSize: 1000, ...(as ? { as } : {}) });
          rows.push(...page.rows);
          next = page.next;
        }
      }
      const jobs = outcome.kind === 'job' ? await waitForJobs(engine, outcome.jobIds) : [];
      report(command.format, outcome, rows, jobs, out, json);
      const failed = jobs.find((j) => j.status !== 'completed' && j.status !== 'skipped');
      if (failed) throw new CliError(`job ${failed.id} ${failed.status}${failed.error ? `: ${failed.error}` : ''}`);
    }
    if (command.format === 'json') out.print(JSON.stringify(json, null, 2));
    if (result.error) throw new CliError(sqlErrorLine(result.error));
    return `${result.outcomes.length} statement${result.outcomes.length === 1 ? '' : 's'} run`;
  } finally {
    services.close();
  }
}

function readScript(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

interface EndedJob {
  readonly id: string;
  readonly status: string;
  readonly error: string | null;
}

/** Waits until each job has ended (this process runs them). */
async function waitForJobs(engine: Engine, ids: readonly string[]): Promise<EndedJob[]> {
  const out: EndedJob[] = [];
  for (const id of ids) {
    for (;;) {
      const job = engine.system.jobs.get(id as JobId);
      if (!job) throw new CliError(`job ${id} vanished`);
      if (ENDED.has(job.status)) {
        out.push({ id, status: job.status, error: job.error });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return out;
}

function report(format: SqlCommand['format'], outcome: SqlOutcome, rows: SqlCell[][], jobs: EndedJob[], out: SqlOutput, json: unknown[]): void {
  const summary =
    outcome.kind === 'rows'
      ? `${outcome.verb}: ${rows.length} row${rows.length === 1 ? '' : 's'}`
      : outcome.kind === 'changed'
        ? `${outcome.verb}: ${outcome.affected} row${outcome.affected === 1 ? '' : 's'} affected`
        : outcome.kind === 'job'
          ? `${outcome.verb}: ${jobs.map((j) => `job ${j.id} ${j.status}`).join(', ') || 'no job'}`
          : `${outcome.verb}: ${outcome.message}`;
  if (format === 'json') {
    json.push(
      outcome.kind === 'rows'
        ? { statement: outcome.statement, verb: outcome.verb, columns: outcome.columns, rows }
        : outcome.kind === 'job'
          ? { statement: outcome.statement, verb: outcome.verb, jobs }
          : { ...outcome, durationMs: undefined },
    );
    return;
  }
  if (format === 'csv') {
    if (outcome.kind === 'rows') {
      out.print(outcome.columns.map((c) => csvCell(c.name)).join(','));
      for (const r of rows) out.print(r.map(csvCell).join(','));
    }
    out.note(summary);
    return;
  }
  if (outcome.kind === 'rows') for (const line of tableLines(outcome.columns, rows)) out.print(line);
  out.print(`(${summary})`);
}
