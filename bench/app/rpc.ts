/**
 * Contract round trip over loopback: the typed oRPC client (fetch RPCLink, `Authorization: Bearer
 * <token>`) calling `engine.info` on the web mode, one call at a time, timed on the client.
 *
 * Baseline: the same bytes over the same loopback with the same fetch, to a bare node:http server
 * in its own process that answers every POST with the response engine.info gave (no oRPC, no
 * auth, no handler): what HTTP on this machine costs by itself.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from '../../src/shared/contract';

async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Each call's round trip in ms, in call order: ours, then the bare HTTP baseline. */
export async function contractRoundTrip(origin: string, token: string, warmup: number, calls: number): Promise<{ ours: number[]; raw: number[] }> {
  const link = new RPCLink({ url: `${origin}/rpc`, headers: { authorization: `Bearer ${token}` } });
  const client: ContractRouterClient<Contract> = createORPCClient(link);

  const info = await client.engine.info();
  if (info.mode !== 'web') throw new Error(`engine.info answered mode ${info.mode}`);
  await timeCalls(warmup, () => client.engine.info());
  const ours = await timeCalls(calls, () => client.engine.info());

  // The same request by hand, to learn its exact bytes and the response's.
  const request = { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({}) };
  const res = await fetch(`${origin}/rpc/engine/info`, request);
  const responseBody = await res.text();
  if (!res.ok) throw new Error(`raw engine.info call failed: ${res.status} ${responseBody}`);

  const raw = await withRawServer(responseBody, async (rawOrigin) => {
    const call = async () => {
      const r = await fetch(`${rawOrigin}/rpc/engine/info`, request);
      await r.text();
    };
    await timeCalls(warmup, call);
    return timeCalls(calls, call);
  });
  return { ours, raw };
}

const RAW_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.RAW_BODY, 'utf8');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

async function withRawServer<T>(body: string, fn: (origin: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['-e', RAW_SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RAW_BODY: body } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the raw server exited (${code})`)));
      createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(/^listening (\d+)$/.exec(line)?.[1])));
    });
    child.removeAllListeners('exit');
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
  }
}
