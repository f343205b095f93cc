import { posix, win32 } from 'node:path';
import type { z } from 'zod';
import { AbsolutePathSchema } from '../../shared/host-path';
import { ruleCheck } from '../../shared/rule-check';
import { ValidationError } from './errors';

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { win32: 'Windows', darwin: 'macOS', linux: 'Linux' };

/** A drive ("C:\…") or a UNC share ("\\server\share…"): node's win32 isAbsolute also takes "\x", which is relative to the current drive. */
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/]+[\\/]+[^\\/]+)/;

/**
 * Why `path` is not an absolute path on the machine the main process runs on, or undefined. The
 * shared AbsolutePathSchema only checks the syntax of every platform (the renderer cannot know
 * which one the main process runs on); this is the rule of the running platform (node:path's
 * isAbsolute), so "C:\x" and "\\server\share" are refused on Linux and macOS, where they are
 * relative names that would land in the working folder. `platform` is for tests.
 */
export function hostPathProblem(path: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const name = PLATFORM_NAMES[platform] ?? platform;
  if (platform === 'win32') {
    if (win32.isAbsolute(path) && WINDOWS_ABSOLUTE.test(path)) return undefined;
    return `must be an absolute path on this computer (${name}), such as C:\\Users\\me\\backups or \\\\server\\share: "${path}" would be resolved against the app's working folder`;
  }
  if (posix.isAbsolute(path)) return undefined;
  const windows = WINDOWS_ABSOLUTE.test(path) ? ` "${path}" is a Windows path;` : '';
  return `must be an absolute path on this computer (${name}), starting with "/":${windows} a relative path would be resolved against the app's working folder`;
}

/** AbsolutePathSchema, then the running platform's rule: what the main process accepts as a folder. */
export const HostPathSchema: z.ZodType<string, string> = AbsolutePathSchema.check(ruleCheck((p: string) => hostPathProblem(p)));

/** Refuses `path` (as `field` of `entity`) unless it is absolute on this machine. */
export function assertHostPath(entity: string, field: string, path: string): void {
  const problem = hostPathProblem(path);
  if (problem !== undefined) throw new ValidationError(entity, [{ field, message: problem }]);
}
