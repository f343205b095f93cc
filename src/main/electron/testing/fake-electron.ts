/**
 * A recording stand-in for the `electron` module, for tests that run in plain Node
 * (`vi.mock('electron', () => import('./testing/fake-electron'))`). Only what src/main/electron
 * uses, shaped like Electron's API; every instance is kept so tests can inspect and drive it.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

type Handler = (...args: unknown[]) => unknown;

export interface FakeEvent {
  readonly url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(url = ''): FakeEvent {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextContentsId = 1;

export class FakeWebFrameMain {
  readonly posted: { channel: string; message: unknown; transfer: FakeMessagePortMain[] }[] = [];
  destroyed = false;
  constructor(
    public url: string,
    public parent: FakeWebFrameMain | null = null,
  ) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: string, message: unknown, transfer: FakeMessagePortMain[] = []): void {
    this.posted.push({ channel, message, transfer });
  }
}

export class FakeWebContents extends EventEmitter {
  static readonly instances: FakeWebContents[] = [];
  readonly id = nextContentsId++;
  destroyed = false;
  constructor() {
    super();
    FakeWebContents.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame = new FakeWebFrameMain('app://kalam/index.html');
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.closed);
  }
  static fromWebContents(contents: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.webContents === contents) ?? null;
  }
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  closed = false;
  shown = false;
  focused = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.closed;
  }
  restore(): void {}
  focus(): void {
    this.focused++;
  }
  close(): void {
    this.closed = true;
    this.emit('closed');
  }
}

/** Electron's MessagePortMain over a Node MessagePort: `on('message')` gets `{ data, ports }`. */
export class FakeMessagePortMain extends EventEmitter {
  started = false;
  closed = false;
  constructor(readonly node: MessagePort) {
    super();
    node.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
    node.on('close', () => this.emit('close'));
  }
  postMessage(message: unknown): void {
    this.node.postMessage(message);
  }
  start(): void {
    this.started = true;
    this.node.start();
  }
  close(): void {
    this.closed = true;
    this.node.close();
  }
}

export class MessageChannelMain {
  static readonly instances: MessageChannelMain[] = [];
  readonly port1: FakeMessagePortMain;
  readonly port2: FakeMessagePortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new FakeMessagePortMain(port1);
    this.port2 = new FakeMessagePortMain(port2);
    MessageChannelMain.instances.push(this);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  sandboxEnabled = false;
  singleInstanceLock = true;
  readonly paths = new Map<string, string>();
  readonly calls: string[] = [];
  exitCode: number | null = null;
  quitCalled = 0;
  private readyResolve!: () => void;
  private readyPromise = new Promise<void>((r) => (this.readyResolve = r));

  enableSandbox(): void {
    this.calls.push('enableSandbox');
    this.sandboxEnabled = true;
  }
  setPath(name: string, value: string): void {
    this.calls.push(`setPath:${name}`);
    this.paths.set(name, value);
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.singleInstanceLock;
  }
  getVersion(): string {
    return '9.8.7';
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Test control: fire `ready`. */
  becomeReady(): void {
    this.calls.push('ready');
    this.readyResolve();
  }
  quit(): void {
    this.quitCalled++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.sandboxEnabled = false;
    this.singleInstanceLock = true;
    this.paths.clear();
    this.calls.length = 0;
    this.exitCode = null;
    this.quitCalled = 0;
    this.readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  }
}

export const app = new FakeApp();

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, Handler>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    app.calls.push('registerSchemesAsPrivileged');
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: Handler): void {
    this.handlers.set(scheme, handler);
  },
};

class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler): void {
    this.devicePermissionHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

export const ipcMain = new EventEmitter();

/** The preload's side: `sent` records ipcRenderer.send calls; tests emit what main sends. */
class FakeIpcRenderer extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  },
};

export const webContents = {
  fromId(id: number): FakeWebContents | undefined {
    return FakeWebContents.instances.find((c) => c.id === id);
  },
};

export interface OpenDialogResult {
  canceled: boolean;
  filePaths: string[];
}

export interface SaveDialogResult {
  canceled: boolean;
  filePath?: string;
}

export const dialog = {
  /** Every showSaveDialog call: its parent window (null without one) and options. */
  saveDialogs: [] as { window: BrowserWindow | null; options: Record<string, unknown> }[],
  /** Test control: what the next showSaveDialog calls answer, in order (cancelled when empty). */
  saveDialogResults: [] as SaveDialogResult[],
  errors: [] as { title: string; content: string }[],
  /** Every showOpenDialog call: its parent window (null without one) and options. */
  openDialogs: [] as { window: BrowserWindow | null; options: Record<string, unknown> }[],
  /** Test control: what the next showOpenDialog calls answer, in order (cancelled when empty). */
  openDialogResults: [] as OpenDialogResult[],
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
  showOpenDialog(windowOrOptions: BrowserWindow | Record<string, unknown>, maybeOptions?: Record<string, unknown>): Promise<OpenDialogResult> {
    const window = windowOrOptions instanceof BrowserWindow ? windowOrOptions : null;
    const options = window ? (maybeOptions ?? {}) : (windowOrOptions as Record<string, unknown>);
    this.openDialogs.push({ window, options });
    return Promise.resolve(this.openDialogResults.shift() ?? { canceled: true, filePaths: [] });
  },
  showSaveDialog(windowOrOptions: BrowserWindow | Record<string, unknown>, maybeOptions?: Record<string, unknown>): Promise<SaveDialogResult> {
    const window = windowOrOptions instanceof BrowserWindow ? windowOrOptions : null;
    const options = window ? (maybeOptions ?? {}) : (windowOrOptions as Record<string, unknown>);
    this.saveDialogs.push({ window, options });
    return Promise.resolve(this.saveDialogResults.shift() ?? { canceled: true });
  },
};

/** A built menu: the template it was built from. */
export interface FakeMenu {
  readonly template: readonly Record<string, unknown>[];
}

export const Menu = {
  /** The menu last passed to setApplicationMenu (null: none, or removed). */
  application: null as FakeMenu | null,
  buildFromTemplate(template: readonly Record<string, unknown>[]): FakeMenu {
    return { template };
  },
  setApplicationMenu(menu: FakeMenu | null): void {
    this.application = menu;
  },
};

/** Puts every fake back to its initial state. */
export function resetFakeElectron(): void {
  app.reset();
  BrowserWindow.instances.length = 0;
  MessageChannelMain.instances.length = 0;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.sent.length = 0;
  shell.opened.length = 0;
  dialog.errors.length = 0;
  dialog.openDialogs.length = 0;
  dialog.openDialogResults.length = 0;
  dialog.saveDialogs.length = 0;
  dialog.saveDialogResults.length = 0;
  FakeWebContents.instances.length = 0;
  Menu.application = null;
}
