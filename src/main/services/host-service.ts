import type { FolderPurpose } from '../../shared/contract/host-contract';
import { assertMaySwitch } from './data-dirs-service';
import type { ServiceDeps } from './deps';
import { contractError } from './errors';
import { impl } from './implementer';

export interface FolderPickerOptions {
  readonly title: string;
  readonly defaultPath?: string | undefined;
  /** The dialog offers to create a new folder (a backup's target may not exist yet). */
  readonly createDirectory: boolean;
  /** The connection that asked, so the dialog can be parented to its window. */
  readonly connectionId: string;
}

/** A native folder dialog of the host (the Electron shell); the web mode has none. */
export interface FolderPicker {
  /** The chosen folder, or null when the user cancelled. */
  pickFolder(options: FolderPickerOptions): Promise<string | null>;
}

const DIALOGS: Record<FolderPurpose, { title: string; createDirectory: boolean }> = {
  backup: { title: 'Choose a folder for the backup', createDirectory: true },
  restore: { title: 'Choose a backup folder to restore', createDirectory: false },
  dataDir: { title: 'Open data directory', createDirectory: false },
  newDataDir: { title: 'Choose a folder for the new data directory', createDirectory: true },
};

export function hostService({ folderPicker, rights }: ServiceDeps) {
  return {
    capabilities: impl.host.capabilities.handler(() => ({ folderDialog: folderPicker !== undefined })),
    // Only opens a dialog: allowed in read-only mode, nothing to audit. It chooses a backup or
    // restore folder, so it needs the right to run those jobs; a data directory, the right to switch.
    pickFolder: impl.host.pickFolder.handler(async ({ input, context }) => {
      if (input.purpose === 'dataDir' || input.purpose === 'newDataDir') assertMaySwitch(context.acting.subject);
      else rights.assert(context.acting.subject, 'manageJobs');
      if (!folderPicker) throw contractError('NOT_FOUND', 'This app has no folder dialog here (web mode): type the folder’s path instead.');
      const path = await folderPicker.pickFolder({ ...DIALOGS[input.purpose], defaultPath: input.defaultPath, connectionId: context.connectionId });
      return { path };
    }),
  };
}
