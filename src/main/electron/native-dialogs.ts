import { BrowserWindow, dialog, webContents, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { NativeDialogs } from '../services/app-services';
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
 * The native folder and save dialogs, modal to the window that asked (or else `fallbackWindow`, the
 * main window). The renderer reaches them only through host.pickFolder and host.pickSaveFile: the
 * preload exposes nothing.
 */
export function createElectronDialogs(fallbackWindow: () => BrowserWindow | null): NativeDialogs {
  const parentOf = (connectionId: string): BrowserWindow | null => {
    const fallback = fallbackWindow();
    return windowOf(connectionId) ?? (fallback && !fallback.isDestroyed() ? fallback : null);
  };
  return {
    async pickFolder({ title, defaultPath, createDirectory, connectionId }) {
      const options: OpenDialogOptions = {
        title,
        properties: createDirectory ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
        ...(defaultPath !== undefined ? { defaultPath } : {}),
      };
      const parent = parentOf(connectionId);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async pickSaveFile({ title, defaultPath, filters, connectionId }) {
      const options: SaveDialogOptions = {
        title,
        filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
        ...(defaultPath !== undefined ? { defaultPath } : {}),
      };
      const parent = parentOf(connectionId);
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
