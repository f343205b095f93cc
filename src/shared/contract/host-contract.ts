import { z } from 'zod';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';
import { AbsolutePathSchema } from '../host-path';
import { ExportFormatSchema } from '../jobs/io-params';

/** What the host running the main process can do beyond the engine (the Electron shell has native dialogs, the web mode none). */
export const HostCapabilitiesSchema = z.object({
  /** host.pickFolder opens a native folder dialog. */
  folderDialog: z.boolean(),
  /** host.pickSaveFile opens a native save dialog. */
  saveDialog: z.boolean(),
});

/**
 * What the chosen folder is for: a backup may go into a new folder, a restore reads an existing
 * one; a data directory to open exists, a new one may be made in the dialog.
 */
export const FolderPurposeSchema = z.enum(['backup', 'restore', 'dataDir', 'newDataDir']);
export type FolderPurpose = z.infer<typeof FolderPurposeSchema>;

export const PickFolderInputSchema = subjectInput({
  purpose: FolderPurposeSchema,
  /** Where the dialog opens. */
  defaultPath: AbsolutePathSchema.optional(),
});
export type PickFolderInput = z.infer<typeof PickFolderInputSchema>;

export const PickedFolderSchema = z.object({
  /** The chosen folder (or file); null when the user cancelled. */
  path: z.string().nullable(),
});
export type PickedFolder = z.infer<typeof PickedFolderSchema>;

/** What the file is for: an export's destination, in its format. */
export const PickSaveFileInputSchema = subjectInput({
  purpose: z.literal('export'),
  format: ExportFormatSchema,
  /** The file the dialog proposes (its folder and name). */
  defaultPath: AbsolutePathSchema.optional(),
});

export const hostContract = {
  capabilities: procedure.input(SubjectOnlyInputSchema).output(HostCapabilitiesSchema),
  /**
   * Asks the user for a folder in a native dialog of the window that asked. A host without one
   * (web mode: the dialog would open on the server's screen, if any) answers NOT_FOUND.
   */
  pickFolder: procedure.input(PickFolderInputSchema).output(PickedFolderSchema),
  /** Asks the user for a file to write, in a native save dialog (as pickFolder: NOT_FOUND without one). */
  pickSaveFile: procedure.input(PickSaveFileInputSchema).output(PickedFolderSchema),
};
