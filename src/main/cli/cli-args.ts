import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../../shared/paging';
import { DATA_DIR_ENV } from '../app/args';
import { defaultDataDir } from '../app/paths';

export const CLI_USAGE = `Usage: npm run cli -- [--data-dir DIR] <command> [options]

Commands:
  flush <namespace.table>              flush a table's hot rows to Parquet
  flush-all                            flush every shared and user table
  compact <namespace.table>            merge each scope's Parquet segments of a table into one
  backup <folder>                      back up the database and its storage files into a new folder
  restore <folder> [--allow-foreign]   restore a backup (refused while the app runs on the directory)
  jobs [--status S] [--limit N]        list jobs, newest first
  verify-indexes                       check every index against its table
  seed <namespace.table> --rows N [--users N]
                                       create the table if missing (a user table with --users, else
                                       shared) and add N generated rows (spread over the users)
  count <namespace.table>              visible rows, hot and flushed, of all users
  sql "<statements>" | sql -f FILE [--as USER] [--format table|json|csv] [--timeout MS]
                                       run SQL (KalamDB's dialect, as the console does): queries,
                                       writes, DDL, jobs (waited for); stops at the first error
  export <namespace.table> <file> [--format csv|jsonl|parquet] [--as USER] [--where "FILTER"]
         [--delimiter C] [--bom]       export a table (hot and flushed rows) as USER may read it,
                                       filtered (e.g. --where "age >= 30 and name contains 'x'");
                                       the format defaults to the file's extension, else csv
  export --sql "<query>" <file> [--format …] [--as USER] [--delimiter C] [--bom]
                                       export a query's result (one SELECT, EXECUTE AS allowed), run
                                       as USER; statements that write are refused
  import <namespace.table> <file> [--format csv|tsv|jsonl|parquet] [--create [--key COLUMN]]
         [--on-error abort|skip] [--on-conflict fail|skip|replace] [--owner USER] [--delimiter C]
                                       import a file into a table (or a new one with --create); the
                                       rejected rows go to a report under DIR/import-reports
  schedules list                       the maintenance schedules, their next and last runs
  schedules run <id>                   run a schedule now (its jobs, and a backup's retention)

Options:
  --data-dir DIR   data directory (default: env ${DATA_DIR_ENV}, else the platform app-data folder)
  --help           show this help

Exit status: 0 done, 1 failed, 2 bad command line, 130 cancelled (Ctrl+C).`;

/** A bad command line; the message is for the person who typed it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const TABLE = z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, 'must look like namespace.table');
const COUNT = (what: string, max: number) =>
  z
    .string({ error: `${what} needs a value` })
    .regex(/^\d+$/, `${what} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `${what} must be at least 1`)
        .max(max, `${what} must be at most ${max.toLocaleString('en-US')}`),
    );
const EXPORT_FORMAT = z.enum(['csv', 'jsonl', 'parquet']);
const IMPORT_FORMAT = z.enum(['csv', 'tsv', 'jsonl', 'parquet']);
const DELIMITER = z.string().length(1, 'must be one character (\\t for a tab)');
const SCHEDULE = z.string().min(1, 'needs a schedule id').max(200);
const STATUS = z.enum(['queued', 'running', 'retrying', 'completed', 'failed', 'cancelled', 'skipped']);

export type CliCommand =
  | { readonly name: 'flush'; readonly table: string }
  | { readonly name: 'flush-all' }
  | { readonly name: 'compact'; readonly table: string }
  | { readonly name: 'backup'; readonly folder: string }
  | { readonly name: 'restore'; readonly folder: string; readonly allowForeign: boolean }
  | { readonly name: 'jobs'; readonly status: z.infer<typeof STATUS> | undefined; readonly limit: number }
  | { readonly name: 'verify-indexes' }
  | { readonly name: 'seed'; readonly table: string; readonly rows: number; readonly users: number | undefined }
  | { readonly name: 'count'; readonly table: string }
  | {
      readonly name: 'sql';
      /** The statements, or the file holding them (`-f`). */
      readonly source: { readonly text: string } | { readonly file: string };
      /** A username to run as (the statements' subject). */
      readonly as: string | undefined;
      readonly format: 'table' | 'json' | 'csv';
      readonly timeoutMs: number | undefined;
    }
  | {
      readonly name: 'export';
      /** A table (`--where` filters it), or a query (`--sql`). */
      readonly from: { readonly table: string; readonly where: string | undefined } | { readonly sql: string };
      readonly file: string;
      readonly format: 'csv' | 'jsonl' | 'parquet';
      readonly as: string | undefined;
      readonly delimiter: string | undefined;
      readonly bom: boolean;
    }
  | {
      readonly name: 'import';
      readonly table: string;
      readonly file: string;
      readonly format: 'csv' | 'tsv' | 'jsonl' | 'parquet' | undefined;
      readonly create: boolean;
      readonly key: string | undefined;
      readonly onError: 'abort' | 'skip';
      readonly onConflict: 'fail' | 'skip' | 'replace';
      readonly owner: string | undefined;
      readonly delimiter: string | undefined;
    }
  | { readonly name: 'schedules-list' }
  | { readonly name: 'schedules-run'; readonly id: string };

