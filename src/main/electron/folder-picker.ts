import { BrowserWindow, dialog, webContents, type OpenDialogOptions } from 'electron';
import type { FolderPicker } from '../services/app-services';
import { webContentsIdOf } from './transport-ipc';

/** The live window a connection's web contents belongs to, if it can be found. */
function windowOf(connectionId: string): BrowserWindow | null {
  const id = webContentsIdOf(connectionId);
  const contents = id === undefined ? undefined : webContents.fromId(id);
  if (!contents || contents.isDestroyed()) return null;
  const window = BrowserWindow.fromWebContents(contents);
  return window && !window.isDestroyed() ? window : null;
}

/**
 * The native folder dialog, modal to the window that asked (or else `fallbackWindow`, the main
 * window). The renderer reaches it only through host.pickFolder: the preload exposes nothing.
 */
export function createElectronFolderPicker(fallbackWindow: () => BrowserWindow | null): FolderPicker {
  return {
    async pickFolder({ title, defaultPath, createDirectory, connectionId }) {
      const options: OpenDialogOptions = {
        title,
        properties: createDirectory ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
        ...(defaultPath !== undefined ? { defaultPath } : {}),
      };
      const fallback = fallbackWindow();
      const parent = windowOf(connectionId) ?? (fallback && !fallback.isDestroyed() ? fallback : null);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
