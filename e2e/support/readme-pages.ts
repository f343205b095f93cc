/**
 * The pages the README shows: how their data is seeded and how each is brought on screen. Shared
 * by e2e/screenshots.spec.ts (checks that they render) and e2e/readme-screenshots.ts (`npm run
 * screenshots`, which photographs them into docs/screenshots).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { openIndexes, openTable, rowByKey, rpcFromPage } from './app';
import type { SeedOptions } from './seed';

/** 20 November 2026, 09:30 UTC: every seeded timestamp derives from it. */
export const README_CLOCK = Date.UTC(2026, 10, 20, 9, 30);

/** The demo data plus a fuller users table and some audit history, on a fixed clock. */
export const README_SEED: SeedOptions = { auditEntries: 2_000, moreUsers: 14, now: () => README_CLOCK };

export const README_VIEWPORT = { width: 1440, height: 900 };

/** The users table, u_alice selected so that its JSON shows beside the grid. */
export async function showUsersTable(page: Page): Promise<void> {
  await openTable(page, 'users');
  await rowByKey(page, 'u_alice').click();
  await expect(page.getByRole('heading', { name: 'Row u_alice' })).toBeVisible();
}

/** u_alice's edit form with a changed email (not saved). */
export async function showUserEditor(page: Page): Promise<Locator> {
  await openTable(page, 'users');
  await rowByKey(page, 'u_alice').dblclick();
  const editor = page.getByRole('dialog', { name: 'Edit user u_alice' });
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await editor.getByLabel('Email').fill('alice@kalam.example');
  return editor;
}

/** The Indexes page with users.username verified. */
export async function showVerifiedIndex(page: Page): Promise<void> {
  await openIndexes(page);
  await page.getByRole('link', { name: 'username', exact: true }).click();
  await page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Index is consistent')).toBeVisible();
}

/** The SQL console with a join of a user table and a system table run, its rows in the grid. */
export async function showSqlConsole(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SQL console' }).click();
  const editor = page.getByRole('textbox', { name: /^SQL of / });
  await editor.click();
  await page.keyboard.insertText(
    "-- Every user's notes, with their role (a user table joined to a system table)\nSELECT u.username, u.role, n.title, n.pinned, n.created_at\nFROM demo.notes n\nJOIN system.users u ON u.user_id = n._user\nORDER BY u.username, n.id;\n\nSHOW STATS FOR TABLE demo.notes;",
  );
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByRole('grid', { name: 'Result 1: SELECT' }).getByRole('gridcell', { name: 'Groceries' })).toBeVisible();
  await editor.blur();
}

/**
 * The Overview's storage dashboard, after every table was flushed once (so both tiers, segments and
 * a job timeline show). Flushing again finds no hot rows and changes nothing.
 */
export async function showOverview(page: Page): Promise<void> {
  expect((await rpcFromPage(page, 'jobs/start', { type: 'flush_all' })).status).toBe(200);
  await page.goto('/#/');
  const dashboard = page.getByTestId('storage-dashboard');
  await expect(dashboard.getByTestId('segments-card')).not.toContainText('Nothing flushed yet', { timeout: 30_000 });
  await expect(dashboard.getByRole('img', { name: 'Hot and cold rows per table' })).toBeVisible();
  await expect(dashboard.getByRole('img', { name: 'Jobs over time by kind, coloured by status' })).toBeVisible();
}