export interface CliArgs {
  readonly dataDir: string;
  readonly command: CliCommand | undefined;
  readonly help: boolean;
}

/** A one-character delimiter; "\\t" (as typed in a shell) is a tab. */
function delimiterOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : check(DELIMITER, value === '\\t' ? '\t' : value, '--delimiter');
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** Parses the CLI's arguments; UsageError for anything wrong. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        rows: { type: 'string' },
        users: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        'allow-foreign': { type: 'boolean' },
        file: { type: 'string', short: 'f' },
        as: { type: 'string' },
        format: { type: 'string' },
        timeout: { type: 'string' },
        where: { type: 'string' },
        sql: { type: 'string' },
        delimiter: { type: 'string' },
        bom: { type: 'boolean' },
        create: { type: 'boolean' },
        key: { type: 'string' },
        'on-error': { type: 'string' },
        'on-conflict': { type: 'string' },
        owner: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values: v, positionals } = parsed;
  const dirArg = v['data-dir'] ?? env[DATA_DIR_ENV];
  if (dirArg !== undefined && dirArg.trim() === '') throw new UsageError('--data-dir must not be empty');
  const dataDir = dirArg !== undefined ? resolve(cwd, dirArg) : defaultDataDir();
  if (v.help) return { dataDir, command: undefined, help: true };
  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('no command given (try --help)');

  const onlyFor = (option: keyof typeof v, commands: readonly string[]) => {
    if (v[option] !== undefined && !commands.includes(name)) throw new UsageError(`--${option} does not apply to ${name}`);
  };
  onlyFor('rows', ['seed']);
  onlyFor('users', ['seed']);
  onlyFor('status', ['jobs']);
  onlyFor('limit', ['jobs']);
  onlyFor('allow-foreign', ['restore']);
  onlyFor('file', ['sql']);
  onlyFor('timeout', ['sql']);
  onlyFor('format', ['sql', 'export', 'import']);
  onlyFor('as', ['sql', 'export']);
  onlyFor('delimiter', ['export', 'import']);
  onlyFor('where', ['export']);
  onlyFor('sql', ['export']);
  if (v.sql !== undefined && v.where !== undefined) throw new UsageError('--where filters a table: with --sql, put the condition in the query');
  onlyFor('bom', ['export']);
  onlyFor('create', ['import']);
  onlyFor('key', ['import']);
  onlyFor('on-error', ['import']);
  onlyFor('on-conflict', ['import']);
  onlyFor('owner', ['import']);
  if (v.key !== undefined && !v.create) throw new UsageError('--key applies with --create');
  const args = (n: number, shape: string): string[] => {
    if (rest.length !== n) throw new UsageError(`${name} takes ${shape}${rest.length > n ? `; unexpected "${rest[n]}"` : ''}`);
    return rest;
  };
  const abs = (p: string) => resolve(cwd, p);

  let command: CliCommand;
  switch (name) {
    case 'flush':
    case 'compact':
      command = { name, table: check(TABLE, args(1, 'one table (namespace.table)')[0], 'table') };
      break;
    case 'flush-all':
      args(0, 'no arguments');
      command = { name };
      break;
    case 'backup':
      command = { name, folder: abs(args(1, 'one folder')[0]!) };
      break;
    case 'restore':
      command = { name, folder: abs(args(1, 'one folder')[0]!), allowForeign: v['allow-foreign'] ?? false };
      break;
    case 'jobs':
      args(0, 'no arguments');
      command = {
        name,
        status: v.status === undefined ? undefined : check(STATUS, v.status, '--status'),
        limit: v.limit === undefined ? 20 : check(COUNT('--limit', MAX_PAGE_SIZE), v.limit, '--limit'),
      };
      break;
    case 'verify-indexes':
      args(0, 'no arguments');
      command = { name };
      break;
    case 'seed': {
      const table = check(TABLE, args(1, 'one table (namespace.table)')[0], 'table');
      if (v.rows === undefined) throw new UsageError('seed needs --rows N');
      command = {
        name,
        table,
        rows: check(COUNT('--rows', 100_000_000), v.rows, '--rows'),
        users: v.users === undefined ? undefined : check(COUNT('--users', 1_000_000), v.users, '--users'),
      };
      break;
    }
    case 'count':
      command = { name, table: check(TABLE, args(1, 'one table (namespace.table)')[0], 'table') };
      break;
    case 'sql': {
      if ((v.file === undefined) === (rest.length === 0)) throw new UsageError('sql takes the statements as one argument, or -f FILE (not both)');
      if (rest.length > 1) throw new UsageError(`sql takes the statements as one argument (quote them); unexpected "${rest[1]}"`);
      command = {
        name,
        source: v.file !== undefined ? { file: abs(v.file) } : { text: rest[0]! },
        as: v.as,
        format: check(z.enum(['table', 'json', 'csv']), v.format ?? 'table', '--format'),
        timeoutMs: v.timeout === undefined ? undefined : check(COUNT('--timeout', 3_600_000), v.timeout, '--timeout'),
      };
      break;
    }
    case 'export': {
      let from: Extract<CliCommand, { name: 'export' }>['from'];
      let file: string;
      if (v.sql !== undefined) {
        if (v.sql.trim() === '') throw new UsageError('--sql needs a query');
        [file] = args(1, 'a file with --sql "<query>"') as [string];
        from = { sql: v.sql };
      } else {
        const [table, target] = args(2, 'a table (namespace.table) and a file, or --sql "<query>" and a file') as [string, string];
        from = { table: check(TABLE, table, 'table'), where: v.where };
        file = target;
      }
      const ext = /\.(csv|jsonl|parquet)$/i.exec(file)?.[1]?.toLowerCase();
      command = {
        name,
        from,
        file: abs(file),
        format: v.format === undefined ? ((ext as 'csv' | 'jsonl' | 'parquet' | undefined) ?? 'csv') : check(EXPORT_FORMAT, v.format, '--format'),
        as: v.as,
        delimiter: delimiterOf(v.delimiter),
        bom: v.bom ?? false,
      };
      break;
    }
    case 'import': {
      const [table, file] = args(2, 'a table (namespace.table) and a file');
      command = {
        name,
        table: check(TABLE, table, 'table'),
        file: abs(file!),
        format: v.format === undefined ? undefined : check(IMPORT_FORMAT, v.format, '--format'),
        create: v.create ?? false,
        key: v.key,
        onError: v['on-error'] === undefined ? 'abort' : check(z.enum(['abort', 'skip']), v['on-error'], '--on-error'),
        onConflict: v['on-conflict'] === undefined ? 'fail' : check(z.enum(['fail', 'skip', 'replace']), v['on-conflict'], '--on-conflict'),
        owner: v.owner,
        delimiter: delimiterOf(v.delimiter),
      };
      break;
    }
    case 'schedules': {
      const [sub, ...more] = rest;
      if (sub === 'list' && more.length === 0) command = { name: 'schedules-list' };
      else if (sub === 'run' && more.length === 1) command = { name: 'schedules-run', id: check(SCHEDULE, more[0], 'schedule') };
      else throw new UsageError('schedules takes "list" or "run <id>"');
      break;
    }
    default:
      throw new UsageError(`unknown command "${name}" (try --help)`);
  }
  return { dataDir, command, help: false };
}
