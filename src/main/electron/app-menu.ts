import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Electron's default one binds Ctrl/Cmd+W to Close Window, which would take
 * the key before the renderer, where Ctrl/Cmd+W closes the current tab (as in browsers and
 * editors): here the window closes with Shift+Ctrl/Cmd+W instead, and no item takes Ctrl/Cmd+W.
 */
export const CLOSE_WINDOW_ACCELERATOR = 'Shift+CmdOrCtrl+W';

export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const windowItems: MenuItemConstructorOptions[] = [
    { role: 'minimize' },
    ...(mac ? [{ role: 'zoom' } as const] : []),
    { role: 'close', accelerator: CLOSE_WINDOW_ACCELERATOR },
  ];
  return [
    // macOS's app menu (About, Hide, Quit); elsewhere Quit is in File.
    ...(mac ? [{ role: 'appMenu' } as const] : [{ label: 'File', submenu: [{ role: 'quit' }] } satisfies MenuItemConstructorOptions]),
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { label: 'Window', role: 'window', submenu: windowItems },
  ];
}

export function installAppMenu(platform: NodeJS.Platform = process.platform): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform)));
}
