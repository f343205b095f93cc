import type { FolderPurpose, PickedFolder, PickFolderInput } from '../../../shared/contract';
import { AbsolutePathSchema } from '../../../shared/host-path';

/** Folder paths must be absolute (the main process checks again). */
export function pathProblem(path: string): string | undefined {
  const p = path.trim();
  if (p === '') return 'Enter a folder path.';
  if (!(p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'))) return 'Enter an absolute path (starting with / or a drive letter).';
  return undefined;
}

/** The folder dialog opens where the field points, when it holds a path the main process accepts. */
export function pickFolderInput(purpose: FolderPurpose, current: string): PickFolderInput {
  const start = AbsolutePathSchema.safeParse(current);
  return start.success ? { purpose, defaultPath: start.data } : { purpose };
}

/** The field's new value after the dialog; undefined (leave the field alone) when the user cancelled. */
export function folderAfterPick(result: PickedFolder): string | undefined {
  return result.path === null || result.path.trim() === '' ? undefined : result.path;
}
