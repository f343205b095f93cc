/**
 * A page left open while the web-mode server restarts (issue 11 §5). It never says
 * "reconnecting" forever: it says the app stopped or was restarted and that the new address is in
 * the terminal; once a server answers at its address with another token, and after a reload with
 * the old token, it shows a page saying the app was restarted. A tab without the token gets the
 * same kind of page. Runs its own server on its own data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { LAUNCH_LINE_EXAMPLE } from '../src/shared/web-session';
import { expect, signIn, test } from './fixtures';
import { expectAccessible } from './support/axe';
import { type RunningWebMode, startWebMode, stopWebMode } from './support/web-mode';

function liveStatus(page: Page) {
  return page.getByRole('banner').getByRole('status');
}

/** The page SessionGate shows instead of the app. */
async function expectRestartedPage(page: Page): Promise<void> {
  const screen = page.getByRole('main').filter({ has: page.getByRole('heading', { level: 1, name: 'Kalam Studio was restarted' }) });
  await expect(screen).toBeVisible();
  await expect(screen).toContainText('The new address is in the terminal where Kalam Studio runs');
  await expect(screen.getByText(LAUNCH_LINE_EXAMPLE)).toBeVisible();
  // The app's own styled page (its stylesheet applies), not a bare error response.
  await expect(screen).toHaveCSS('max-width', '640px');
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
}

test('a page left open through a restart says so and points at the terminal', async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'kalam-e2e-restart-'));
  const dataDir = join(dir, 'data');
  const log = join(dir, 'server.log');
  let running: RunningWebMode | undefined;
  const context = await browser.newContext();
  try {
    running = await startWebMode(dataDir, log);
    const first = running;
    const origin = new URL(first.url).origin;
    const port = Number(new URL(first.url).port);
    const page = await context.newPage();
    await signIn(page, { url: first.url, origin, lastSeededAuditId: 0 });
    await expect(liveStatus(page)).toHaveText('Live');

    await test.step('the server stops: the page says it stopped or restarted, and where the new address is', async () => {
      await stopWebMode(first.pid);
      running = undefined;
      const notice = page.getByRole('alert').filter({ hasText: 'Kalam Studio is not answering: it was stopped or restarted.' });
      await expect(notice).toBeVisible({ timeout: 15_000 });
      await expect(notice).toContainText('its new address is in the terminal where it runs');
      await expect(notice.getByText(LAUNCH_LINE_EXAMPLE)).toBeVisible();
      await expect(liveStatus(page)).toHaveText('Not answering');
      await expectAccessible(page, 'the stopped notice', '.stopped-notice');
    });

    running = await startWebMode(dataDir, log, [], port);
    const second = running;
    expect(second.url).not.toBe(first.url);

    await test.step('a new server answers at the same address: the page says the app was restarted', async () => {
      // The page retries with backoff (1 s, 2 s, 4 s, …); the new server refuses its old token.
      await expectRestartedPage(page);
      await expectAccessible(page, 'the restarted page');
    });

    await test.step('a reload with the old token gets the same page', async () => {
      const reload = await page.reload();
      expect(reload?.status()).toBe(200);
      await expectRestartedPage(page);
    });

    await test.step('a tab without the token (or with the old ?token= link) says where the address is', async () => {
      for (const url of [`${origin}/`, `${origin}/?token=${new URL(first.url).hash.slice('#token='.length)}`]) {
        const tab = await context.newPage();
        await tab.goto(url);
        const screen = tab.getByRole('main').filter({ has: tab.getByRole('heading', { level: 1, name: 'Open the address Kalam Studio printed' }) });
        await expect(screen).toBeVisible();
        await expect(screen).toContainText('The new address is in the terminal where Kalam Studio runs');
        await tab.close();
      }
    });

    await test.step('the new address works in the same tab', async () => {
      await signIn(page, { url: second.url, origin, lastSeededAuditId: 0 });
      await expect(liveStatus(page)).toHaveText('Live');
    });
  } finally {
    await context.close();
    if (running !== undefined) await stopWebMode(running.pid);
    rmSync(dir, { recursive: true, force: true });
  }
});
