import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultDataDir, type PlatformEnv } from './paths';

/** What the command line (and the environment) asked for, validated. */
export interface AppArgs {
  /** Serve the UI in a browser (local web mode) instead of an Electron window. */
  readonly web: boolean;
  /** Web mode port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** Where dataDir came from. */
  readonly dataDirSource: 'flag' | 'env' | 'default';
  /** Seed the demo data on first start (turned off by --no-demo). */
  readonly demo: boolean;
  /** Start in read-only mode: every write procedure refuses. */
  readonly readOnly: boolean;
  readonly help: boolean;
}

/** A bad command line; the message is meant for the person who typed it. */
export class ArgsError extends Error {
  override name = 'ArgsError';
}

export const DATA_DIR_ENV = 'KALAM_DATA_DIR';

export const USAGE = `Usage: kalam-studio [options]

Options:
  --web              serve the UI to a browser on 127.0.0.1 instead of opening a window
  --port N           web mode port (0-65535; default 0 = any free port)
  --data-dir DIR     data directory (default: env ${DATA_DIR_ENV}, else the platform app-data folder)
  --no-demo          do not seed demo data into a new data directory
  --read-only        start in read-only mode
  --help             show this help`;

export interface ParseAppArgsOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Platform facts for the default data directory (tests pass other platforms). */
  readonly platform?: PlatformEnv;
  /** Relative --data-dir values are resolved against this. */
  readonly cwd?: string;
  /**
   * Ignore unknown options and positionals. Electron passes its own (and Chromium's) switches and
   * the app path; web mode is strict so a typo is an error, not silently ignored.
   */
  readonly lenient?: boolean;
}

const PORT_MESSAGE = 'must be a whole number from 0 to 65535';

const RawArgsSchema = z.object({
  web: z.boolean({ error: 'takes no value' }).default(false),
  port: z
    .string({ error: 'needs a value, e.g. --port 4000' })
    .regex(/^\d{1,5}$/, PORT_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE))
    .optional(),
  'data-dir': z
    .string({ error: 'needs a value, e.g. --data-dir ./data' })
    .refine((s) => s.trim() !== '', 'must not be empty')
    .refine((s) => !s.includes('\0'), 'must not contain NUL characters')
    .optional(),
  'no-demo': z.boolean({ error: 'takes no value' }).default(false),
  'read-only': z.boolean({ error: 'takes no value' }).default(false),
  help: z.boolean({ error: 'takes no value' }).default(false),
});

const OPTIONS = {
  web: { type: 'boolean' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'no-demo': { type: 'boolean' },
  'read-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the app's arguments (without the node/electron executable and script path). */
export function parseAppArgs(argv: readonly string[], options: ParseAppArgsOptions = {}): AppArgs {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const lenient = options.lenient ?? false;

  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: !lenient,
      allowPositionals: lenient,
    }).values;
  } catch (e) {
    throw new ArgsError(describeParseError(e));
  }

  const parsed = RawArgsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0];
    throw new ArgsError(`${typeof flag === 'string' ? `--${flag}` : 'arguments'}: ${issue?.message ?? 'invalid'}`);
  }
  const raw = parsed.data;

  let dataDir: string;
  let dataDirSource: AppArgs['dataDirSource'];
  const fromEnv = env[DATA_DIR_ENV];
  if (raw['data-dir'] !== undefined) {
    dataDir = resolve(cwd, raw['data-dir']);
    dataDirSource = 'flag';
  } else if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.trim() === '' || fromEnv.includes('\0')) {
      throw new ArgsError(`${DATA_DIR_ENV}: must be a directory path`);
    }
    dataDir = resolve(cwd, fromEnv);
    dataDirSource = 'env';
  } else {
    dataDir = defaultDataDir(options.platform);
    dataDirSource = 'default';
  }

  return {
    web: raw.web,
    port: raw.port ?? 0,
    dataDir,
    dataDirSource,
    demo: !raw['no-demo'],
    readOnly: raw['read-only'],
    help: raw.help,
  };
}

function describeParseError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as Error & { code?: unknown }).code;
  // Node's messages for these two explain positional "--" tricks nobody needs here.
  const option = /'([^']+)'/.exec(e.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && option !== undefined) return `unexpected argument ${option}`;
  return e.message;
}
