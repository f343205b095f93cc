import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from '../main/electron/testing/fake-electron';
import { PAGE_PORT, PAGE_REQUEST_PORT, TRANSPORT_PORT_CHANNEL, TRANSPORT_REQUEST_CHANNEL } from '../shared/electron-ipc';

vi.mock('electron', () => import('../main/electron/testing/fake-electron'));

/** The page's window as the preload sees it: message listeners in, posted messages out. */
class FakeWindow {
  readonly listeners: ((event: { data: unknown }) => void)[] = [];
  readonly posted: { message: unknown; targetOrigin: string; transfer: readonly unknown[] }[] = [];
  readonly location = { origin: 'app://kalam' };
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.listeners.push(listener);
  }
  postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[] = []): void {
    this.posted.push({ message, targetOrigin, transfer });
  }
  dispatch(data: unknown): void {
    for (const listener of this.listeners) listener({ data });
  }
}

const page = new FakeWindow();

beforeAll(async () => {
  fake.resetFakeElectron();
  vi.stubGlobal('window', page);
  await import('./index');
});

describe('preload', () => {
  it('asks the main process for a port only when the page sends the request message', () => {
    page.dispatch({ type: 'something else' });
    page.dispatch('kalam:request-port');
    expect(fake.ipcRenderer.sent).toEqual([]);
    page.dispatch({ type: PAGE_REQUEST_PORT });
    expect(fake.ipcRenderer.sent).toEqual([{ channel: TRANSPORT_REQUEST_CHANNEL, args: [] }]);
  });

  it("hands the port from main to the page's own origin, never to '*'", () => {
    const port = { transferable: 'port' };
    fake.ipcRenderer.emit(TRANSPORT_PORT_CHANNEL, { ports: [port] });
    expect(page.posted).toEqual([{ message: { type: PAGE_PORT }, targetOrigin: 'app://kalam', transfer: [port] }]);
    // A message without a port posts nothing.
    fake.ipcRenderer.emit(TRANSPORT_PORT_CHANNEL, { ports: [] });
    expect(page.posted).toHaveLength(1);
  });
});
