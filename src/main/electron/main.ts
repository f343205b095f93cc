import { join } from 'node:path';
import { app, BrowserWindow, dialog, session as electronSession } from 'electron';
import { ArgsError, parseAppArgs, USAGE, type AppArgs } from '../app/args';
import { homedir } from 'node:os';
import { AppSession } from '../app/app-session';
import { AppAlreadyRunningError, type AppRuntime } from '../app/bootstrap';
import { createFileLogger } from '../app/logger';
import type { Logger } from '../../shared/logger';
import { appSettingsDir, logPathFor } from '../app/paths';
import { createMessagePortServer } from '../transports/message-port/port-server';
import { installAppMenu } from './app-menu';
import { installAppProtocol, registerAppSchemePrivileges } from './app-protocol';
import { createElectronDialogs } from './native-dialogs';
import { hardenSession, hardenWebContents } from './hardening';
import { registerTransportIpc } from './transport-ipc';
import { createMainWindow } from './window';

export interface ElectronAppOptions {
  /** The app's own arguments; defaults to process.argv without the executable (and app path). */
  readonly argv?: readonly string[];
  /** Folder of the built main bundle (out/main); the renderer and preload sit next to it. */
  readonly bundleDir?: string;
}

/** process.argv without the executable, and without the app path when run as `electron .`. */
export function electronUserArgs(argv: readonly string[], isPackaged: boolean): string[] {
  return argv.slice(isPackaged ? 1 : 2);
}

export interface ElectronAppHandle {
  /** Resolves once the first window is created (or the start failed, see `runtime`). */
  readonly ready: Promise<void>;
  /** The open data directory's runtime (it changes when the user opens another). */
  runtime(): AppRuntime | null;
  session(): AppSession | null;
  mainWindow(): BrowserWindow | null;
}

/**
 * The Electron shell: sandboxed, single-instance, renderer on app://kalam, API over a
 * MessagePort per window. Must be called synchronously at startup (before `ready`).
 */
export function runElectronApp(options: ElectronAppOptions = {}): ElectronAppHandle {
  const bundleDir = options.bundleDir ?? import.meta.dirname;
  const rendererDir = join(bundleDir, '..', 'renderer');
  const preloadPath = join(bundleDir, '..', 'preload', 'index.cjs');
  let session: AppSession | null = null;
  let mainWindow: BrowserWindow | null = null;
  const handle: ElectronAppHandle = {
    ready: Promise.resolve(),
    runtime: () => session?.current() ?? null,
    session: () => session,
    mainWindow: () => mainWindow,
  };

  let args: AppArgs;
  try {
    args = parseAppArgs(options.argv ?? electronUserArgs(process.argv, app.isPackaged), { lenient: true });
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    dialog.showErrorBox('Kalam Studio', `${e.message}\n\n${USAGE}`);
    app.exit(2);
    return handle;
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    app.exit(0);
    return handle;
  }

  // Chromium's own profile lives inside the data directory, so one data directory means one
  // running instance (the single-instance lock is taken on userData) and two data directories
  // can be open side by side.
  app.setPath('userData', join(args.dataDir, 'electron'));
  app.enableSandbox();
  registerAppSchemePrivileges();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return handle;
  }

  const logger: Logger = createFileLogger(logPathFor(args.dataDir));
  if (args.web) logger.warn('--web is ignored by the Electron shell (use `npm start -- --web` or node out/main/web.js)');

  const openWindow = (): void => {
    const window = createMainWindow({ preloadPath, logger });
    mainWindow = window;
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
  };

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    session?.close();
    logger.close();
  });

  const start = (): void => {
    let opened: AppSession;
    try {
      opened = AppSession.start({
        settingsDir: appSettingsDir({ platform: process.platform, env: process.env, homeDir: homedir() }),
        dataDir: args.dataDir,
        mode: 'electron',
        appVersion: app.getVersion(),
        demo: args.demo,
        readOnly: args.readOnly,
        logger,
        jobs: { workerPath: join(bundleDir, 'job-worker.js') },
        sql: { workerPath: join(bundleDir, 'query-worker.js') },
        dialogs: createElectronDialogs(() => mainWindow),
      });
    } catch (e) {
      dialog.showErrorBox(
        'Kalam Studio could not start',
        e instanceof AppAlreadyRunningError ? e.message : `Cannot open the data directory ${args.dataDir}:\n${e instanceof Error ? e.message : String(e)}`,
      );
      app.exit(1);
      return;
    }
    session = opened;
    hardenSession(electronSession.defaultSession, logger);
    installAppProtocol(rendererDir);
    // A port opened after a switch of data directory serves the new directory (the renderer reloads).
    registerTransportIpc(
      createMessagePortServer(() => opened.current().services, logger),
      logger,
    );
    installAppMenu();
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  };

  return {
    ...handle,
    ready: app.whenReady().then(start, (error: unknown) => {
      logger.error('electron failed to get ready', { error });
      app.exit(1);
    }),
  };
}
