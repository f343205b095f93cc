/** What a log entry carries beside its message (an Error keeps its stack in the file log). */
export type LogFields = Record<string, unknown>;

/**
 * The one logging interface: the app's file log (src/main/app/logger.ts), the console where no log
 * is set up, or nothing. Components take a Logger, never a callback or console of their own.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Stops the log (a file log writes nothing after it); called by whoever made the logger. */
  close(): void;
}

/** Drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, close() {} };

const withFields = (message: string, fields: LogFields | undefined): unknown[] => (fields === undefined ? [message] : [message, fields]);

/** The console (stderr for warnings and errors): the default of components used without the app's log (tests, tools). */
export const consoleLogger: Logger = {
  debug: (message, fields) => console.debug(...withFields(message, fields)),
  info: (message, fields) => console.info(...withFields(message, fields)),
  warn: (message, fields) => console.warn(...withFields(message, fields)),
  error: (message, fields) => console.error(...withFields(message, fields)),
  close() {},
};
