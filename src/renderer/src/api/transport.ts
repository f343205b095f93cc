import { type ClientLink, DynamicLink } from '@orpc/client';
import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
import { RPCLink as MessagePortRPCLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';
import { isPageMessage, PAGE_PORT, PAGE_REQUEST_PORT, pageTargetOrigin } from '../../../shared/electron-ipc';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/web-session';
import type { WebSession } from './web-session';

/** Where the renderer runs: inside the Electron shell (app://) or in a browser on the local web mode. */
export type RuntimeMode = 'electron' | 'web';

export function runtimeMode(): RuntimeMode {
  return location.protocol === 'app:' ? 'electron' : 'web';
}

type Link = ClientLink<Record<never, never>>;

/** How long to wait for the preload to hand over its MessagePort before giving up. */
const PORT_TIMEOUT_MS = 10_000;

/**
 * Electron: asks the preload for the MessagePort to the main process (src/preload/index.ts). The
 * preload answers with a PAGE_PORT window message that carries the port.
 */
function requestMessagePort(): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Error('The app shell did not open a connection to the engine.'));
    }, PORT_TIMEOUT_MS);
    function onMessage(event: MessageEvent<unknown>): void {
      if (event.source !== window) return;
      if (!isPageMessage(event.data, PAGE_PORT)) return;
      const port = event.ports[0];
      if (!port) return;
      window.clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(port);
    }
    window.addEventListener('message', onMessage);
    window.postMessage({ type: PAGE_REQUEST_PORT }, pageTargetOrigin(location.origin));
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

/**
 * One WebSocket at a time for event streams; a closed one is replaced on the next subscribe. The
 * token rides on the handshake as a subprotocol (a browser WebSocket cannot carry headers).
 */
function webSocketLinkFactory(session: WebSession): () => Link {
  let socket: WebSocket | undefined;
  let link: Link | undefined;
  return () => {
    if (!socket || !link || socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const token = session.token();
      socket = new WebSocket(`${scheme}://${location.host}/ws`, token === null ? [] : [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + token]);
      link = new WebSocketRPCLink({ websocket: socket });
    }
    return link;
  };
}

/**
 * Web mode: calls over HTTP with `Authorization: Bearer`, never cookies (credentials: 'omit'). A
 * 401 means the server no longer knows this token (it was restarted): the session says so and the
 * app shows it (SessionGate).
 */
function webLink(session: WebSession): Link {
  const http = new FetchRPCLink({
    url: `${location.origin}/rpc`,
    headers: (): Record<string, string> => {
      const token = session.token();
      return token === null ? {} : { authorization: `Bearer ${token}` };
    },
    fetch: async (request, init) => {
      const response = await fetch(request, { ...init, credentials: 'omit' });
      if (response.status === 401) session.expire();
      return response;
    },
  });
  const ws = webSocketLinkFactory(session);
  // Calls go over HTTP; event streams need a connection that stays open.
  return new DynamicLink((_options, path) => (path[0] === 'events' ? ws() : http));
}

/** The link for this renderer: Electron's MessagePort (no session), or the web mode's HTTP + WebSocket. */
export function createLink(webSession: WebSession | null): Link {
  return webSession === null ? electronLink() : webLink(webSession);
}
