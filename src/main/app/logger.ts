import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogFields, Logger } from '../../shared/logger';
import { mkdirPrivateSync, PRIVATE_FILE_MODE } from '../engine/private-files';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface FileLoggerOptions {
  /** A log that grows past this many bytes is moved to `<path>.1` (the older ones move up): at start and while running. */
  readonly maxBytes?: number;
  /** Files kept, the current one included (`<path>`, `<path>.1` … `<path>.<files-1>`). */
  readonly files?: number;
  /** Also hand every line to this (e.g. stderr while developing). */
  readonly echo?: (line: string) => void;
  readonly now?: () => Date;
}

/** 5 files of 10 MB: a bounded log however busy (or abused) the app is. */
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_FILES = 5;

/**
 * A small append-only logger for `<dataDir>/logs/main.log`: one line per entry,
 * `<ISO time> <LEVEL> <message> <fields as JSON>`. Synchronous appends: the main process logs
 * little, and a line written right before a crash is not lost. The log rotates by size. A failing
 * disk never throws into the caller: logging is best-effort.
 */
export function createFileLogger(path: string, options: FileLoggerOptions = {}): Logger {
  const now = options.now ?? (() => new Date());
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const files = Math.max(1, options.files ?? DEFAULT_FILES);
  let open = true;
  /** Bytes in the current file as far as this process knows (another process may append too). */
  let size = 0;
  const rotateIfLarge = (): void => {
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
      return;
    }
    if (size <= maxBytes) return;
    rotate(path, files);
    size = 0;
  };
  try {
    mkdirPrivateSync(dirname(path));
    rotateIfLarge();
  } catch {
    // Best-effort: appendFileSync below reports nothing either.
  }

  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (!open) return;
    const line = formatLine(now(), level, message, fields) + '\n';
    options.echo?.(line.slice(0, -1));
    try {
      appendFileSync(path, line, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
      size += Buffer.byteLength(line);
      if (size > maxBytes) rotateIfLarge();
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

export function formatLine(time: Date, level: LogLevel, message: string, fields?: LogFields): string {
  const oneLine = message.replace(/\r?\n/g, '\\n');
  const extra = fields === undefined || Object.keys(fields).length === 0 ? '' : ' ' + safeJson(fields);
  return `${time.toISOString()} ${level.toUpperCase()} ${oneLine}${extra}`;
}

function safeJson(fields: LogFields): string {
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

/** `<path>.<files-2>` → `<path>.<files-1>` (the oldest is dropped), …, `<path>` → `<path>.1`. */
function rotate(path: string, files: number): void {
  if (files === 1) {
    rmSync(path, { force: true });
    return;
  }
  rmSync(`${path}.${files - 1}`, { force: true });
  for (let i = files - 2; i >= 1; i--) {
    try {
      renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  renameSync(path, `${path}.1`);
}
