import { type ClientLink, DynamicLink } from '@orpc/client';
import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
import { RPCLink as MessagePortRPCLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';

/** Where the renderer runs: inside the Electron shell (app://) or in a browser on the local web mode. */
export type RuntimeMode = 'electron' | 'web';

export function runtimeMode(): RuntimeMode {
  return location.protocol === 'app:' ? 'electron' : 'web';
}

type Link = ClientLink<Record<never, never>>;

/** How long to wait for the preload to hand over its MessagePort before giving up. */
const PORT_TIMEOUT_MS = 10_000;

/**
 * Electron: asks the preload for the MessagePort to the main process. The preload answers with a
 * `{ type: 'kalam:port' }` window message that carries the port.
 */
function requestMessagePort(): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Error('The app shell did not open a connection to the engine.'));
    }, PORT_TIMEOUT_MS);
    function onMessage(event: MessageEvent<unknown>): void {
      if (event.source !== window) return;
      const data = event.data;
      if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== 'kalam:port') return;
      const port = event.ports[0];
      if (!port) return;
      window.clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(port);
    }
    window.addEventListener('message', onMessage);
    window.postMessage({ type: 'kalam:request-port' }, location.origin === 'null' ? '*' : location.origin);
  });
}

function electronLink(): Link {
  let link: Promise<Link> | undefined;
  return new DynamicLink(() => {
    link ??= requestMessagePort().then((port) => {
      const l = new MessagePortRPCLink({ port });
      port.start();
      return l;
    });
    // A failed handshake is not cached: the next call asks again.
    link.catch(() => {
      link = undefined;
    });
    return link;
  });
}

/** One WebSocket at a time for event streams; a closed one is replaced on the next subscribe. */
function webSocketLinkFactory(): () => Link {
  let socket: WebSocket | undefined;
  let link: Link | undefined;
  return () => {
    if (!socket || !link || socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${location.host}/ws`);
      link = new WebSocketRPCLink({ websocket: socket });
    }
    return link;
  };
}

function webLink(): Link {
  const http = new FetchRPCLink({ url: `${location.origin}/rpc`, fetch: (request, init) => fetch(request, { ...init, credentials: 'same-origin' }) });
  const ws = webSocketLinkFactory();
  // Calls go over HTTP; event streams need a connection that stays open.
  return new DynamicLink((_options, path) => (path[0] === 'events' ? ws() : http));
}

export function createLink(mode: RuntimeMode = runtimeMode()): Link {
  return mode === 'electron' ? electronLink() : webLink();
}
