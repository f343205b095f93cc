/**
 * Backup and restore through the Jobs page, on this file's own server (a restore replaces every
 * table, which would pull the shared server's data from under the other specs). Backups go to
 * folders typed into the path field, next to the server's data directory.
 */
import { openSync, closeSync, readSync, writeSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { signIn } from './fixtures';
import { notifications, waitForRows } from './support/app';
import { addRow, openDataTable, rowActions, rowWithCell } from './support/data';
import { backUp, checkBackup, expectJobStatus, openJobs } from './support/jobs';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const test = testWithOwnServer({ name: 'backup', prepare: seedDemoData });

const TABLE = 'demo.products';

/** Renames a product through the row editor. */
async function renameProduct(page: Page, from: string, to: string): Promise<void> {
  await rowWithCell(page, from).click();
  await rowActions(page).getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: /^Edit row / });
  const name = edit.getByRole('textbox', { name: 'Name', exact: true });
  await expect(name).toHaveValue(from);
  await name.fill(to);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(rowWithCell(page, to)).toBeVisible();
}

async function expectProducts(page: Page, names: readonly string[]): Promise<void> {
  for (const name of names) await expect(rowWithCell(page, name)).toBeVisible();
  await expect(page.getByRole('grid').getByRole('rowgroup').nth(1).getByRole('row')).toHaveCount(names.length);
}

/** The backup summary's row for a table ("demo.products shared 0 3": type, hot rows, flushed rows). */
function summaryRow(dialog: Locator, table: string): Locator {
  return dialog
    .getByRole('table', { name: 'Rows per table in the backup' })
    .getByRole('row')
    .filter({ has: dialog.page().getByRole('cell', { name: table, exact: true }) });
}

