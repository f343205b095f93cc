/**
 * The code that says a failure means there is no room left to write: SQLite's SQLITE_FULL (the
 * disk, or the database's page limit), or ENOSPC / EDQUOT (disk or quota) from the file system.
 * Looks through `cause` chains, since jobs and stores wrap what they catch. Undefined otherwise.
 */
export function storageFullCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT')) return code;
  }
  return undefined;
}

/** Whether a failure means there is no room left to write (see storageFullCode). */
export function isStorageFull(error: unknown): boolean {
  return storageFullCode(error) !== undefined;
}

/** What a job that ran out of room keeps as its error; the raw SQLite or file-system text goes to the log. */
export const STORAGE_FULL_JOB_ERROR = 'The disk that holds the data is full (or the database reached its size limit). Free some space, then retry.';
