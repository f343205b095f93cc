import type { SqlErrorCode } from '../../../shared/sql/sql-results';

/** A statement refused by the console's parser, binder or executor, at a span of the script. */
export class SqlStatementError extends Error {
  override name = 'SqlStatementError';
  constructor(
    readonly code: SqlErrorCode,
    message: string,
    /** Offsets in the script (end exclusive). */
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}
