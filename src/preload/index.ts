/**
 * Preload (sandboxed, context-isolated). It exposes NOTHING through contextBridge: its only job is
 * to pass one MessagePort from the main process to the page, on the page's request. The protocol
 * is in src/shared/electron-ipc.ts; the page's side is src/renderer/src/api/transport.ts.
 */
import { ipcRenderer } from 'electron';
import { isPageMessage, PAGE_PORT, PAGE_REQUEST_PORT, pageTargetOrigin, TRANSPORT_PORT_CHANNEL, TRANSPORT_REQUEST_CHANNEL } from '../shared/electron-ipc';

/** The little of `window` this file uses (the preload is type-checked without the DOM lib). */
declare const window: {
  readonly location: { readonly origin: string };
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown, targetOrigin: string, transfer?: readonly unknown[]): void;
};

/** The transferred port (typed loosely: the DOM MessagePort type is not in this program). */
function firstPort(event: { readonly ports: readonly unknown[] }): unknown {
  return event.ports[0];
}

// The page asks (its message reaches this isolated world too); the main process checks that the
// asking frame is the app's before it creates a port.
window.addEventListener('message', (event) => {
  if (isPageMessage(event.data, PAGE_REQUEST_PORT)) ipcRenderer.send(TRANSPORT_REQUEST_CHANNEL);
});

// The port arrives from main; transfer it to the page's world, and to the page's origin only.
ipcRenderer.on(TRANSPORT_PORT_CHANNEL, (event) => {
  const port = firstPort(event);
  if (port !== undefined) window.postMessage({ type: PAGE_PORT }, pageTargetOrigin(window.location.origin), [port]);
});
