/**
 * The README screenshots (docs/screenshots/*.png, 1440×900), taken on a web-mode server of their
 * own: a fresh data directory with the demo data and a fixed clock, so the pictures do not depend
 * on what the other specs wrote.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';
import { openIndexes, openTable, rowByKey } from './support/app';
import { seedDataDir } from './support/seed';
import { type RunningWebMode, startWebMode, stopWebMode } from './support/web-mode';

const OUT = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
/** 20 November 2026, 09:30 UTC: every seeded timestamp derives from it. */
const CLOCK = Date.UTC(2026, 10, 20, 9, 30);

/**
 * The header shows the data directory: a fixed path keeps the pictures identical from run to run
 * (so they only change in git when the UI does). Tests run one at a time, so nothing else uses it.
 */
const DATA_DIR = join(tmpdir(), 'kalam-studio-demo');

let logDir = '';
let server: RunningWebMode | undefined;

test.beforeAll(async () => {
  rmSync(DATA_DIR, { recursive: true, force: true });
  seedDataDir(DATA_DIR, { auditEntries: 2_000, moreUsers: 14, now: () => CLOCK });
  logDir = mkdtempSync(join(tmpdir(), 'kalam-shots-'));
  server = await startWebMode(DATA_DIR, join(logDir, 'server.log'));
  mkdirSync(OUT, { recursive: true });
});

test.afterAll(async () => {
  if (server) await stopWebMode(server.pid);
  rmSync(DATA_DIR, { recursive: true, force: true });
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

async function open(browser: Browser, colorScheme: 'light' | 'dark'): Promise<Page> {
  if (!server) throw new Error('no screenshot server');
  const origin = new URL(server.url).origin;
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme, baseURL: origin, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signIn(page, { url: server.url, origin, lastSeededAuditId: 0 });
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Live');
  return page;
}

/**
 * Writes docs/screenshots/<name>.png through toHaveScreenshot, which waits for two identical frames
 * (no half-drawn state) and, with `updateSnapshots: 'changed'` (playwright.config.ts), rewrites the
 * file only when the picture really changed: antialiasing noise leaves git clean.
 */
async function shoot(page: Page, name: string): Promise<void> {
  // No hover effects in the picture.
  await page.mouse.move(0, VIEWPORT.height - 1);
  await expect(page).toHaveScreenshot(`${name}.png`, { animations: 'disabled', caret: 'hide', scale: 'css', maxDiffPixels: 25 });
  const size = statSync(join(OUT, `${name}.png`)).size;
  expect(size, `${name}.png size`).toBeGreaterThan(20_000);
  expect(size, `${name}.png size`).toBeLessThan(600_000);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`table-${scheme}.png`, async ({ browser }) => {
    const page = await open(browser, scheme);
    // The users table, a row selected so its JSON shows beside the grid.
    await openTable(page, 'users');
    await rowByKey(page, 'u_alice').click();
    await expect(page.getByRole('heading', { name: 'Row u_alice' })).toBeVisible();
    await shoot(page, `table-${scheme}`);
    await page.context().close();
  });
}

test('editor.png', async ({ browser }) => {
  const page = await open(browser, 'light');
  await openTable(page, 'users');
  await rowByKey(page, 'u_alice').dblclick();
  const editor = page.getByRole('dialog', { name: 'Edit user u_alice' });
  await expect(editor.getByText(/Editing version/)).toBeVisible();
  await editor.getByLabel('Email').fill('alice@kalam.example');
  await shoot(page, 'editor');
  await page.context().close();
});

test('indexes.png', async ({ browser }) => {
  const page = await open(browser, 'light');
  await openIndexes(page);
  await page.getByRole('link', { name: 'username', exact: true }).click();
  await page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Index is consistent')).toBeVisible();
  await shoot(page, 'indexes');
  await page.context().close();
});
