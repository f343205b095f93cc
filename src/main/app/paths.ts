import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

/** The folder name on macOS and Windows, where app folders are named for people. */
export const PRODUCT_NAME = 'Kalam Studio';
/** The folder name on Linux, where config folders are lower-case. */
export const LINUX_DIR_NAME = 'kalam-studio';

export interface PlatformEnv {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

const currentPlatform = (): PlatformEnv => ({ platform: process.platform, env: process.env, homeDir: homedir() });

/**
 * Where the app keeps its data when no --data-dir / KALAM_DATA_DIR is given: the platform's
 * per-user app-data folder. Computed without Electron (`app.getPath`) so web mode, the CLI and
 * the Electron shell all agree on it.
 *
 * - Linux (and other Unixes): `$XDG_CONFIG_HOME/kalam-studio`, else `~/.config/kalam-studio`
 * - macOS: `~/Library/Application Support/Kalam Studio`
 * - Windows: `%APPDATA%\Kalam Studio`, else `~\AppData\Roaming\Kalam Studio`
 */
export function defaultDataDir(p: PlatformEnv = currentPlatform()): string {
  switch (p.platform) {
    case 'darwin':
      return posix.join(p.homeDir, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32': {
      const appData = nonEmpty(p.env['APPDATA']);
      return appData !== undefined && win32.isAbsolute(appData) ? win32.join(appData, PRODUCT_NAME) : win32.join(p.homeDir, 'AppData', 'Roaming', PRODUCT_NAME);
    }
    default: {
      // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
      const xdg = nonEmpty(p.env['XDG_CONFIG_HOME']);
      return xdg !== undefined && posix.isAbsolute(xdg) ? posix.join(xdg, LINUX_DIR_NAME) : posix.join(p.homeDir, '.config', LINUX_DIR_NAME);
    }
  }
}

/** Overrides appSettingsDir (tests, and whoever keeps several app setups apart). */
const SETTINGS_DIR_ENV = 'KALAM_SETTINGS_DIR';

/**
 * The app's own settings (the recent data directories), never inside a data directory: the
 * default data directory already is the platform's app-data folder, so these go where platforms
 * keep per-user state of an app. `KALAM_SETTINGS_DIR` overrides it.
 *
 * - Linux (and other Unixes): `$XDG_STATE_HOME/kalam-studio`, else `~/.local/state/kalam-studio`
 *   (the XDG spec's place for "recently used files")
 * - macOS: `~/Library/Preferences/Kalam Studio`
 * - Windows: `%LOCALAPPDATA%\Kalam Studio` (the data directory is under the roaming AppData)
 */
export function appSettingsDir(p: PlatformEnv = currentPlatform()): string {
  const override = nonEmpty(p.env[SETTINGS_DIR_ENV]);
  if (override !== undefined && (p.platform === 'win32' ? win32 : posix).isAbsolute(override)) return override;
  switch (p.platform) {
    case 'darwin':
      return posix.join(p.homeDir, 'Library', 'Preferences', PRODUCT_NAME);
    case 'win32': {
      const local = nonEmpty(p.env['LOCALAPPDATA']);
      return local !== undefined && win32.isAbsolute(local) ? win32.join(local, PRODUCT_NAME) : win32.join(p.homeDir, 'AppData', 'Local', PRODUCT_NAME);
    }
    default: {
      const state = nonEmpty(p.env['XDG_STATE_HOME']);
      return state !== undefined && posix.isAbsolute(state) ? posix.join(state, LINUX_DIR_NAME) : posix.join(p.homeDir, '.local', 'state', LINUX_DIR_NAME);
    }
  }
}

/** Where the main-process log of a data directory goes. */
export function logPathFor(dataDir: string): string {
  return join(dataDir, 'logs', 'main.log');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
