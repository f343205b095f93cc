/**
 * `npm run screenshots`: the README screenshots (docs/screenshots/*.png, 1440×900), taken with
 * playwright.screenshots.config.ts on a web-mode server of their own: a fresh data directory with
 * the demo data and a fixed clock, so the pictures do not depend on anything else. Not part of
 * `npm test`; e2e/screenshots.spec.ts checks there that these pages render.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
// Not the fixtures' `test`: that one signs in to the e2e suite's shared server, which is not started here.
import { signIn } from './fixtures';
import { README_SEED, README_VIEWPORT, showOverview, showSqlConsole, showUserEditor, showUsersTable, showVerifiedIndex } from './support/readme-pages';
import { seedDataDir } from './support/seed';
import { type RunningWebMode, startWebMode, stopWebMode } from './support/web-mode';

const OUT = resolve(import.meta.dirname, '..', 'docs', 'screenshots');

/**
 * The header shows the data directory: a fixed path keeps the pictures identical from run to run
 * (so they only change in git when the UI does). The pictures are taken one at a time.
 */
const DATA_DIR = join(tmpdir(), 'kalam-studio-demo');

let logDir = '';
let server: RunningWebMode | undefined;

test.beforeAll(async () => {
  rmSync(DATA_DIR, { recursive: true, force: true });
  seedDataDir(DATA_DIR, README_SEED);
  logDir = mkdtempSync(join(tmpdir(), 'kalam-shots-'));
  server = await startWebMode(DATA_DIR, join(logDir, 'server.log'));
});

test.afterAll(async () => {
  if (server) await stopWebMode(server.pid);
  rmSync(DATA_DIR, { recursive: true, force: true });
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

async function open(browser: Browser, colorScheme: 'light' | 'dark'): Promise<Page> {
  if (!server) throw new Error('no screenshot server');
  const origin = new URL(server.url).origin;
  const context = await browser.newContext({ viewport: README_VIEWPORT, colorScheme, baseURL: origin, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signIn(page, { url: server.url, origin, lastSeededAuditId: 0 });
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Live');
  return page;
}

/**
 * Writes docs/screenshots/<name>.png through toHaveScreenshot, which waits for two identical frames
 * (no half-drawn state) and, with `updateSnapshots: 'changed'` (playwright.screenshots.config.ts),
 * rewrites the file only when the picture really changed: antialiasing noise leaves git clean.
 */
async function shoot(page: Page, name: string): Promise<void> {
  // No hover effects in the picture.
  await page.mouse.move(0, README_VIEWPORT.height - 1);
  await expect(page).toHaveScreenshot(`${name}.png`, { animations: 'disabled', caret: 'hide', scale: 'css', maxDiffPixels: 25 });
  const size = statSync(join(OUT, `${name}.png`)).size;
  expect(size, `${name}.png size`).toBeGreaterThan(20_000);
  expect(size, `${name}.png size`).toBeLessThan(600_000);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`table-${scheme}.png`, async ({ browser }) => {
    const page = await open(browser, scheme);
    await showUsersTable(page);
    await shoot(page, `table-${scheme}`);
    await page.context().close();
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`overview-${scheme}.png`, async ({ browser }) => {
    const page = await open(browser, scheme);
    await showOverview(page);
    await shoot(page, `overview-${scheme}`);
    await page.context().close();
  });
}

test('editor.png', async ({ browser }) => {
  const page = await open(browser, 'light');
  await showUserEditor(page);
  await shoot(page, 'editor');
  await page.context().close();
});

test('indexes.png', async ({ browser }) => {
  const page = await open(browser, 'light');
  await showVerifiedIndex(page);
  await shoot(page, 'indexes');
  await page.context().close();
});

test('sql-console.png', async ({ browser }) => {
  const page = await open(browser, 'light');
  await showSqlConsole(page);
  await shoot(page, 'sql-console');
  await page.context().close();
});
