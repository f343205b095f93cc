import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/message-port';
import type { ContractRouterClient } from '@orpc/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contract } from '../../shared/contract';
import { silentLogger } from '../../shared/logger';
import { createAppProtocolHandler, isAppUrl } from './app-protocol';
import { hardenWebContents, isSafeExternalUrl } from './hardening';
import { TRANSPORT_PORT_CHANNEL, TRANSPORT_REQUEST_CHANNEL } from '../../shared/electron-ipc';
import { appMenuTemplate, CLOSE_WINDOW_ACCELERATOR } from './app-menu';
import { electronUserArgs, runElectronApp, type ElectronAppHandle } from './main';
import * as fake from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

let base: string;
let bundleDir: string;
let rendererDir: string;
let handle: ElectronAppHandle | null;

beforeEach(() => {
  fake.resetFakeElectron();
  base = mkdtempSync(join(tmpdir(), 'kalam-electron-'));
  bundleDir = join(base, 'out', 'main');
  rendererDir = join(base, 'out', 'renderer');
  mkdirSync(bundleDir, { recursive: true });
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kalam Studio</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'out', 'package.json'), '{"secret":true}');
  handle = null;
});

afterEach(() => {
  fake.app.emit('will-quit');
  handle?.runtime()?.close();
  rmSync(base, { recursive: true, force: true });
});

/** Starts the shell on a temp data dir and fires `ready`; returns the main window. */
async function startApp(extraArgs: string[] = []): Promise<fake.BrowserWindow> {
  handle = runElectronApp({ argv: ['--data-dir', join(base, 'data'), '--no-demo', ...extraArgs], bundleDir });
  fake.app.becomeReady();
  await handle.ready;
  const window = fake.BrowserWindow.instances[0];
  if (!window) throw new Error('no window was created');
  return window;
}

function requestPort(frame: fake.FakeWebFrameMain, contents = new fake.FakeWebContents()): void {
  fake.ipcMain.emit(TRANSPORT_REQUEST_CHANNEL, { senderFrame: frame, sender: contents, ports: [] });
}

describe('Electron shell startup', () => {
  it('enables the sandbox, registers the app scheme before ready and takes the single-instance lock', async () => {
    await startApp();
    const calls = fake.app.calls;
    expect(calls).toContain('enableSandbox');
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('ready'));
    expect(calls.indexOf('setPath:userData')).toBeLessThan(calls.indexOf('requestSingleInstanceLock'));
    expect(fake.app.paths.get('userData')).toBe(join(base, 'data', 'electron'));
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown }]);
    expect(fake.protocol.handlers.has('app')).toBe(true);
  });

  it('opens one window with the secure web preferences, loading app://kalam/', async () => {
    const window = await startApp();
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: join(base, 'out', 'preload', 'index.cjs'),
    });
    expect(window.loadedUrls).toEqual(['app://kalam/index.html']);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('quits when the last window closes (except on macOS) and closes the engine on quit', async () => {
    const window = await startApp();
    window.close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalled).toBe(process.platform === 'darwin' ? 0 : 1);
    const runtime = handle?.runtime();
    expect(runtime?.engine.backend.open).toBe(true);
    fake.app.emit('will-quit');
    expect(runtime?.engine.backend.open).toBe(false);
  });

  it('quits at once when another instance holds the lock', () => {
    fake.app.singleInstanceLock = false;
    handle = runElectronApp({ argv: ['--data-dir', join(base, 'data')], bundleDir });
    expect(fake.app.quitCalled).toBe(1);
    fake.app.becomeReady();
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('focuses the existing window on a second instance', async () => {
    const window = await startApp();
    fake.app.emit('second-instance');
    expect(window.focused).toBe(1);
  });

  it('shows an error and exits 2 on bad arguments', () => {
    handle = runElectronApp({ argv: ['--port', 'nope'], bundleDir });
    expect(fake.dialog.errors[0]?.content).toMatch(/--port: must be a whole number/);
    expect(fake.app.exitCode).toBe(2);
    expect(fake.app.calls).not.toContain('requestSingleInstanceLock');
  });

  it('strips the executable (and the app path in development) from argv', () => {
    expect(electronUserArgs(['/opt/electron', '.', '--read-only'], false)).toEqual(['--read-only']);
    expect(electronUserArgs(['/opt/Kalam Studio', '--read-only'], true)).toEqual(['--read-only']);
  });
});

