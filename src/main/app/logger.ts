import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirPrivateSync, PRIVATE_FILE_MODE } from '../engine/private-files';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  close(): void;
}

export interface FileLoggerOptions {
  /** At startup, a log larger than this is moved to `<path>.1` (one old generation is kept). */
  readonly maxBytes?: number;
  /** Also hand every line to this (e.g. stderr while developing). */
  readonly echo?: (line: string) => void;
  readonly now?: () => Date;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * A small append-only logger for `<dataDir>/logs/main.log`: one line per entry,
 * `<ISO time> <LEVEL> <message> <fields as JSON>`. Synchronous appends: the main process logs
 * little, and a line written right before a crash is not lost. A failing disk never throws into
 * the caller: logging is best-effort.
 */
export function createFileLogger(path: string, options: FileLoggerOptions = {}): Logger {
  const now = options.now ?? (() => new Date());
  let open = true;
  try {
    mkdirPrivateSync(dirname(path));
    rotateIfLarge(path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch {
    // Best-effort: appendFileSync below reports nothing either.
  }

  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (!open) return;
    const line = formatLine(now(), level, message, fields);
    options.echo?.(line);
    try {
      appendFileSync(path, line + '\n', { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
    } catch {
      // Best-effort.
    }
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    close: () => {
      open = false;
    },
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, close() {} };

export function formatLine(time: Date, level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const oneLine = message.replace(/\r?\n/g, '\\n');
  const extra = fields === undefined || Object.keys(fields).length === 0 ? '' : ' ' + safeJson(fields);
  return `${time.toISOString()} ${level.toUpperCase()} ${oneLine}${extra}`;
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) => {
      if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
      if (typeof value === 'bigint') return value.toString();
      return value;
    });
  } catch {
    return '"<unserializable fields>"';
  }
}

function rotateIfLarge(path: string, maxBytes: number): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size <= maxBytes) return;
  rmSync(`${path}.1`, { force: true });
  renameSync(path, `${path}.1`);
}
