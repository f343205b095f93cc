import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORPCError } from '@orpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/web-session';
import { type AppRuntime, bootstrap } from '../../app/bootstrap';
import { createFileLogger } from '../../app/logger';
import type { Logger } from '../../../shared/logger';
import { logRpcError } from '../rpc-logging';
import { startWebServer, WEB_HOST, type WebServer } from './web-server';
import { WS_INVALID_DATA } from './ws-guard';

let base: string;
let logDir: string;
let logger: Logger;
let runtime: AppRuntime;
let web: WebServer;

/** Small, so that the oversized requests stay cheap to send. */
const MAX_MESSAGE_BYTES = 1024;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'kalam-malformed-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kalam Studio</title>');
  logDir = join(base, 'logs');
  logger = createFileLogger(join(logDir, 'main.log'));
  runtime = bootstrap({ dataDir: join(base, 'data'), mode: 'web', appVersion: '1.0.0-test', demo: false, readOnly: false, logger });
  web = await startWebServer({ services: runtime.services, rendererDir, logger, maxMessageBytes: MAX_MESSAGE_BYTES });
});

afterAll(async () => {
  await web?.close();
  runtime?.close();
  rmSync(base, { recursive: true, force: true });
});

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(path: string, method: string, body: string, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: WEB_HOST,
        port: web.port,
        path,
        method,
        headers: { host: `127.0.0.1:${web.port}`, authorization: `Bearer ${web.token}`, 'content-type': contentType },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Malformed requests of four kinds, each with variations (positions, content) in its details. */
const MALFORMED: ((i: number) => Promise<number>)[] = [
  // Not JSON: the decoder's SyntaxError.
  (i) => send('/rpc/engine/info', 'POST', `{"json": ${'['.repeat(i % 7)}oops ${i}`, 'application/json'),
  // JSON, but not oRPC's serialization: the decoder's TypeError.
  (i) => send('/rpc/engine/info', 'POST', JSON.stringify({ json: {}, meta: [[1, `segment-${i}`]] }), 'application/json'),
  // A procedure that takes POST, asked with GET.
  () => send('/rpc/engine/info', 'GET', '', 'application/json'),
  // Larger than the server accepts.
  (i) => send('/rpc/engine/info', 'POST', JSON.stringify({ json: { pad: `${i}`.padEnd(MAX_MESSAGE_BYTES + 1, 'x') } }), 'application/json'),
];

describe('malformed requests', () => {
  it('2,000 of them leave one warning line per kind, no stack trace, and a small log', async () => {
    const sizeBefore = statSync(join(logDir, 'main.log')).size;
    const statuses = new Set<number>();
    for (let i = 0; i < 2000; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => MALFORMED[(i + j) % MALFORMED.length]!(i + j)));
      for (const s of batch) statuses.add(s);
    }
    expect([...statuses].sort()).toEqual([400, 405, 413]);

    const log = readFileSync(join(logDir, 'main.log'), 'utf8');
    const lines = log.trimEnd().split('\n');
    const warnings = lines.filter((l) => / WARN malformed request/.test(l));
    expect(warnings.map((l) => JSON.parse(l.slice(l.indexOf('{'))) as { kind: string }).map((f) => f.kind)).toEqual(
      expect.arrayContaining(['SyntaxError', 'TypeError', 'METHOD_NOT_SUPPORTED', 'PAYLOAD_TOO_LARGE']),
    );
    expect(warnings).toHaveLength(4);
    expect(lines.filter((l) => / ERROR /.test(l))).toEqual([]);
    expect(log).not.toMatch(/stack|\s+at /);
    expect(readdirSync(logDir)).toEqual(['main.log']);
    expect(statSync(join(logDir, 'main.log')).size - sizeBefore).toBeLessThan(4096);

    // The server still answers.
    expect(await send('/rpc/engine/info', 'POST', '{"json":{}}', 'application/json')).toBe(200);
  }, 120_000);
});

