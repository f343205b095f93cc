/**
 * The short name of a data directory, as the header, the window title and the recent list show it:
 * its last path segment (POSIX or Windows separators), or the whole path for a root.
 */
export function dataDirName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const name = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  return name === '' ? path : name;
}
