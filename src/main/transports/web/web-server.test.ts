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
import { silentLogger } from '../../app/logger';
import { ChangeBus } from '../../services/change-bus';
import { tokenCookieName } from './auth';
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

/** Opens a WebSocket to /ws with the given headers; resolves with the HTTP status of a refusal. */
function wsRefusal(headers: Record<string, string>, path = '/ws'): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers });
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

function openWs(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

describe('web mode server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = web.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
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

  it('refuses every request without the token (401)', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/rpc/engine/info', '/ws', '/nope']) {
      const res = await send(path);
      expect(res.status, path).toBe(401);
    }
    expect((await send('/rpc/engine/info', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await send('/', { headers: { cookie: `${tokenCookieName(web.port)}=wrong` } })).status).toBe(401);
    expect((await send('/', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send('/', { headers: { authorization: `Basic ${web.token}` } })).status).toBe(401);
    expect(await wsRefusal({})).toBe(401);
    expect(await wsRefusal({ cookie: `${tokenCookieName(web.port)}=wrong` })).toBe(401);
  });

  it('trades a valid ?token= for an HttpOnly SameSite=Strict cookie and a redirect to /', async () => {
    const res = await send(`/?token=${web.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^${tokenCookieName(web.port)}=${web.token};`));
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\//);

    const page = await send('/', { headers: { cookie: `other=1; ${tokenCookieName(web.port)}=${web.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Kalam Studio');

    expect((await send('/?token=wrong')).status).toBe(401);
    expect((await send(`/?token=${web.token}x`)).status).toBe(401);
  });

  it('names the cookie for its port, so instances on other ports keep their own sign-in', async () => {
    const cookie = (await send(`/?token=${web.token}`)).headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^kalam_token_${web.port}=`));
    const other = tokenCookieName(web.port + 1);
    expect(other).not.toBe(tokenCookieName(web.port));
    // The token under another instance's cookie name does not sign in here…
    expect((await send('/', { headers: { cookie: `${other}=${web.token}` } })).status).toBe(401);
    expect(await wsRefusal({ cookie: `${other}=${web.token}` })).toBe(401);
    // …and another instance's cookie, sent along (same host, another port), does not get in the way.
    expect((await send('/', { headers: { cookie: `${other}=someone-elses-token; ${tokenCookieName(web.port)}=${web.token}` } })).status).toBe(200);
  });

  it('serves static files with their content type to an authorized client', async () => {
    const res = await send('/assets/app.js', { headers: bearer() });
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
      const res = await send('/', { headers: { ...bearer(), host } });
      expect(res.status, host).toBe(403);
    }
    expect((await send(`/?token=${web.token}`, { headers: { host: 'rebind.example' } })).status).toBe(403);
    expect((await send('/', { headers: { ...bearer(), host: `localhost:${web.port}` } })).status).toBe(200);
    expect(await wsRefusal({ ...bearer(), host: 'evil.example' })).toBe(403);
  });

  it('refuses a foreign Origin (403) on HTTP and on the WebSocket upgrade', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${web.port + 1}`, `https://127.0.0.1:${web.port}`]) {
      expect((await send('/rpc/engine/info', { method: 'POST', headers: { ...bearer(), origin } })).status, origin).toBe(403);
      expect(await wsRefusal({ ...bearer(), origin }), origin).toBe(403);
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

  it('answers RPC calls end to end with the bearer token or the cookie', async () => {
    const info = await rpcClient(bearer()).engine.info();
    expect(info).toMatchObject({ mode: 'web', appVersion: '1.2.3', readOnly: false });
    const viaCookie = await rpcClient({ cookie: `${tokenCookieName(web.port)}=${web.token}` }).engine.info();
    expect(viaCookie.mode).toBe('web');
    await expect(rpcClient({}).engine.info()).rejects.toThrow();
  });

  it('streams change events over the WebSocket after a write', async () => {
    const ws = await openWs({ cookie: `${tokenCookieName(web.port)}=${web.token}`, origin: `http://127.0.0.1:${web.port}` });
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