describe('malformed WebSocket messages', () => {
  function malformedOn(message: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + web.token], {
        headers: { host: `127.0.0.1:${web.port}` },
      });
      ws.on('open', () => ws.send(message));
      ws.on('close', (code) => resolve(code));
      ws.on('error', reject);
    });
  }

  it('close the socket as invalid data and leave one warning per kind, without a stack, on neither the log nor the console', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const before = readFileSync(join(logDir, 'main.log'), 'utf8').length;
    const codes = new Set<number>();
    for (let i = 0; i < 40; i++) codes.add(await malformedOn(i % 2 ? `not json ${i}` : JSON.stringify({ i: `x${i}`, t: 'what' })));
    expect([...codes]).toEqual([WS_INVALID_DATA]);
    const added = readFileSync(join(logDir, 'main.log'), 'utf8').slice(before);
    const warnings = added.split('\n').filter((l) => / WARN malformed request/.test(l));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    for (const w of warnings) expect(JSON.parse(w.slice(w.indexOf('{'))) as { transport: string }).toMatchObject({ transport: 'ws' });
    expect(added).not.toMatch(/stack|\s+at /);
    expect(consoleErrors).not.toHaveBeenCalled();
    consoleErrors.mockRestore();
  }, 60_000);
});

describe('logRpcError', () => {
  function recorder() {
    const lines: { level: string; message: string; fields?: Record<string, unknown> | undefined }[] = [];
    const at =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void =>
        void lines.push({ level, message, fields });
    const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), close() {} };
    return { log, lines };
  }

  it("notes typed contract errors each time, without a stack: the caller's at debug level, the app's at error level", () => {
    const { log, lines } = recorder();
    const callers = new ORPCError('NOT_FOUND', { defined: true, status: 404, message: 'user x does not exist' });
    const apps = new ORPCError('STORAGE_FULL', { defined: true, status: 507, message: 'The disk is full' });
    for (const e of [callers, callers, apps, apps]) logRpcError(log, 'http', e);
    expect(lines).toEqual([
      { level: 'debug', message: 'rpc error', fields: { transport: 'http', code: 'NOT_FOUND', message: 'user x does not exist' } },
      { level: 'debug', message: 'rpc error', fields: { transport: 'http', code: 'NOT_FOUND', message: 'user x does not exist' } },
      { level: 'error', message: 'rpc error', fields: { transport: 'http', code: 'STORAGE_FULL', message: 'The disk is full' } },
      { level: 'error', message: 'rpc error', fields: { transport: 'http', code: 'STORAGE_FULL', message: 'The disk is full' } },
    ]);
  });

  it('logs failures of the app with their stack, each time', () => {
    const { log, lines } = recorder();
    const failure = new ORPCError('INTERNAL_SERVER_ERROR', { message: 'boom' });
    logRpcError(log, 'http', failure);
    logRpcError(log, 'http', failure);
    expect(lines.map((l) => [l.level, l.message, (l.fields?.['error'] as Error).stack !== undefined])).toEqual([
      ['error', 'rpc failure', true],
      ['error', 'rpc failure', true],
    ]);
  });

  it('counts kinds per transport and per log, and keeps only the start of a long message', () => {
    const a = recorder();
    const b = recorder();
    const bad = new SyntaxError(`Unexpected token ${'x'.repeat(1000)}`);
    logRpcError(a.log, 'http', bad);
    logRpcError(a.log, 'ws', bad);
    logRpcError(a.log, 'http', bad);
    logRpcError(b.log, 'http', bad);
    expect(a.lines.map((l) => [l.level, l.fields?.['transport'], l.fields?.['kind']])).toEqual([
      ['warn', 'http', 'SyntaxError'],
      ['warn', 'ws', 'SyntaxError'],
    ]);
    expect(b.lines).toHaveLength(1);
    expect(String(a.lines[0]!.fields?.['detail']).length).toBeLessThanOrEqual(200);
  });
});