/** Every item of a menu template, submenus included. */
function menuItems(template: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item['submenu']) ? menuItems(item['submenu'] as Record<string, unknown>[]) : [])]);
}

/** Roles whose default accelerator is Ctrl/Cmd+W: a menu that uses them without another one takes the key. */
const CLOSING_ROLES = new Set(['close', 'fileMenu', 'windowMenu']);

describe('application menu', () => {
  it('leaves Ctrl/Cmd+W to the renderer (it closes the current tab); the window closes with Shift+Ctrl/Cmd+W', async () => {
    await startApp();
    const menu = fake.Menu.application;
    expect(menu).not.toBeNull();
    for (const platform of [process.platform, 'darwin', 'linux', 'win32'] as const) {
      const items = menuItems(platform === process.platform ? menu!.template : (appMenuTemplate(platform) as unknown as Record<string, unknown>[]));
      const accelerators = items.map((i) => i['accelerator']).filter((a): a is string => typeof a === 'string');
      expect(
        accelerators.filter((a) => /^(CmdOrCtrl|CommandOrControl|Ctrl|Control|Cmd|Command)\+W$/i.test(a)),
        platform,
      ).toEqual([]);
      // A role that closes is only there with its accelerator moved off Ctrl/Cmd+W.
      const closing = items.filter((i) => CLOSING_ROLES.has(String(i['role'])));
      expect(
        closing.map((i) => [i['role'], i['accelerator']]),
        platform,
      ).toEqual([['close', CLOSE_WINDOW_ACCELERATOR]]);
    }
  });
});

