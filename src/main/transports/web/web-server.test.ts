import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Contract, EngineEvent } from '../../../shared/contract';
import { bootstrap, type AppRuntime } from '../../app/bootstrap';
import { silentLogger } from '../../../shared/logger';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/web-session';
import { ChangeBus } from '../../services/change-bus';
import { startWebServer, WEB_HOST, type WebServer } from './web-server';

let base: string;
let runtime: AppRuntime;
/** Every event stream subscribes once to the change bus when its generator starts: the ready signal of a subscription. */
const busSubscriptions = vi.spyOn(ChangeBus.prototype, 'subscribe');
let web: WebServer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'kalam-web-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kalam Studio</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(base, 'package.json'), '{"name":"outside-the-root"}');
  runtime = bootstrap({
    dataDir: join(base, 'data'),
    mode: 'web',
    appVersion: '1.2.3',
    demo: false,
    readOnly: false,
    logger: silentLogger,
  });
  web = await startWebServer({ services: runtime.services, rendererDir, logger: silentLogger });
});

afterAll(async () => {
  await web?.close();
  runtime?.close();
  rmSync(base, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path and the headers go out exactly as given (no URL normalization). */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: WEB_HOST,
        port: web.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${web.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${web.token}` });

function rpcClient(headers: Record<string, string>): ContractRouterClient<Contract> {
  return createORPCClient(new FetchRPCLink({ url: `${web.origin}/rpc`, headers }));
}

/** The subprotocols a browser page offers: ours, and the one carrying the token. */
const tokenProtocols = (token = web.token): string[] => [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + token];

/** Opens a WebSocket to /ws with the given headers (and subprotocols); resolves with the HTTP status of a refusal. */
function wsRefusal(headers: Record<string, string>, path = '/ws', protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, protocols, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the WebSocket was accepted'));
    });
    ws.on('error', () => undefined);
  });
}

function openWs(headers: Record<string, string>, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

describe('web mode server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = web.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/#token=${web.token}`);
    expect(web.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const refused = (host: string): Promise<boolean> =>
      new Promise((resolve) => {
        const socket = connect({ host, port: web.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
    // Other loopback addresses, and any non-loopback interface of this machine.
    const others = ['::1'];
    if (process.platform === 'linux') others.push('127.0.0.2');
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) if (!info.internal && info.family === 'IPv4') others.push(info.address);
    }
    for (const host of others) expect(await refused(host), host).toBe(true);
  });

  it('refuses the API without the token (401): RPC and the WebSocket', async () => {
    const post = (headers: Record<string, string>) =>
      send('/rpc/engine/info', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });
    expect((await post({})).status).toBe(401);
    expect((await send('/rpc/engine/info')).status).toBe(401);
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${web.token}x` })).status).toBe(401);
    expect((await post({ authorization: `Basic ${web.token}` })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${web.token}` })).status).toBe(200);
    // The subprotocol carries the token on the WebSocket handshake only.
    expect((await post({ 'sec-websocket-protocol': `${WS_PROTOCOL}, ${WS_TOKEN_PROTOCOL_PREFIX}${web.token}` })).status).toBe(401);
    expect((await send(`/rpc/engine/info?token=${web.token}`, { method: 'POST', body: '{}' })).status).toBe(401);

    expect(await wsRefusal({})).toBe(401);
    expect(await wsRefusal({}, '/ws', [WS_PROTOCOL])).toBe(401);
    expect(await wsRefusal({}, '/ws', tokenProtocols('wrong'))).toBe(401);
    expect(await wsRefusal({}, '/ws', tokenProtocols(`${web.token}x`))).toBe(401);
    expect(await wsRefusal({ authorization: 'Bearer wrong' })).toBe(401);
    expect(await wsRefusal({}, `/ws?token=${web.token}`)).toBe(401);
  });

  it('takes no cookie as a credential and never sets one', async () => {
    // Cookies are not scoped by port: a cookie credential would reach every server on 127.0.0.1.
    for (const cookie of [`kalam_token_${web.port}=${web.token}`, `kalam_token=${web.token}`, `token=${web.token}`]) {
      expect((await send('/rpc/engine/info', { method: 'POST', body: '{}', headers: { cookie } })).status, cookie).toBe(401);
      expect(await wsRefusal({ cookie }), cookie).toBe(401);
    }
    for (const path of ['/', `/?token=${web.token}`, '/index.html', '/assets/app.js', '/nope']) {
      const res = await send(path);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }
    const rpc = await send('/rpc/engine/info', { method: 'POST', body: '{}', headers: { ...bearer(), 'content-type': 'application/json' } });
    expect(rpc.status).toBe(200);
    expect(rpc.headers['set-cookie']).toBeUndefined();
  });

  it('serves the renderer without the token (it holds no secret; the page reads the token from the fragment)', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Kalam Studio');
    // The old launch URL (token in the query) is just the page: no redirect, nothing traded.
    const old = await send(`/?token=${web.token}`);
    expect(old.status).toBe(200);
    expect(old.headers.location).toBeUndefined();
    expect((await send('/assets/app.js')).status).toBe(200);
  });

  it('accepts the token as a WebSocket subprotocol and selects only its own protocol', async () => {
    const ws = await openWs({ origin: `http://127.0.0.1:${web.port}` }, tokenProtocols());
    try {
      // The server's answer names `kalam`, never the subprotocol that carries the token.
      expect(ws.protocol).toBe(WS_PROTOCOL);
      const events: ContractRouterClient<Contract> = createORPCClient(new WebSocketRPCLink({ websocket: ws as unknown as globalThis.WebSocket }));
      const stream = await events.events.subscribe();
      await stream.return?.(undefined);
    } finally {
      ws.close();
    }
    // A token offered among other protocols still counts; ours is the one selected.
    const mixed = await openWs({}, ['other', ...tokenProtocols()]);
    expect(mixed.protocol).toBe(WS_PROTOCOL);
    mixed.close();
  });

  it('serves static files with their content type', async () => {
    const res = await send('/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toBe('console.log("app")');
    expect((await send('/assets/missing.js', { headers: bearer() })).status).toBe(404);
    expect((await send('/assets/app.js', { method: 'POST', headers: bearer() })).status).toBe(405);
  });

  it('refuses path traversal', async () => {
    for (const path of [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/%2E%2E/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/..%5cpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/%252e%252e/package.json',
      '/index.html%00',
    ]) {
      const res = await send(path, { headers: bearer() });
      expect([400, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('outside-the-root');
    }
  });

  it('refuses a foreign Host header (403), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${web.port}`, '127.0.0.1', `127.0.0.1:${web.port + 1}`, `0.0.0.0:${web.port}`]) {
      expect((await send('/', { headers: { host } })).status, host).toBe(403);
      expect((await send('/rpc/engine/info', { method: 'POST', headers: { ...bearer(), host } })).status, host).toBe(403);
    }
    expect((await send('/', { headers: { ...bearer(), host: `localhost:${web.port}` } })).status).toBe(200);
    expect(await wsRefusal({ ...bearer(), host: 'evil.example' })).toBe(403);
  });

  it('refuses a foreign Origin (403) on HTTP and on the WebSocket upgrade', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${web.port + 1}`, `https://127.0.0.1:${web.port}`]) {
      expect((await send('/rpc/engine/info', { method: 'POST', headers: { ...bearer(), origin } })).status, origin).toBe(403);
      expect(await wsRefusal({ ...bearer(), origin }), origin).toBe(403);
      expect(await wsRefusal({ origin }, '/ws', tokenProtocols()), origin).toBe(403);
      expect((await send('/', { headers: { origin } })).status, origin).toBe(403);
    }
    const sameOrigin = await send('/', { headers: { ...bearer(), origin: `http://localhost:${web.port}` } });
    expect(sameOrigin.status).toBe(200);
  });

  it('sends the security headers on every response', async () => {
    for (const res of [await send('/'), await send('/', { headers: bearer() }), await send('/', { headers: { host: 'x' } })]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${web.port} ws://localhost:${web.port}`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('answers RPC calls end to end with the bearer token; without it the client gets UNAUTHORIZED', async () => {
    const info = await rpcClient(bearer()).engine.info();
    expect(info).toMatchObject({ mode: 'web', appVersion: '1.2.3', readOnly: false });
    await expect(rpcClient({}).engine.info()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    await expect(rpcClient({ authorization: 'Bearer old-token' }).engine.info()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('streams change events over the WebSocket after a write', async () => {
    const ws = await openWs({ origin: `http://127.0.0.1:${web.port}` }, tokenProtocols());
    try {
      const events: ContractRouterClient<Contract> = createORPCClient(new WebSocketRPCLink({ websocket: ws as unknown as globalThis.WebSocket }));
      const subscriptionsBefore = busSubscriptions.mock.calls.length;
      const stream = await events.events.subscribe();
      const received: EngineEvent[] = [];
      const changeSeen = (async () => {
        for await (const event of stream) {
          received.push(event);
          if (event.type === 'change' && event.table === 'system.namespaces') return event;
        }
        return null;
      })();
      // Ready signal: the server-side stream has subscribed to the change bus.
      await vi.waitFor(() => expect(busSubscriptions.mock.calls.length).toBeGreaterThan(subscriptionsBefore), { interval: 1 });
      await rpcClient(bearer()).entities.create({
        table: 'system.namespaces',
        values: { namespace_id: 'web_test', comment: null, options: {} },
      });
      const inserted = { type: 'change', table: 'system.namespaces', op: 'insert' };
      await vi.waitFor(() => expect(received).toContainEqual(expect.objectContaining(inserted)), { timeout: 5_000 });
      expect(await changeSeen).toMatchObject(inserted);
      await stream.return?.(undefined);
    } finally {
      ws.close();
    }
  });

  it('answers 404 for an unknown procedure and 426 for /ws without an upgrade', async () => {
    expect((await send('/rpc/nope/nothing', { method: 'POST', headers: bearer() })).status).toBe(404);
    expect((await send('/ws', { headers: bearer() })).status).toBe(426);
    expect(await wsRefusal(bearer(), '/other')).toBe(404);
  });
});
