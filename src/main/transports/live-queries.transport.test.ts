import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { createORPCClient } from '@orpc/client';
import { RPCLink as PortRPCLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Contract } from '../../shared/contract';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/web-session';
import { type AppRuntime, bootstrap } from '../app/bootstrap';
import { silentLogger } from '../../shared/logger';
import { createMessagePortServer } from './message-port/port-server';
import { startWebServer, type WebServer } from './web/web-server';

/**
 * A subscription's row in system.live_queries lives exactly as long as its connection, over both
 * transports: a dropped WebSocket or a closed MessagePort (a window going away) removes it.
 */
let base: string;
let runtime: AppRuntime;
let web: WebServer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'kalam-live-'));
  runtime = bootstrap({ dataDir: join(base, 'data'), mode: 'web', appVersion: '1.2.3', demo: true, readOnly: false, logger: silentLogger });
  web = await startWebServer({ services: runtime.services, rendererDir: join(base, 'renderer'), logger: silentLogger });
});

afterAll(async () => {
  await web?.close();
  runtime?.close();
  rmSync(base, { recursive: true, force: true });
});

const liveTables = () => [...runtime.engine.system.liveQueries.scan()].map(([, q]) => `${q.connection_id}:${q.namespace_id}.${q.table_name}`);

/** Waits until `check` holds (the server side reacts to a socket asynchronously). */
async function eventually(check: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(check()).toBe(true), { timeout: 5_000, interval: 10 });
}

describe('live queries over the transports', () => {
  it('a WebSocket subscription is recorded while the socket is open, removed when it drops', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + web.token], {
      headers: { origin: `http://127.0.0.1:${web.port}` },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const client: ContractRouterClient<Contract> = createORPCClient(new WebSocketRPCLink({ websocket: ws as unknown as globalThis.WebSocket }));
    const stream = await client.events.subscribe({ tables: ['demo.notes'], as: { userId: 'u_bob' } });
    void stream.next().catch(() => undefined);
    await eventually(() => liveTables().length === 1);
    expect(liveTables()[0]).toMatch(/^web-ws-\d+:demo\.notes$/);
    ws.terminate();
    await eventually(() => liveTables().length === 0);
  });

  it('a MessagePort subscription is removed when the port closes', async () => {
    const server = createMessagePortServer(runtime.services, silentLogger);
    const { port1, port2 } = new MessageChannel();
    server.serve(port1, 'window-7');
    const client: ContractRouterClient<Contract> = createORPCClient(new PortRPCLink({ port: port2 }));
    port2.start();
    const stream = await client.events.subscribe({ tables: ['demo.products'] });
    void stream.next().catch(() => undefined);
    await eventually(() => liveTables().length === 1);
    expect(liveTables()).toEqual(['window-7:demo.products']);
    port2.close();
    await eventually(() => liveTables().length === 0);
  });
});
