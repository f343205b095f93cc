import { lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Why `p` is not a plain relative path ("a/b/c": "/"-separated, no "..", ".", empty or absolute
 * part, no backslash, drive letter or NUL), or undefined when it is one. Backup folders and the
 * file paths a backup's database records are untrusted: every path read from them passes this.
 */
export function relativePathProblem(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains NUL';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute';
  const parts = p.split('/');
  if (parts.includes('..')) return 'contains ".."';
  if (parts.some((s) => s === '' || s === '.')) return 'has an empty or "." part';
  return undefined;
}

/** Whether `path` is `root` or inside it, comparing resolved paths (no file system access). */
export function isInside(root: string, path: string): boolean {
  const back = relative(resolve(root), resolve(path));
  return back === '' || (back !== '..' && !back.startsWith(`..${sep}`) && !isAbsolute(back));
}

/** `path` relative to `root` with "/" separators, for a path inside it (see isInside). */
export function relativeInside(root: string, path: string): string {
  return relative(resolve(root), resolve(path)).split(sep).join('/');
}

/**
 * Why `root/rel` is not a plain path, checking each component below `root` with lstat: none may
 * be a symbolic link, every folder must be a folder, and the last one a regular file (`last:
 * 'file'`) or, at a destination, a regular file or folder or nothing yet (`'…-or-missing'`: a
 * missing component ends the walk, a restore creates the rest). Undefined when it is plain.
 */
export async function plainPathProblem(root: string, rel: string, last: 'file' | 'file-or-missing' | 'folder-or-missing'): Promise<string | undefined> {
  const parts = rel === '' ? [] : rel.split('/');
  let at = resolve(root);
  for (let i = 0; i < parts.length; i++) {
    at = join(at, parts[i]!);
    const isLast = i === parts.length - 1;
    let s;
    try {
      s = await lstat(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      return last === 'file' ? 'is missing' : undefined;
    }
    if (s.isSymbolicLink()) return `goes through a symbolic link (${at}); a restore never follows links`;
    const folder = !isLast || last === 'folder-or-missing';
    if (folder ? !s.isDirectory() : !s.isFile()) return `is not a ${folder ? 'folder' : 'regular file'} (${at})`;
  }
  return undefined;
}
