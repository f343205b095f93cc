/**
 * Job outcomes reach the user wherever they are: a toast when a job started here completes or any
 * job fails, with a link to the job; the header keeps the last finished jobs; a table whose flushes
 * fail says its automatic flush is paused. On this file's own server: its data directory has a
 * table whose storage folder is broken, so its flushes fail (its hourly policy never comes due in a
 * test: the flush is started by hand).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { storageFixture } from '../src/shared/system/storages.test-support';
import { TableIdKey } from '../src/shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import { notifications, waitForRows } from './support/app';
import { expectAccessible } from './support/axe';
import { seedDemoData, testWithOwnServer } from './support/own-server';

/** The demo data, and demo.broken: a table with an hourly flush policy on a storage whose folder is a file. */
function prepare(dataDir: string): void {
  seedDemoData(dataDir);
  const notAFolder = join(dirname(dataDir), 'not-a-folder');
  writeFileSync(notAFolder, 'a file where a storage folder should be');
  const engine = Engine.openDataDir(dataDir);
  try {
    const now = Date.now();
    engine.system.storages.insert(storageFixture('broken', notAFolder, now, { storage_name: 'Broken' }));
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'demo',
      name: 'broken',
      type: 'shared',
      access_level: 'public',
      storage_id: 'broken',
      flush_policy: { interval_seconds: 3600 },
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text' },
      ],
    });
    engine.data.shared(TableIdKey.parse('demo.broken')).insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'stays hot' }]);
  } finally {
    engine.close();
  }
}

const test = testWithOwnServer({ name: 'outcomes', prepare });

/** Opens the header's list of recent jobs. */
async function recentJobs(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Recent jobs' }).click();
  const panel = page.getByRole('banner').getByRole('region', { name: 'Recent jobs' });
  await expect(panel).toBeVisible();
  return panel;
}

test('a job started here announces its completion in a toast linking to it; the header keeps it among the finished jobs', async ({ page }) => {
  await page.goto('/#/table/demo.products');
  await waitForRows(page);
  await page.getByRole('button', { name: 'Flush to Parquet' }).click();

  const toast = notifications(page)
    .locator('.toast')
    .filter({ hasText: /Flush demo\.products: completed \(FL-/ });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  const id = /\((FL-[^)]+)\)/.exec((await toast.textContent()) ?? '')![1]!;
  await toast.getByRole('link', { name: 'Show job' }).click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  const focused = page.getByRole('table', { name: `Job ${id}` });
  await expect(focused.getByText('Completed', { exact: true })).toBeVisible();
  await expect(focused).toContainText('Flush demo.products');
  await expectAccessible(page, 'the Jobs page showing one job', ['#main']);

  // Elsewhere, the header lists it among the last finished jobs, a link to it.
  await page.goto('/#/indexes');
  const panel = await recentJobs(page);
  const item = panel.getByRole('list', { name: 'Recently finished jobs' }).getByRole('link', { name: /Flush demo\.products\s*Completed/ });
  await expect(item).toBeVisible();
  await expectAccessible(page, 'the recent jobs list', ['.jobs-indicator-group']);
  await item.click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  await expect(panel).toBeHidden();
});

test("a flush that fails: an error toast linking to the job, and the table's toolbar says its automatic flush is paused", async ({ page }) => {
  await page.goto('/#/table/demo.broken');
  await waitForRows(page);
  await expect(page.getByRole('status').filter({ hasText: /^Automatic flush paused/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Flush to Parquet' }).click();
  const toast = notifications(page)
    .getByRole('alert')
    .locator('.toast')
    .filter({ hasText: /Flush demo\.broken failed: .*not-a-folder/ });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  // The scheduler backs off: the toolbar says so.
  await expect(page.getByRole('status').filter({ hasText: /^Automatic flush paused after 1 failure; next try at / })).toBeVisible();
  // The rows stay hot: nothing was lost.
  await expect(page.getByRole('gridcell', { name: 'stays hot' })).toBeVisible();

  await toast.getByRole('link', { name: 'Show job' }).click();
  await expect(page).toHaveURL(/#\/jobs\/FL-/);
  const focused = page.getByRole('region', { name: /^Job FL-/ });
  await expect(focused.getByText('Failed', { exact: true })).toBeVisible();
  await expect(focused).toContainText('not-a-folder');

  const panel = await recentJobs(page);
  await expect(panel.getByRole('list', { name: 'Recently finished jobs' }).getByRole('link', { name: /Flush demo\.broken\s*Failed/ })).toBeVisible();
});
