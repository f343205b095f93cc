import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import { createRouterClient } from '@orpc/server';
import { WebSocket } from 'ws';
import type { Contract } from '../../../shared/contract';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/web-session';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installSignalHandlers, startWebMode, type WebModeIo } from './web-main';

let base: string;
let rendererDir: string;
let out: string[];
let err: string[];
let io: WebModeIo;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kalam-webmain-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  out = [];
  err = [];
  io = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {} };
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('startWebMode', () => {
  it('prints exactly one line with the URL and shuts down cleanly', async () => {
    const dataDir = join(base, 'data');
    const result = await startWebMode({ argv: ['--data-dir', dataDir, '--no-demo'], rendererDir, appVersion: '1.0.0', io });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(`Kalam Studio web mode: http://127.0.0.1:${result.server.port}/#token=${result.server.token}\n`);
    expect(result.server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(err).toEqual([]);
    expect(existsSync(join(dataDir, 'kalam.sqlite'))).toBe(true);

    await Promise.all([result.shutdown('SIGTERM'), result.shutdown('SIGINT')]);
    expect(result.server.server.listening).toBe(false);
    expect(result.session.current().engine.backend.open).toBe(false);
    const log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('shutting down {"reason":"SIGTERM"}');
    expect(log).toContain('INFO stopped');
  });

  it('reads the data directory from KALAM_DATA_DIR and honours --port and --read-only', async () => {
    const port = await freePort();
    const dataDir = join(base, 'from-env');
    const result = await startWebMode({
      argv: ['--port', String(port), '--read-only'],
      rendererDir,
      appVersion: '1.0.0',
      io: { ...io, env: { KALAM_DATA_DIR: dataDir } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    try {
      expect(result.server.port).toBe(port);
      expect(result.session.current().dataDir).toBe(dataDir);
    } finally {
      await result.shutdown('test');
    }
  });

  it('serves no folder dialog: the renderer keeps its path fields', async () => {
    const result = await startWebMode({ argv: ['--data-dir', join(base, 'data'), '--no-demo'], rendererDir, appVersion: '1.0.0', io });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    try {
      const { services } = result.session.current();
      const client = createRouterClient(services.router, { context: services.context('web-test') });
      expect(await client.host.capabilities()).toEqual({ folderDialog: false, saveDialog: false });
      await expect(client.host.pickFolder({ purpose: 'backup' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await result.shutdown('test');
    }
  });

  it('switches data directory without a restart: later calls reach the new one, sockets of the old one are closed', async () => {
    const settings = join(base, 'settings');
    const result = await startWebMode({
      argv: ['--data-dir', join(base, 'data'), '--no-demo'],
      rendererDir,
      appVersion: '1.0.0',
      io: { ...io, env: { KALAM_SETTINGS_DIR: settings } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    try {
      const { server } = result;
      const rpc: ContractRouterClient<Contract> = createORPCClient(
        new FetchRPCLink({ url: `${server.origin}/rpc`, headers: { authorization: `Bearer ${server.token}` } }),
      );
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + server.token]);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const closed = new Promise((resolve) => ws.once('close', resolve));

      expect(await rpc.dataDirs.create({ path: join(base, 'second'), demo: true })).toMatchObject({ path: join(base, 'second'), closed: join(base, 'data') });
      expect((await rpc.engine.info()).dataDir).toBe(join(base, 'second'));
      expect((await rpc.tables.list()).map((t) => t.table)).toContain('demo.products');
      await closed;
      expect(existsSync(join(settings, 'recent-data-directories.json'))).toBe(true);
    } finally {
      await result.shutdown('test');
    }
  });

  it('exits 2 with a clear message on bad arguments', async () => {
    for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--bogus'], ['--data-dir'], ['extra']]) {
      err = [];
      const result = await startWebMode({ argv, rendererDir, appVersion: '1', io: { ...io, stderr: (t) => void err.push(t) } });
      expect(result, argv.join(' ')).toEqual({ ok: false, exitCode: 2 });
      expect(err.join(''), argv.join(' ')).toMatch(/^kalam-studio: .+\n\nUsage:/);
    }
  });

  it('prints the usage for --help', async () => {
    const result = await startWebMode({ argv: ['--help'], rendererDir, appVersion: '1', io });
    expect(result).toEqual({ ok: false, exitCode: 0 });
    expect(out.join('')).toContain('--data-dir DIR');
  });

  it('exits 1 when the port is taken, and closes the engine again', async () => {
    const blocker = await listenOn(0);
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataDir = join(base, 'busy');
      const result = await startWebMode({ argv: ['--port', String(port), '--data-dir', dataDir], rendererDir, appVersion: '1', io });
      expect(result).toEqual({ ok: false, exitCode: 1 });
      expect(err.join('')).toContain(`port ${port} is already in use`);
      expect(readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('INFO stopped');
    } finally {
      blocker.close();
    }
  });
});

describe('a second app on the same data directory', () => {
  it("exits 1 naming the running app's pid, and starts once that app is gone", async () => {
    const dataDir = join(base, 'shared');
    mkdirSync(dataDir);
    // Another live process (this one's parent stands in) holds the directory.
    writeFileSync(join(dataDir, 'app.lock'), `${process.ppid}\n`);
    const refused = await startWebMode({ argv: ['--data-dir', dataDir, '--no-demo', '--port', '0'], rendererDir, appVersion: '1', io });
    expect(refused).toEqual({ ok: false, exitCode: 1 });
    expect(err.join('')).toBe(`kalam-studio: Kalam Studio is already running on ${dataDir} (pid ${process.ppid}); use that one, or quit it and start again\n`);
    expect(out).toEqual([]);
    expect(existsSync(join(dataDir, 'kalam.sqlite'))).toBe(false);

    rmSync(join(dataDir, 'app.lock'));
    const started = await startWebMode({ argv: ['--data-dir', dataDir, '--no-demo', '--port', '0'], rendererDir, appVersion: '1', io });
    expect(started.ok).toBe(true);
    if (started.ok) {
      expect(readFileSync(join(dataDir, 'app.lock'), 'utf8').trim()).toBe(String(process.pid));
      await started.shutdown('test');
      expect(existsSync(join(dataDir, 'app.lock'))).toBe(false);
    }
  });
});

describe('installSignalHandlers', () => {
  it('shuts down on SIGTERM, then exits 0', async () => {
    const target = new EventEmitter();
    const exit = vi.fn();
    let release!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((r) => (release = r)));
    installSignalHandlers(shutdown, target, exit);

    target.emit('SIGTERM');
    expect(shutdown).toHaveBeenCalledWith('SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    release();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });

  it('exits 1 on a second signal while closing, and when closing fails', async () => {
    const target = new EventEmitter();
    const exit = vi.fn();
    installSignalHandlers(() => new Promise<void>(() => undefined), target, exit);
    target.emit('SIGINT');
    target.emit('SIGINT');
    expect(exit).toHaveBeenCalledWith(1);

    const target2 = new EventEmitter();
    const exit2 = vi.fn();
    installSignalHandlers(() => Promise.reject(new Error('boom')), target2, exit2);
    target2.emit('SIGINT');
    await vi.waitFor(() => expect(exit2).toHaveBeenCalledWith(1));
  });
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenOn(0);
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
