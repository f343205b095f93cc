import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../shared/json-value';
import { type AppRuntime, bootstrap } from '../../app/bootstrap';
import { silentLogger } from '../../../shared/logger';
import { startWebServer, type WebServer } from './web-server';

/**
 * Deeply nested values over the real HTTP transport. A row nested 1,500 levels deep used to be
 * committed and then answered with 500: the transport's serializer ran out of stack on the
 * response, after the transaction. Now the engine refuses it (VALIDATION) and nothing is stored.
 */
let base: string;
let runtime: AppRuntime;
let web: WebServer;
const failures: unknown[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'kalam-deep-'));
  mkdirSync(join(base, 'renderer'));
  writeFileSync(join(base, 'renderer', 'index.html'), '<!doctype html><title>Kalam Studio</title>');
  runtime = bootstrap({ dataDir: join(base, 'data'), mode: 'web', appVersion: '1.2.3', demo: false, readOnly: false, logger: silentLogger });
  web = await startWebServer({
    services: runtime.services,
    rendererDir: join(base, 'renderer'),
    logger: { ...silentLogger, error: (_m, f) => failures.push(f) },
  });
});

afterAll(async () => {
  await web?.close();
  runtime?.close();
  rmSync(base, { recursive: true, force: true });
});

/** A raw RPC call: the body is JSON text, so any depth can be sent. */
async function call(procedure: string, json: string): Promise<{ status: number; body: { json: Record<string, unknown> } }> {
  const res = await fetch(`${web.origin}/rpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${web.token}`, 'content-type': 'application/json' },
    body: `{"json":${json}}`,
  });
  return { status: res.status, body: (await res.json()) as { json: Record<string, unknown> } };
}

const deep = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('deeply nested JSON over HTTP', () => {
  it('is refused with VALIDATION on the column, never a 500, and leaves the table empty', async () => {
    expect((await call('ddl/createNamespace', '{"name":"app"}')).status).toBe(200);
    const table = {
      namespace: 'app',
      name: 'docs',
      type: 'shared',
      access_level: 'public',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'body', type: 'json' },
      ],
    };
    expect((await call('ddl/createTable', JSON.stringify(table))).status).toBe(200);
    for (const depth of [MAX_JSON_DEPTH + 1, 1000, 1500, 1900, 5000, 50_000]) {
      const res = await call('rows/create', `{"table":"app.docs","values":{"id":${depth},"body":${deep(depth)}}}`);
      expect(res.status, `depth ${depth}`).toBe(400);
      expect(res.body.json).toMatchObject({ code: 'VALIDATION', data: { issues: [{ field: 'body' }] } });
    }
    expect((await call('rows/count', '{"table":"app.docs"}')).body.json).toEqual({ count: 0, capped: false });
    const ok = await call('rows/create', `{"table":"app.docs","values":{"id":1,"body":${deep(MAX_JSON_DEPTH)}}}`);
    expect(ok.status).toBe(200);
    expect(failures).toEqual([]);
  });
});
