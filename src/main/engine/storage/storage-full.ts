/**
 * Whether a failure means there is no room left to write: SQLite's SQLITE_FULL (the disk, or the
 * database's page limit), or ENOSPC / EDQUOT (disk or quota) from the file system. Looks through
 * `cause` chains, since jobs and stores wrap what they catch.
 */
export function isStorageFull(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT')) return true;
  }
  return false;
}
