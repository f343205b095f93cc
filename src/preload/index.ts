/**
 * Preload (sandboxed, context-isolated). It exposes NOTHING through contextBridge: its only job is
 * to pass one MessagePort from the main process to the page, on the page's request.
 *
 * ---------------------------------------------------------------------------------------------
 * Renderer side of the protocol (the renderer must match this exactly):
 *
 * 1. Detect the shell: `window.location.protocol === 'app:'` means Electron (the page is served
 *    from app://kalam/); anything else (http:) means web mode.
 *
 * 2. Electron: ask for a port, wait for it, speak oRPC over it.
 *
 *      import { RPCLink } from '@orpc/client/message-port';
 *
 *      function requestPort(): Promise<MessagePort> {
 *        return new Promise((resolve) => {
 *          const onMessage = (event: MessageEvent) => {
 *            if (event.source !== window || event.data?.type !== 'kalam:port' || !event.ports[0]) return;
 *            window.removeEventListener('message', onMessage);
 *            resolve(event.ports[0]);
 *          };
 *          window.addEventListener('message', onMessage);
 *          window.postMessage({ type: 'kalam:request-port' }, '*');
 *        });
 *      }
 *      const port = await requestPort();
 *      const link = new RPCLink({ port });
 *      port.start();                       // messages queue until start()
 *
 *    One port carries everything, events.subscribe included. Each request gets a fresh port
 *    (a new connection); after a reload, just ask again.
 *
 * 3. Web mode (same origin, the HttpOnly cookie authenticates; never handle the token in JS):
 *
 *      import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
 *      import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';
 *
 *      const http = new FetchRPCLink({ url: `${window.location.origin}/rpc` });
 *      const ws = new WebSocket(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`);
 *      const events = new WebSocketRPCLink({ websocket: ws });   // use it for events.subscribe
 *
 *    Reconnect the WebSocket (new WebSocket + new link) if it closes. A 401 from /rpc means the
 *    cookie is missing: the user must open the URL printed by `npm start -- --web`.
 *
 * 4. CSP (both shells): scripts and styles from files only (no inline <script>/<style>, no
 *    eval); images from the app or data: URLs; no frames, no forms posting anywhere.
 * ---------------------------------------------------------------------------------------------
 */
import { ipcRenderer } from 'electron';
import { PAGE_PORT, PAGE_REQUEST_PORT, TRANSPORT_PORT_CHANNEL, TRANSPORT_REQUEST_CHANNEL } from '../main/electron/ipc-channels';

/** The little of `window` this file uses (the preload is type-checked without the DOM lib). */
declare const window: {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown, targetOrigin: string, transfer?: readonly unknown[]): void;
};

/** The transferred port (typed loosely: the DOM MessagePort type is not in this program). */
function firstPort(event: { readonly ports: readonly unknown[] }): unknown {
  return event.ports[0];
}

function isPortRequest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === PAGE_REQUEST_PORT;
}

// The page asks (its message reaches this isolated world too); the main process checks that the
// asking frame is the app's before it creates a port.
window.addEventListener('message', (event) => {
  if (isPortRequest(event.data)) ipcRenderer.send(TRANSPORT_REQUEST_CHANNEL);
});

// The port arrives from main; transfer it to the page's world.
ipcRenderer.on(TRANSPORT_PORT_CHANNEL, (event) => {
  const port = firstPort(event);
  if (port !== undefined) window.postMessage({ type: PAGE_PORT }, '*', [port]);
});