/** Flips bytes in the middle of a file, keeping its size (only a checksum can tell). */
function flipBytes(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const at = Math.floor(statSync(path).size / 2);
    const bytes = Buffer.alloc(16);
    readSync(fd, bytes, 0, bytes.length, at);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

test('back up, change data, restore: the old data is back, in open views too', async ({ page, ownServer, browser }) => {
  test.setTimeout(120_000);
  const folder = join(ownServer.dir, 'backups', 'before-changes');

  await test.step('flush the table, so the backup holds Parquet files as well as the database', async () => {
    await page.goto(`/#/table/${TABLE}`);
    await waitForRows(page);
    await page.getByRole('button', { name: 'Flush to Parquet' }).click();
    await openJobs(page);
    await expectJobStatus(page, `Flush ${TABLE}`, 'Completed');
  });

  await test.step('back up into a folder typed into the path field', async () => {
    await backUp(page, folder);
  });

  await test.step('change the data: edit, delete and add rows', async () => {
    await openDataTable(page, TABLE);
    await expectProducts(page, ['Keyboard', 'Mouse', 'Monitor']);
    await renameProduct(page, 'Keyboard', 'Keyboard (broken)');
    await rowWithCell(page, 'Mouse').click();
    await rowActions(page).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog', { name: 'Delete row 2?' }).getByRole('button', { name: 'Delete' }).click();
    await expect(notifications(page)).toContainText('Deleted row 2.');
    await addRow(page, TABLE, { 'ID (primary key)': '4', Name: 'Webcam' });
    await expectProducts(page, ['Keyboard (broken)', 'Monitor', 'Webcam']);
  });

  // Another window keeps the table open through the restore.
  const context = await browser.newContext({ baseURL: ownServer.origin });
  try {
    const watcher = await context.newPage();
    await signIn(watcher, ownServer);
    await watcher.goto(`/#/table/${TABLE}`);
    await waitForRows(watcher);
    await expectProducts(watcher, ['Keyboard (broken)', 'Monitor', 'Webcam']);

    await test.step('restore: the confirmation shows the backup summary', async () => {
      await openJobs(page);
      const dialog = await checkBackup(page, folder);
      await expect(dialog.getByText('Replace the current data?')).toBeVisible();
      // Two files: the database and the table's Parquet segment. The demo's 10 data rows, of
      // which the table's 3 were flushed.
      await expect(dialog).toContainText(/Files\s*2 \(/);
      await expect(dialog).toContainText(/Data rows\s*10(?!\d)/);
      await expect(summaryRow(dialog, TABLE)).toHaveAccessibleName(`${TABLE} shared 0 3`);
      // The segment goes back into this data directory's storage folder, said before the confirmation.
      const storages = dialog.getByRole('group', { name: 'Where the storage files go' });
      await expect(storages).toContainText(/local: 1 file \([\d.]+ KiB\) into/);
      await expect(storages).toContainText(join(ownServer.dataDir, 'storage'));
      await dialog.getByRole('button', { name: 'Replace all data with this backup' }).click();
      await expect(dialog).toBeHidden();
      await expectJobStatus(page, `Restore from ${folder}`, 'Completed');
    });

    await test.step('the old rows are back, and the open view reloaded by itself', async () => {
      await expectProducts(watcher, ['Keyboard', 'Mouse', 'Monitor']);
      await openDataTable(page, TABLE);
      // The table's tab kept its view, anchored at the row created before the restore: back to the start.
      await expect(page.getByRole('status', { name: 'Go to key anchor' })).toContainText('From key “4”');
      await page.getByRole('button', { name: 'Back to start' }).click();
      await expectProducts(page, ['Keyboard', 'Mouse', 'Monitor']);
      await expect(rowWithCell(page, 'Keyboard (broken)')).toHaveCount(0);
      await expect(rowWithCell(page, 'Webcam')).toHaveCount(0);
    });
  } finally {
    await context.close();
  }
});

test('a tampered backup is refused with the reason, at the check or by the job, and the current data is unchanged', async ({ page, ownServer }) => {
  test.setTimeout(90_000);
  const folder = join(ownServer.dir, 'backups', 'to-corrupt');
  await page.goto('/#/jobs');
  await backUp(page, folder);

  // A change after the backup, which a restore would undo.
  await openDataTable(page, TABLE);
  const rowsBefore = await page.getByRole('grid').getByRole('rowgroup').nth(1).getByRole('row').count();
  await renameProduct(page, 'Keyboard', 'Keyboard v2');

  await test.step('bytes changed after the check: the restore job refuses them, and says why in a toast and on the Jobs page', async () => {
    await openJobs(page);
    const dialog = await checkBackup(page, folder);
    await expect(dialog.getByText('Replace the current data?')).toBeVisible();
    flipBytes(join(folder, 'kalam.sqlite'));
    await dialog.getByRole('button', { name: 'Replace all data with this backup' }).click();
    await expect(dialog).toBeHidden();
    const reason = 'the backup is corrupt: the checksum of kalam.sqlite does not match its manifest';
    const toast = notifications(page)
      .getByRole('alert')
      .filter({ hasText: `Restore from ${folder} failed: ${reason}` });
    await expect(toast).toBeVisible();
    const row = await expectJobStatus(page, `Restore from ${folder}`, 'Failed');
    await expect(row).toContainText(reason);
    // Honest: the bar says where it stopped (not a blue bar of work done), with units, and no
    // Retry is offered for a backup that would be refused the same way.
    await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuetext', /^failed during verifying: [\d.]+ (B|KiB|MiB) of [\d.]+ (B|KiB|MiB)/);
    await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
    await expect(row).toContainText('Not retryable: it would fail the same way');
    await toast.getByRole('button', { name: 'Open Jobs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  });

  await test.step('the tampered backup is refused at the check, before any confirmation', async () => {
    // Same size, so only the checksums tell: the check verifies every one of them.
    const dialog = await checkBackup(page, folder);
    const alert = dialog.getByRole('alert').filter({ hasText: 'This backup cannot be restored' });
    await expect(alert).toContainText('the backup is corrupt: the checksum of kalam.sqlite does not match its manifest');
    await expect(dialog.getByRole('button', { name: 'Replace all data with this backup' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('a truncated file is refused before the confirmation', async () => {
    truncateSync(join(folder, 'kalam.sqlite'), statSync(join(folder, 'kalam.sqlite')).size - 4096);
    const dialog = await checkBackup(page, folder);
    const alert = dialog.getByRole('alert').filter({ hasText: 'This backup cannot be restored' });
    await expect(alert).toContainText(/kalam\.sqlite has \d+ bytes, the manifest says \d+ \(truncated or changed\)/);
    await expect(dialog.getByRole('button', { name: 'Replace all data with this backup' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the current data is untouched', async () => {
    await openDataTable(page, TABLE);
    await expect(rowWithCell(page, 'Keyboard v2')).toBeVisible();
    await expect(rowWithCell(page, 'Keyboard')).toHaveCount(0);
    await expect(page.getByRole('grid').getByRole('rowgroup').nth(1).getByRole('row')).toHaveCount(rowsBefore);
  });
});
