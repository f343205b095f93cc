import type { FolderPurpose } from '../../shared/contract/host-contract';
import type { ExportFormat } from '../../shared/jobs/io-params';
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

export interface SaveFileOptions {
  readonly title: string;
  readonly defaultPath?: string | undefined;
  /** The file types offered, e.g. { name: 'CSV', extensions: ['csv'] }. */
  readonly filters: readonly { readonly name: string; readonly extensions: readonly string[] }[];
  /** The connection that asked, so the dialog can be parented to its window. */
  readonly connectionId: string;
}

/** The native dialogs of the host (the Electron shell); the web mode has none. */
export interface NativeDialogs {
  /** The chosen folder, or null when the user cancelled. */
  pickFolder(options: FolderPickerOptions): Promise<string | null>;
  /** The file to write (the dialog asked before replacing one), or null when the user cancelled. */
  pickSaveFile(options: SaveFileOptions): Promise<string | null>;
}

const EXPORT_FILES: Record<ExportFormat, SaveFileOptions['filters'][number]> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  jsonl: { name: 'JSON Lines', extensions: ['jsonl'] },
  parquet: { name: 'Parquet', extensions: ['parquet'] },
};

const DIALOGS: Record<FolderPurpose, { title: string; createDirectory: boolean }> = {
  backup: { title: 'Choose a folder for the backup', createDirectory: true },
  restore: { title: 'Choose a backup folder to restore', createDirectory: false },
  dataDir: { title: 'Open data directory', createDirectory: false },
  newDataDir: { title: 'Choose a folder for the new data directory', createDirectory: true },
};

export function hostService({ dialogs, rights }: ServiceDeps) {
  return {
    capabilities: impl.host.capabilities.handler(() => ({ folderDialog: dialogs !== undefined, saveDialog: dialogs !== undefined })),
    // Only opens a dialog: allowed in read-only mode, nothing to audit. It chooses a backup or
    // restore folder, so it needs the right to run those jobs; a data directory, the right to switch.
    pickFolder: impl.host.pickFolder.handler(async ({ input, context }) => {
      if (input.purpose === 'dataDir' || input.purpose === 'newDataDir') assertMaySwitch(context.acting.subject);
      else rights.assert(context.acting.subject, 'manageJobs');
      if (!dialogs) throw contractError('NOT_FOUND', 'This app has no folder dialog here (web mode): type the folder’s path instead.');
      const path = await dialogs.pickFolder({ ...DIALOGS[input.purpose], defaultPath: input.defaultPath, connectionId: context.connectionId });
      return { path };
    }),
    // Only opens a dialog (allowed in read-only mode, as exports are): the export job checks the
    // file it is given, wherever it came from, like a typed path.
    pickSaveFile: impl.host.pickSaveFile.handler(async ({ input, context }) => {
      if (!dialogs) throw contractError('NOT_FOUND', 'This app has no save dialog here (web mode): type the file’s path instead.');
      const path = await dialogs.pickSaveFile({
        title: 'Export to',
        defaultPath: input.defaultPath,
        filters: [EXPORT_FILES[input.format]],
        connectionId: context.connectionId,
      });
      return { path };
    }),
  };
}