describe('navigation and windows', () => {
  it('prevents navigation and redirects away from app://kalam', async () => {
    const { webContents } = await startApp();
    for (const [event, url, blocked] of [
      ['will-navigate', 'https://evil.example/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-navigate', 'app://kalam.evil/index.html', true],
      ['will-navigate', 'app://other/index.html', true],
      ['will-navigate', 'app://kalam/index.html#/table/system.users', false],
      ['will-redirect', 'http://127.0.0.1:1234/', true],
      ['will-redirect', 'app://kalam/index.html', false],
    ] as const) {
      const e = fake.fakeEvent(url);
      webContents.emit(event, e, url);
      expect(e.defaultPrevented, `${event} ${url}`).toBe(blocked);
    }
    const attach = fake.fakeEvent();
    webContents.emit('will-attach-webview', attach);
    expect(attach.defaultPrevented).toBe(true);
  });

  it('denies every window.open, sending only http(s) URLs to the system browser', async () => {
    const { webContents } = await startApp();
    const open = webContents.windowOpenHandler;
    expect(open).not.toBeNull();
    for (const url of [
      'https://kalam.example/docs',
      'http://example.com/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://kalam/index.html',
      'smb://host/share',
      'not a url',
    ]) {
      expect(open?.({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.opened).toEqual(['https://kalam.example/docs', 'http://example.com/x']);
  });

  it('hardens every web contents the app creates', async () => {
    await startApp();
    const other = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    const e = fake.fakeEvent('https://evil.example/');
    other.emit('will-navigate', e, e.url);
    expect(e.defaultPrevented).toBe(true);
    expect(other.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    // Hardening twice does not add a second set of listeners.
    hardenWebContents(other as never, silentLogger);
    expect(other.listenerCount('will-navigate')).toBe(1);
  });

  it('denies every permission request and check (clipboard writes of the app excepted)', async () => {
    await startApp();
    const ses = fake.session.defaultSession;
    const callback = vi.fn();
    const app = { requestingUrl: 'app://kalam/index.html' };
    const foreign = { requestingUrl: 'https://evil.example/' };
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      ses.permissionRequestHandler?.({}, permission, callback, app);
    }
    ses.permissionRequestHandler?.({}, 'clipboard-sanitized-write', callback, foreign);
    expect(callback.mock.calls).toEqual(Array.from({ length: 7 }, () => [false]));
    ses.permissionRequestHandler?.({}, 'clipboard-sanitized-write', callback, app);
    expect(callback).toHaveBeenLastCalledWith(true);

    expect(ses.permissionCheckHandler?.({}, 'clipboard-read', 'app://kalam', {})).toBe(false);
    expect(ses.permissionCheckHandler?.({}, 'media', 'app://kalam', {})).toBe(false);
    expect(ses.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(false);
    expect(ses.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'app://kalam', {})).toBe(true);
    expect(ses.devicePermissionHandler?.({})).toBe(false);
  });

  it('classifies URLs', () => {
    expect(isAppUrl('app://kalam/')).toBe(true);
    expect(isAppUrl('app://kalam@evil/')).toBe(false);
    expect(isAppUrl('app://kalam:80/')).toBe(false);
    expect(isAppUrl('http://kalam/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.c')).toBe(false);
    expect(isSafeExternalUrl('file:///x')).toBe(false);
  });
});

describe('transport IPC', () => {
  it('refuses a port request from a foreign, missing, destroyed or sub frame', async () => {
    await startApp();
    const foreign = new fake.FakeWebFrameMain('https://evil.example/');
    requestPort(foreign);
    fake.ipcMain.emit(TRANSPORT_REQUEST_CHANNEL, { senderFrame: null, sender: new fake.FakeWebContents(), ports: [] });
    const destroyed = new fake.FakeWebFrameMain('app://kalam/index.html');
    destroyed.destroyed = true;
    requestPort(destroyed);
    const sub = new fake.FakeWebFrameMain('app://kalam/index.html', new fake.FakeWebFrameMain('app://kalam/index.html'));
    requestPort(sub);
    const lookalike = new fake.FakeWebFrameMain('app://kalam.evil/index.html');
    requestPort(lookalike);
    expect(fake.MessageChannelMain.instances).toHaveLength(0);
    for (const frame of [foreign, destroyed, sub, lookalike]) expect(frame.posted).toEqual([]);
  });

  it('gives an app frame its own port, served by the oRPC handler', async () => {
    await startApp();
    const frame = new fake.FakeWebFrameMain('app://kalam/index.html');
    requestPort(frame);
    expect(fake.MessageChannelMain.instances).toHaveLength(1);
    const channel = fake.MessageChannelMain.instances[0]!;
    expect(channel.port1.started).toBe(true);
    expect(frame.posted).toHaveLength(1);
    expect(frame.posted[0]).toMatchObject({ channel: TRANSPORT_PORT_CHANNEL, message: null });
    expect(frame.posted[0]?.transfer).toEqual([channel.port2]);

    // The renderer's end: what the page gets is a DOM-style MessagePort; Node's has the same API.
    const rendererPort = channel.port2.node;
    const client: ContractRouterClient<Contract> = createORPCClient(new RPCLink({ port: rendererPort }));
    rendererPort.start();
    const info = await client.engine.info();
    expect(info).toMatchObject({ mode: 'electron', appVersion: '9.8.7', dataDir: join(base, 'data') });
    rendererPort.close();
  });

  it('closes the ports of a web contents when it is destroyed', async () => {
    await startApp();
    const contents = new fake.FakeWebContents();
    const frame = new fake.FakeWebFrameMain('app://kalam/index.html');
    requestPort(frame, contents);
    requestPort(frame, contents);
    expect(fake.MessageChannelMain.instances).toHaveLength(2);
    contents.emit('destroyed');
    expect(fake.MessageChannelMain.instances.map((c) => c.port1.closed)).toEqual([true, true]);
  });
});

/** A client over a port requested by `contents` (its main frame), as the renderer's transport does. */
function connect(contents: fake.FakeWebContents): { client: ContractRouterClient<Contract>; close: () => void } {
  requestPort(contents.mainFrame, contents);
  const port = fake.MessageChannelMain.instances.at(-1)!.port2.node;
  const client: ContractRouterClient<Contract> = createORPCClient(new RPCLink({ port }));
  port.start();
  return { client, close: () => port.close() };
}

describe('native folder dialog (host.pickFolder over the IPC port)', () => {
  it('offers the dialog, modal to the window that asked, creating folders for a backup only', async () => {
    const window = await startApp();
    const { client, close } = connect(window.webContents);
    expect(await client.host.capabilities()).toEqual({ folderDialog: true, saveDialog: true });

    fake.dialog.openDialogResults.push({ canceled: false, filePaths: ['/home/me/backups/b1'] });
    expect(await client.host.pickFolder({ purpose: 'backup', defaultPath: '/home/me/backups' })).toEqual({ path: '/home/me/backups/b1' });
    fake.dialog.openDialogResults.push({ canceled: false, filePaths: ['/home/me/backups/b0'] });
    expect(await client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: '/home/me/backups/b0' });

    expect(fake.dialog.openDialogs).toHaveLength(2);
    expect(fake.dialog.openDialogs[0]!.window).toBe(window);
    expect(fake.dialog.openDialogs[0]!.options).toEqual({
      title: 'Choose a folder for the backup',
      properties: ['openDirectory', 'createDirectory'],
      defaultPath: '/home/me/backups',
    });
    expect(fake.dialog.openDialogs[1]!.window).toBe(window);
    expect(fake.dialog.openDialogs[1]!.options).toEqual({ title: 'Choose a backup folder to restore', properties: ['openDirectory'] });
    close();
  });

  it('a cancelled dialog is path null', async () => {
    const window = await startApp();
    const { client, close } = connect(window.webContents);
    fake.dialog.openDialogResults.push({ canceled: true, filePaths: [] });
    expect(await client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: null });
    close();
  });

  it('parents the dialog to a second window that asked, and to the main window when the asker has none', async () => {
    const main = await startApp();
    const second = new fake.BrowserWindow({});
    const fromSecond = connect(second.webContents);
    await fromSecond.client.host.pickFolder({ purpose: 'restore' });
    expect(fake.dialog.openDialogs.at(-1)!.window).toBe(second);

    const windowless = connect(new fake.FakeWebContents());
    await windowless.client.host.pickFolder({ purpose: 'restore' });
    expect(fake.dialog.openDialogs.at(-1)!.window).toBe(main);

    // The asker's window closed meanwhile: the main window again; no window at all: no parent.
    second.close();
    await fromSecond.client.host.pickFolder({ purpose: 'restore' });
    expect(fake.dialog.openDialogs.at(-1)!.window).toBe(main);
    main.close();
    await windowless.client.host.pickFolder({ purpose: 'restore' });
    expect(fake.dialog.openDialogs.at(-1)!.window).toBeNull();
    fromSecond.close();
    windowless.close();
  });

  it('refuses bad input before any dialog opens', async () => {
    const window = await startApp();
    const { client, close } = connect(window.webContents);
    await expect(client.host.pickFolder({ purpose: 'backup', defaultPath: 'relative/dir' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(fake.dialog.openDialogs).toEqual([]);
    close();
  });
});

describe('native save dialog (host.pickSaveFile over the IPC port)', () => {
  it("opens Electron's save dialog modal to the asking window, with the export format's files and overwrite confirmation", async () => {
    const window = await startApp();
    const { client, close } = connect(window.webContents);
    fake.dialog.saveDialogResults.push({ canceled: false, filePath: '/home/me/out/products.csv' }, { canceled: true });
    expect(await client.host.pickSaveFile({ purpose: 'export', format: 'csv', defaultPath: '/home/me/out/demo.products.csv' })).toEqual({
      path: '/home/me/out/products.csv',
    });
    expect(await client.host.pickSaveFile({ purpose: 'export', format: 'csv' })).toEqual({ path: null });
    expect(fake.dialog.saveDialogs[0]!.window).toBe(window);
    expect(fake.dialog.saveDialogs[0]!.options).toEqual({
      title: 'Export to',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
      defaultPath: '/home/me/out/demo.products.csv',
    });
    await expect(client.host.pickSaveFile({ purpose: 'export', format: 'csv', defaultPath: 'out.csv' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(fake.dialog.saveDialogs).toHaveLength(2);
    close();
  });
});

describe('Open data directory… (host.pickFolder, then dataDirs over the IPC port)', () => {
  it('opens the native dialog for an existing directory, or offering to create one for a new directory', async () => {
    const window = await startApp();
    const { client, close } = connect(window.webContents);
    fake.dialog.openDialogResults.push({ canceled: false, filePaths: ['/home/me/other-data'] });
    expect(await client.host.pickFolder({ purpose: 'dataDir' })).toEqual({ path: '/home/me/other-data' });
    fake.dialog.openDialogResults.push({ canceled: false, filePaths: ['/home/me/new-data'] });
    expect(await client.host.pickFolder({ purpose: 'newDataDir', defaultPath: '/home/me' })).toEqual({ path: '/home/me/new-data' });
    expect(fake.dialog.openDialogs.map((d) => [d.window, d.options])).toEqual([
      [window, { title: 'Open data directory', properties: ['openDirectory'] }],
      [window, { title: 'Choose a folder for the new data directory', properties: ['openDirectory', 'createDirectory'], defaultPath: '/home/me' }],
    ]);
    // Viewed as a plain role, no dialog opens.
    await expect(client.host.pickFolder({ purpose: 'dataDir', as: { userId: null, role: 'user' } })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(fake.dialog.openDialogs).toHaveLength(2);
    close();
  });

  it('switches without a restart: the chosen directory is checked in main, and a port opened after the switch serves it', async () => {
    // The recent list goes to the app's settings folder: a temporary one here.
    vi.stubEnv('KALAM_SETTINGS_DIR', join(base, 'settings'));
    const window = await startApp();
    const before = connect(window.webContents);
    const first = handle!.runtime()!;
    await expect(before.client.dataDirs.open({ path: join(base, 'nowhere') })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(handle!.runtime()).toBe(first);

    const report = await before.client.dataDirs.create({ path: join(base, 'second'), demo: true });
    expect(report).toMatchObject({ path: join(base, 'second'), created: true, closed: join(base, 'data') });
    expect(first.engine.backend.open).toBe(false);
    // The renderer reloads after a switch and asks for a new port: it reaches the new directory.
    const after = connect(window.webContents);
    expect((await after.client.engine.info()).dataDir).toBe(join(base, 'second'));
    expect((await after.client.tables.list()).map((t) => t.table)).toContain('demo.products');
    expect((await after.client.dataDirs.list()).recent.map((r) => r.path)).toEqual([join(base, 'second'), join(base, 'data')]);
    before.close();
    after.close();
    vi.unstubAllEnvs();
  });
});

describe('app:// protocol', () => {
  const handler = () => createAppProtocolHandler(rendererDir);
  const get = (url: string, method = 'GET') => handler()({ url, method });

  it('serves the renderer with the CSP', async () => {
    const res = await get('app://kalam/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('Kalam Studio');
    expect((await get('app://kalam/')).status).toBe(200);
    expect((await get('app://kalam')).status).toBe(200);
    expect((await get('app://kalam/assets/app.js?v=1')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses path traversal, other hosts and other methods', async () => {
    for (const url of [
      'app://kalam/../package.json',
      'app://kalam/assets/../../package.json',
      'app://kalam/%2e%2e/package.json',
      'app://kalam/..%2fpackage.json',
      'app://kalam/..%5cpackage.json',
      'app://kalam/%2e%2e%2f%2e%2e%2fpackage.json',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(await res.text(), url).not.toContain('secret');
    }
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://kalam.evil/index.html')).status).toBe(404);
    expect((await get('app://kalam/missing.js')).status).toBe(404);
    expect((await get('app://kalam/index.html', 'POST')).status).toBe(405);
  });
});
