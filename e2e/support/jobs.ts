/** What the job specs do on the Jobs page, by accessible role and name only. */
import { expect, type Locator, type Page } from '@playwright/test';

export function jobsTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Jobs, newest first' });
}

/** The newest job row whose text contains `what` ("Flush demo.products", "Back up to /tmp/…"). */
export function jobRow(page: Page, what: string): Locator {
  return jobsTable(page).getByRole('row').filter({ hasText: what }).first();
}

/** Opens the Jobs page through the header's indicator, reachable from every page. */
export async function openJobs(page: Page): Promise<void> {
  await page
    .getByRole('banner')
    .getByRole('link', { name: /jobs? (running|active)/i })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
}

export function startJobGroup(page: Page): Locator {
  return page.getByRole('group', { name: 'Start a job' });
}

/** Waits on the Jobs page until the newest job matching `what` shows `status` ("Completed", "Failed", …). */
export async function expectJobStatus(page: Page, what: string, status: string, timeout = 30_000): Promise<Locator> {
  const row = jobRow(page, what);
  await expect(row.getByText(status, { exact: true })).toBeVisible({ timeout });
  return row;
}

/** Backs up through the Jobs page's dialog (path field) and waits until the job completes. */
export async function backUp(page: Page, folder: string): Promise<void> {
  await startJobGroup(page).getByRole('button', { name: 'Back up…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Back up the database' });
  await dialog.getByLabel(/^Backup folder/).fill(folder);
  await dialog.getByRole('button', { name: 'Back up', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expectJobStatus(page, `Back up to ${folder}`, 'Completed');
}

/**
 * Opens the Restore dialog, enters a folder and checks it (every checksum, with progress): the
 * dialog once the check ended, showing a summary or a refusal.
 */
export async function checkBackup(page: Page, folder: string): Promise<Locator> {
  await startJobGroup(page).getByRole('button', { name: 'Restore…' }).click();
  // A dialog while the folder is unchecked; an alertdialog once the summary asks for confirmation.
  const dialog = page.getByRole('dialog', { name: 'Restore a backup' }).or(page.getByRole('alertdialog', { name: 'Restore a backup' }));
  await dialog.getByLabel('Backup folder (absolute path)').fill(folder);
  await dialog.getByRole('button', { name: 'Check backup' }).click();
  await expect(dialog.getByText('Replace the current data?').or(dialog.getByText('This backup cannot be restored'))).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: 'Checking the backup…' })).toHaveCount(0);
  return dialog;
}
