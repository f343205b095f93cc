/** The Jobs page: reachable from the header everywhere, runs jobs started from it and from a table's toolbar. */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible } from './support/axe';

function jobsTable(page: Page) {
  return page.getByRole('table', { name: 'Jobs, newest first' });
}

/** The newest row for a job description (rows are newest first). */
function jobRow(page: Page, what: string) {
  return jobsTable(page).getByRole('row').filter({ hasText: what }).first();
}

test('the header indicator opens the Jobs page; an eviction started there completes', async ({ page }) => {
  await page.goto('/#/indexes');
  const indicator = page.getByRole('banner').getByRole('link', { name: /jobs? (running|active)/i });
  await expect(indicator).toBeVisible();
  await indicator.click();
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();

  await page.getByRole('group', { name: 'Start a job' }).getByRole('button', { name: 'Evict expired rows' }).click();
  const row = jobRow(page, 'Evict expired stream rows');
  await expect(row).toBeVisible();
  await expect(row.getByText('Completed', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText(/EV-/);

  // The status filter narrows the history.
  await page.getByLabel('Filter by status').selectOption('failed');
  await expect(jobsTable(page).getByRole('row').filter({ hasText: 'Evict expired stream rows' })).toHaveCount(0);
  await page.getByLabel('Filter by status').selectOption('completed');
  await expect(jobRow(page, 'Evict expired stream rows')).toBeVisible();
});

test('flush a table from its toolbar: the job completes and the rows still browse', async ({ page }) => {
  await page.goto('/#/table/demo.products');
  await expect(page.getByRole('heading', { level: 1, name: 'demo.products' })).toBeVisible();
  await page.getByRole('button', { name: 'Flush to Parquet' }).click();
  await expect(page.getByText(/Flush demo\.products: queued \(FL-/)).toBeVisible();

  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const row = jobRow(page, 'Flush demo.products');
  await expect(row.getByText('Completed', { exact: true })).toBeVisible({ timeout: 20_000 });

  await page.goto('/#/table/demo.products');
  await expect(page.getByRole('gridcell', { name: 'Keyboard' })).toBeVisible();
});

test('restore refuses a folder that is not a backup, with the reason', async ({ page }) => {
  await page.goto('/#/jobs');
  await page.getByRole('group', { name: 'Start a job' }).getByRole('button', { name: 'Restore…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore a backup' });
  await dialog.getByLabel('Backup folder (absolute path)').fill('relative/path');
  await expect(dialog.getByRole('button', { name: 'Check backup' })).toBeDisabled();
  await dialog.getByLabel('Backup folder (absolute path)').fill('/nonexistent/kalam-backup');
  await dialog.getByRole('button', { name: 'Check backup' }).click();
  await expect(dialog.getByRole('alert')).toContainText('This backup cannot be restored');
  await expect(dialog.getByRole('alert')).toContainText('is not a Kalam Studio backup');
  await expect(dialog.getByRole('button', { name: /Replace all data/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('the Jobs page and its dialogs pass axe', async ({ page }) => {
  // Three axe scans on a shared 2-core machine.
  test.setTimeout(90_000);
  await page.goto('/#/jobs');
  const start = page.getByRole('group', { name: 'Start a job' });
  await start.getByRole('button', { name: 'Evict expired rows' }).click();
  await expect(jobRow(page, 'Evict expired stream rows').getByText('Completed', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, 'the Jobs page', ['#main', '.jobs-indicator']);
  for (const [button, title] of [
    ['Back up…', 'Back up the database'],
    ['Flush table…', 'Flush a table'],
    ['Compact table…', 'Compact a table'],
  ] as const) {
    await start.getByRole('button', { name: button }).click();
    const dialog = page.getByRole('dialog', { name: title });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, title, ['dialog[open]']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  }
});
