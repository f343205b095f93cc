/**
 * An earlier commit's sources, to measure "before" beside "after" in one run: `git archive` of the
 * commit into os.tmpdir() (kept per commit), with this project's node_modules linked in (same
 * dependencies; the bench's probe and harness stay this tree's). Build it with buildApp's `root`
 * into `<root>/out`, where its externalized imports resolve through the link.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface EarlierTree {
  readonly sha: string;
  readonly root: string;
}

export function earlierTree(ref: string, log: (m: string) => void): EarlierTree {
  const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const root = join(tmpdir(), `kalam-bench-earlier-${sha.slice(0, 12)}`);
  if (existsSync(join(root, 'package.json'))) return { sha, root };
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', sha], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', partial], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(partial, 'node_modules'), 'dir');
  renameSync(partial, root);
  log(`sources of ${ref} (${sha.slice(0, 12)}) in ${root}`);
  return { sha, root };
}
