/**
 * The web mode's token never reaches another server (issue 12 §3). Browsers do not scope cookies by
 * port, so a cookie credential for 127.0.0.1 would be sent to every local server. A second HTTP
 * server on another loopback port records every request the browser makes to it after the app has
 * been opened and used; none may carry the token, a cookie or an Authorization header.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from '@playwright/test';
import { tokenFromFragment } from '../src/shared/web-session';
import { expect, test } from './fixtures';
import { openTable, rpcFromPage } from './support/app';

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the neighbour's page does in the browser: an image, fetches with credentials, a WebSocket. */
const NEIGHBOUR_PAGE = `<!doctype html>
<title>Neighbour</title>
<img src="/pixel.gif" alt="">
<script>
  fetch('/fetch', { credentials: 'include' });
  fetch('/post', { method: 'POST', credentials: 'include', body: 'x' });
  new WebSocket('ws://' + location.host + '/ws');
</script>`;

/** Another local server, on its own port of 127.0.0.1, that records what it is sent. */
async function startNeighbour(): Promise<{ origin: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(NEIGHBOUR_PAGE);
    } else if (req.url === '/pixel.gif') {
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64'));
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }
  });
  server.on('upgrade', (req, socket) => {
    seen.push({ path: `upgrade ${req.url ?? ''}`, headers: req.headers });
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

test('no credential reaches a server on another port after the app is opened and used', async ({ page, server }) => {
  const token = tokenFromFragment(new URL(server.url).hash);
  if (token === null) throw new Error(`no token in the launch URL ${server.url}`);
  const neighbour = await startNeighbour();
  const appRequests: Request[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(server.origin)) appRequests.push(request);
  });
  try {
    await test.step('use the app: navigate, RPC calls, the event WebSocket', async () => {
      // The token left the address bar as soon as the page took it.
      expect(page.url()).not.toContain(token);
      await expect(page.getByRole('banner').getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
      await openTable(page, 'users');
      expect((await rpcFromPage(page, 'engine/info', {})).status).toBe(200);
      expect(await page.evaluate('document.cookie')).toBe('');
      // The page's calls carry the token as a header, and nothing carries a cookie.
      const rpc = appRequests.filter((r) => r.url().includes('/rpc/'));
      expect(rpc.length).toBeGreaterThan(0);
      for (const request of rpc) expect(await request.headerValue('authorization')).toBe(`Bearer ${token}`);
      for (const request of appRequests) expect(await request.headerValue('cookie'), request.url()).toBeNull();
    });

    await test.step('the page navigates to the other server, whose page loads an image, fetches and opens a WebSocket', async () => {
      await page.evaluate(`location.href = ${JSON.stringify(`${neighbour.origin}/`)}`);
      await page.waitForURL(`${neighbour.origin}/`);
      await expect.poll(() => neighbour.seen.map((s) => s.path)).toEqual(expect.arrayContaining(['/', '/fetch', '/pixel.gif', '/post', 'upgrade /ws']));
      // Another origin cannot read the app's sessionStorage either.
      expect(await page.evaluate(`sessionStorage.length`)).toBe(0);
    });

    await test.step('back in the app (same tab), it still works, and the other server is visited again', async () => {
      await page.goBack();
      // A reload loads the page for sure (goBack may restore it from the back/forward cache): the
      // tab's sessionStorage still has the token after the visit to another origin.
      await page.reload();
      await expect(page.getByRole('heading', { level: 1, name: 'users', exact: true })).toBeVisible();
      await expect(page.getByRole('banner').getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
      expect((await rpcFromPage(page, 'engine/info', {})).status).toBe(200);
      await page.goto(`${neighbour.origin}/again`);
      await expect.poll(() => neighbour.seen.some((s) => s.path === '/again')).toBe(true);
    });

    for (const { path, headers } of neighbour.seen) {
      expect(headers.cookie, path).toBeUndefined();
      expect(headers.authorization, path).toBeUndefined();
      expect(JSON.stringify(headers), path).not.toContain(token);
      expect(path).not.toContain(token);
    }
  } finally {
    await new Promise<void>((resolve) => {
      neighbour.server.closeAllConnections();
      neighbour.server.close(() => resolve());
    });
  }
});
