import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { onError } from '@orpc/server';
import { BodyLimitPlugin, RPCHandler as HttpRPCHandler } from '@orpc/server/node';
import { RPCHandler as WsRPCHandler } from '@orpc/server/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { AppServices, ServiceContext } from '../../services/app-services';
import { logRpcError } from '../rpc-logging';
import { securityHeaders } from '../static/security-headers';
import { loadStaticAsset } from '../static/static-files';
import { launchUrl, WS_PROTOCOL } from '../../../shared/web-session';
import { generateToken, isAuthorized, OriginPolicy } from './auth';
import { guardedSocket } from './ws-guard';

/** The only address web mode listens on. Never 0.0.0.0: the API is the whole database. */
export const WEB_HOST = '127.0.0.1';
/** oRPC over HTTP (fetch RPCLink). */
export const RPC_PREFIX = '/rpc';
/** oRPC over WebSocket (websocket RPCLink; used for events.subscribe). */
export const WS_PATH = '/ws';

export interface WebServerOptions {
  /** The services to serve, or where to find the current ones (the app switches data directories). */
  readonly services: AppServices | (() => AppServices);
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Defaults to a fresh random token. */
  readonly token?: string;
  readonly logger?: Logger;
  /** Largest accepted RPC request body / WebSocket message. */
  readonly maxMessageBytes?: number;
}

export interface WebServer {
  readonly server: Server;
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL to open: `http://127.0.0.1:<port>/#token=<token>` (see src/shared/web-session.ts). */
  readonly url: string;
  /** Closes the WebSockets bound to services that are no longer current (after a data directory switch). */
  dropStaleSockets(): void;
  /** Stops accepting, drops every HTTP and WebSocket connection, resolves once closed. */
  close(): Promise<void>;
}

interface Handlers {
  readonly http: HttpRPCHandler<ServiceContext>;
  readonly ws: WsRPCHandler<ServiceContext>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Connection id for the stateless HTTP RPC calls of this (single-user, single-token) session. */
const HTTP_CONNECTION_ID = 'web-http';

/**
 * The local web mode: one Node HTTP server on 127.0.0.1 serving the built renderer, the API over
 * HTTP at /rpc and over WebSocket at /ws. Every request needs a local Host header and, if present,
 * a local Origin. The API needs the per-launch token: `Authorization: Bearer` on /rpc, the
 * `kalam.token.<token>` subprotocol (or the header) on /ws. The renderer's files are the same for
 * everyone and hold no secret, so they are served without it: the page reads the token from the
 * launch URL's fragment (src/shared/web-session.ts).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { rendererDir } = options;
  const currentServices =
    typeof options.services === 'function'
      ? options.services
      : (
          (fixed) => () =>
            fixed
        )(options.services);
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? generateToken();
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;

  // Known once listening; until then every request is refused (Host cannot match port 0).
  let policy = new OriginPolicy(0);
  let headers = securityHeaders();
  let closing = false;

  // One pair of handlers per services (a data directory switch brings new ones).
  const handlers = new WeakMap<AppServices, Handlers>();
  const handlersOf = (services: AppServices): Handlers => {
    let h = handlers.get(services);
    if (h === undefined) {
      h = {
        http: new HttpRPCHandler(services.router, {
          plugins: [new BodyLimitPlugin({ maxBodySize: maxMessageBytes })],
          interceptors: [onError((error) => logRpcError(logger, 'http', error))],
        }),
        ws: new WsRPCHandler(services.router, {
          interceptors: [onError((error) => logRpcError(logger, 'ws', error))],
        }),
      };
      handlers.set(services, h);
    }
    return h;
  };
  /** Each open WebSocket and the services it is bound to. */
  const socketServices = new Map<WebSocket, AppServices>();
  // A browser that offered subprotocols fails the handshake unless one is selected: select ours,
  // never the one carrying the token.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  let wsSequence = 0;

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);

    if (!policy.hostAllowed(req.headers.host)) return sendText(res, 403, 'Forbidden: unexpected Host header.');
    if (!policy.originAllowed(req.headers.origin)) return sendText(res, 403, 'Forbidden: cross-origin request.');

    const target = splitTarget(req.url);
    if (target === null) return sendText(res, 400, 'Bad request.');
    const { path } = target;
    const method = req.method ?? 'GET';

    if (path === RPC_PREFIX || path.startsWith(RPC_PREFIX + '/')) {
      if (!isAuthorized(req.headers, token)) {
        return sendText(res, 401, 'Unauthorized: open the URL Kalam Studio printed at start (it carries the access token).');
      }
      res.setHeader('Cache-Control', 'no-store');
      const services = currentServices();
      const { matched } = await handlersOf(services).http.handle(req, res, {
        prefix: RPC_PREFIX,
        context: services.context(HTTP_CONNECTION_ID),
      });
      if (!matched) sendText(res, 404, 'No such procedure.');
      return;
    }

    if (path === WS_PATH) return sendText(res, 426, 'Upgrade required: this endpoint speaks WebSocket.', { Upgrade: 'websocket' });

    if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    const asset = await loadStaticAsset(rendererDir, path);
    if (asset.status !== 200) return sendText(res, asset.status, asset.status === 404 ? 'Not found.' : 'Bad request.');
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Cache-Control': path.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : asset.body);
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const reject = (status: number, message: string): void => {
      if (!socket.writable) return void socket.destroy();
      socket.once('finish', () => socket.destroy());
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
          'Connection: close\r\n' +
          'Content-Type: text/plain; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n` +
          message,
      );
    };

    if (!policy.hostAllowed(req.headers.host)) return reject(403, 'Forbidden: unexpected Host header.');
    if (!policy.originAllowed(req.headers.origin)) return reject(403, 'Forbidden: cross-origin request.');
    if (splitTarget(req.url)?.path !== WS_PATH) return reject(404, 'Not found.');
    if (!isAuthorized(req.headers, token, { webSocket: true })) return reject(401, 'Unauthorized.');
    if (closing) return reject(503, 'Shutting down.');

    wss.handleUpgrade(req, socket, head, (ws) => {
      const connectionId = `web-ws-${++wsSequence}`;
      const services = currentServices();
      socketServices.set(ws, services);
      logger.debug('websocket connected', { connectionId });
      ws.on('close', () => {
        socketServices.delete(ws);
        logger.debug('websocket closed', { connectionId });
      });
      void handlersOf(services).ws.upgrade(
        guardedSocket(ws, (error) => logRpcError(logger, 'ws', error)),
        { context: services.context(connectionId) },
      );
    });
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      logger.error('web request failed', { url: req.url, error });
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host: WEB_HOST, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('web server error', { error }));

  const port = (server.address() as AddressInfo).port;
  policy = new OriginPolicy(port);
  headers = securityHeaders({ connectSrc: policy.webSocketOrigins });
  const origin = `http://${WEB_HOST}:${port}`;
  logger.info('web mode listening', { origin });

  let closed: Promise<void> | null = null;
  return {
    server,
    port,
    token,
    origin,
    url: launchUrl(origin, token),
    dropStaleSockets() {
      const services = currentServices();
      for (const [ws, bound] of socketServices) if (bound !== services) ws.terminate();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        logger.info('web mode stopped');
      });
      return closed;
    },
  };
}

/** Splits a request target into its path and query; null unless it is origin-form ("/…"). */
function splitTarget(url: string | undefined): { path: string; query: string | null } | null {
  if (url === undefined || !url.startsWith('/')) return null;
  const hash = url.indexOf('#');
  const target = hash < 0 ? url : url.slice(0, hash);
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: null } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

function sendText(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = message + '\n';
  res.writeHead(status, {
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
