/**
 * Flush to Parquet through the UI, on this file's own server: the demo tables, and a shared table
 * of LONG_ROWS rows seeded through the CLI so that its flush runs long enough to be cancelled.
 * After a flush the rows live only in Parquet, so browsing, editing and deleting them go through
 * the merged hot + cold reads. The server lives as long as the worker (a retried test gets a
 * fresh one); each test works on its own table, so their order does not matter.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { bodyRows, notifications, waitForRows } from './support/app';
import { openDataTable, rowActions, rowWithCell } from './support/data';
import { expectJobStatus, jobRow, jobsTable, openJobs, startJobGroup } from './support/jobs';
import { runCli, seedDemoData, testWithOwnServer } from './support/own-server';

/** Below the table view's count cap (100,000), so the header shows the exact number. */
const LONG_ROWS = 99_000;
const LONG_TABLE = 'load.items';

const test = testWithOwnServer({
  name: 'flush',
  prepare: (dataDir) => {
    seedDemoData(dataDir);
    runCli(dataDir, ['seed', LONG_TABLE, '--rows', String(LONG_ROWS)]);
  },
});

/** The text of every rendered body row, top to bottom (small tables: all of them). */
async function rowTexts(page: Page): Promise<string[]> {
  return (await bodyRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The table view's row count in its header ("99,000 rows": counted hot and flushed, exactly). */
function rowCount(page: Page, n: number): Locator {
  return page.getByRole('main').getByText(`${n.toLocaleString('en-US')} rows`, { exact: true });
}

/** Every job row for a description, newest first. */
function jobsOf(page: Page, what: string): Locator {
  return jobsTable(page).getByRole('row').filter({ hasText: what });
}

/** Parquet segments and temporary files under a table's folder of the default storage (none if never flushed). */
function segmentFiles(dataDir: string, table: string): string[] {
  const dir = join(dataDir, 'storage', ...table.split('.'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet') || f.includes('.tmp'));
}

test('flush a table from its toolbar, browse, edit and delete rows that live in Parquet, then compact it', async ({ page, ownServer }) => {
  test.setTimeout(90_000);
  const table = 'demo.products';
  await page.goto(`/#/table/${table}`);
  await waitForRows(page);
  const before = await rowTexts(page);
  expect(before).toHaveLength(3);

  await test.step('flush it from the toolbar and watch the job complete', async () => {
    await page.getByRole('button', { name: 'Flush to Parquet' }).click();
    await expect(notifications(page)).toContainText(/Flush demo\.products: queued \(FL-/);
    await openJobs(page);
    const row = await expectJobStatus(page, `Flush ${table}`, 'Completed');
    await expect(row).toContainText(/FL-/);
    expect(segmentFiles(ownServer.dataDir, table).filter((f) => f.endsWith('.parquet'))).toHaveLength(1);
  });

  await test.step('the same rows browse from Parquet', async () => {
    await openDataTable(page, table);
    await expect(rowCount(page, 3)).toBeVisible();
    expect(await rowTexts(page)).toEqual(before);
  });

  await test.step('edit a flushed row: its new hot version shows', async () => {
    await rowWithCell(page, 'Mouse').click();
    await rowActions(page).getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit row 2' });
    await expect(edit.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('Mouse');
    await edit.getByRole('textbox', { name: 'Name', exact: true }).fill('Mouse (wireless)');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(rowWithCell(page, 'Mouse (wireless)')).toBeVisible();
    await expect(rowWithCell(page, 'Mouse')).toHaveCount(0);
  });

  await test.step('delete a flushed row: it is gone', async () => {
    await rowWithCell(page, 'Monitor').click();
    await rowActions(page).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete row 3?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(confirm).toBeHidden();
    await expect(notifications(page)).toContainText('Deleted row 3.');
    await expect(rowWithCell(page, 'Monitor')).toHaveCount(0);
    await page.reload();
    await waitForRows(page);
    await expect(rowWithCell(page, 'Mouse (wireless)')).toBeVisible();
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await expect(rowWithCell(page, 'Monitor')).toHaveCount(0);
    await expect(bodyRows(page)).toHaveCount(2);
  });

  await test.step('a second flush writes the edit and the delete to Parquet: the deleted row stays deleted', async () => {
    await page.getByRole('button', { name: 'Flush to Parquet' }).click();
    await openJobs(page);
    await expect(jobsOf(page, `Flush ${table}`)).toHaveCount(2);
    await expectJobStatus(page, `Flush ${table}`, 'Completed');
    expect(segmentFiles(ownServer.dataDir, table).filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
    await openDataTable(page, table);
    await expect(rowCount(page, 2)).toBeVisible();
    await expect(rowWithCell(page, 'Mouse (wireless)')).toBeVisible();
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await expect(rowWithCell(page, 'Monitor')).toHaveCount(0);
  });

  await test.step('compact it from the toolbar: one Parquet file, the same rows', async () => {
    const rows = await rowTexts(page);
    await page.getByRole('button', { name: 'Compact' }).click();
    await expect(notifications(page)).toContainText(/Compact demo\.products: queued \(CP-/);
    await openJobs(page);
    await expectJobStatus(page, `Compact ${table}`, 'Completed');
    expect(segmentFiles(ownServer.dataDir, table)).toHaveLength(1);
    await openDataTable(page, table);
    await expect(rowCount(page, 2)).toBeVisible();
    expect(await rowTexts(page)).toEqual(rows);
  });
});

test('flush and compact a user table from the Jobs page, picked from a searchable list: every owner keeps their rows', async ({ page }) => {
  const table = 'demo.notes';
  await page.goto('/#/jobs');
  await startJobGroup(page).getByRole('button', { name: 'Flush table…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Flush a table' });
  // A list of the tables a flush can take (no stream or system tables), never a text field.
  const list = dialog.getByRole('listbox', { name: 'Table' });
  await expect(list.getByRole('option', { name: 'demo.products (shared)' })).toBeVisible();
  await expect(list.getByRole('option', { name: /demo\.events|^system\./ })).toHaveCount(0);
  const search = dialog.getByRole('searchbox', { name: 'Search tables by name' });
  await search.fill('zzz-nothing');
  await expect(dialog.getByText('No table matches “zzz-nothing”.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Flush', exact: true })).toBeDisabled();
  // The choice follows the search; Enter runs the job on it.
  await search.fill('demo not');
  await expect(list.getByRole('option')).toHaveText([`${table} (user)`]);
  await expect(list).toHaveValue(table);
  await search.press('Enter');
  await expect(dialog).toBeHidden();
  await expectJobStatus(page, `Flush ${table}`, 'Completed');

  await startJobGroup(page).getByRole('button', { name: 'Compact table…' }).click();
  const compact = page.getByRole('dialog', { name: 'Compact a table' });
  await compact.getByRole('listbox', { name: 'Table' }).selectOption(table);
  await compact.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(compact).toBeHidden();
  // One fresh segment per owner: nothing to merge, so the compaction is recorded as skipped.
  await expectJobStatus(page, `Compact ${table}`, 'Skipped');

  await openDataTable(page, table);
  for (const title of ['Rotate the backup keys', 'Review the flush policy', 'Groceries', 'Call the plumber'])
    await expect(rowWithCell(page, title)).toBeVisible();
  await expect(rowWithCell(page, 'Groceries')).toContainText('u_bob');
  await expect(rowWithCell(page, 'Rotate the backup keys')).toContainText('u_alice');
});

test('cancel a long flush from the Jobs page: nothing is left in Parquet and every row still shows', async ({ page, ownServer }) => {
  test.setTimeout(120_000);
  const what = `Flush ${LONG_TABLE}`;
  await openDataTable(page, LONG_TABLE);
  await expect(rowCount(page, LONG_ROWS)).toBeVisible({ timeout: 20_000 });

  await test.step('start the flush and cancel it while it writes', async () => {
    // Held after its first row group until cancelled, however fast this machine flushes.
    const hold = join(ownServer.holdDir, 'flush-write');
    writeFileSync(hold, '');
    await page.getByRole('button', { name: 'Flush to Parquet' }).click();
    await openJobs(page);
    const row = jobRow(page, what);
    // Live progress from the worker: rows written so far, of the table's total.
    await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuetext', new RegExp(`^write: [\\d,]+ of ${LONG_ROWS.toLocaleString('en-US')}`), {
      timeout: 30_000,
    });
    await row.getByRole('button', { name: new RegExp(`^Cancel ${what}`) }).click();
    await expect(row.getByText('Cancelled', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('banner').getByRole('link', { name: 'No jobs running' })).toBeVisible();
    // The partial segment was removed; nothing was published.
    expect(segmentFiles(ownServer.dataDir, LONG_TABLE)).toEqual([]);
    rmSync(hold);
  });

  await test.step('the table still shows all its rows, first to last', async () => {
    await openDataTable(page, LONG_TABLE);
    await expect(rowCount(page, LONG_ROWS)).toBeVisible({ timeout: 20_000 });
    await expect(rowWithCell(page, 'item-1')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Go to key' }).fill(String(LONG_ROWS));
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await waitForRows(page);
    await expect(rowWithCell(page, `item-${LONG_ROWS}`)).toBeVisible();
  });

  await test.step('retried, the flush completes and the rows still show', async () => {
    await openJobs(page);
    await jobRow(page, what)
      .getByRole('button', { name: new RegExp(`^Retry ${what}`) })
      .click();
    await expect(jobsOf(page, what)).toHaveCount(2);
    await expectJobStatus(page, what, 'Completed', 90_000);
    expect(segmentFiles(ownServer.dataDir, LONG_TABLE)).toEqual(['batch-0.parquet']);
    await openDataTable(page, LONG_TABLE);
    await expect(rowCount(page, LONG_ROWS)).toBeVisible({ timeout: 20_000 });
    // The table's tab kept its view: still from the key it went to, now read from Parquet.
    await expect(page.getByRole('status', { name: 'Go to key anchor' })).toContainText(`From key “${LONG_ROWS}”`);
    await expect(rowWithCell(page, `item-${LONG_ROWS}`)).toBeVisible();
    await page.getByRole('button', { name: 'Back to start' }).click();
    await expect(rowWithCell(page, 'item-1')).toBeVisible();
  });
});
