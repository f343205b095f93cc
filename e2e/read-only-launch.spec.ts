/**
 * `--read-only` at launch: the whole process is locked. The header says so with the reason, its
 * switch cannot turn it off, every write control is off before a form is filled in, and the main
 * process refuses to unlock or write whatever a page sends.
 */
import { expect } from '@playwright/test';
import { openTable, rpcFromPage, action } from './support/app';
import { openDataTable, openNamespace, rowActions, rowWithCell } from './support/data';
import { openJobs, startJobGroup } from './support/jobs';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const test = testWithOwnServer({ name: 'read-only-launch', prepare: seedDemoData, args: ['--read-only'] });

const LOCKED = /^Read-only mode is locked for this run \(/;

test('launched with --read-only, every write is off with the reason and nothing unlocks it', async ({ page }) => {
  test.setTimeout(60_000);
  const banner = page.getByRole('banner');

  await test.step('the header shows the lock and its reason; the switch is off limits', async () => {
    await page.goto('/#/');
    const toggle = banner.getByRole('switch', { name: 'Read-only (locked)' });
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(toggle).toBeDisabled();
    await expect(banner.getByText('Read-only (locked)', { exact: true }).first()).toHaveAttribute('title', LOCKED);
  });

  await test.step('schema changes, table jobs and row edits are off, saying why', async () => {
    await expect(page.getByRole('button', { name: 'New namespace' })).toBeDisabled();
    await openNamespace(page, 'demo');
    const namespaceActions = page.getByRole('toolbar', { name: 'Namespace actions' });
    for (const name of ['New table', 'Drop namespace']) {
      await expect(namespaceActions.getByRole('button', { name })).toBeDisabled();
      await expect(namespaceActions.getByRole('button', { name })).toHaveAttribute('title', LOCKED);
    }
    await openDataTable(page, 'demo.products');
    const tableActions = page.getByRole('toolbar', { name: 'Table actions' });
    for (const name of ['Alter table', 'Drop table']) {
      await expect(tableActions.getByRole('button', { name })).toBeDisabled();
      await expect(tableActions.getByRole('button', { name })).toHaveAttribute('title', LOCKED);
    }
    for (const name of ['Flush to Parquet', 'Compact']) {
      await expect(page.getByRole('button', { name })).toBeDisabled();
      await expect(page.getByRole('button', { name })).toHaveAttribute('title', LOCKED);
    }
    await expect(rowActions(page).getByRole('button', { name: 'New row' })).toBeDisabled();
    await expect(rowActions(page).getByRole('button', { name: 'New row' })).toHaveAttribute('title', LOCKED);
    await rowWithCell(page, 'Keyboard').click();
    for (const name of ['Edit', 'Delete']) await expect(rowActions(page).getByRole('button', { name })).toBeDisabled();
    await openTable(page, 'users');
    for (const name of ['New', 'Set password']) await expect(action(page, name)).toBeDisabled();
    await expect(action(page, 'New')).toHaveAttribute('title', LOCKED);
  });

  await test.step('the Jobs page starts nothing that writes; a backup, which only reads, stays available', async () => {
    await openJobs(page);
    for (const name of ['Flush table…', 'Flush all', 'Restore…']) {
      await expect(startJobGroup(page).getByRole('button', { name })).toBeDisabled();
      await expect(startJobGroup(page).getByRole('button', { name })).toHaveAttribute('title', LOCKED);
    }
    await expect(startJobGroup(page).getByRole('button', { name: 'Back up…' })).toBeEnabled();
  });

  await test.step('the main process refuses to unlock, and refuses writes', async () => {
    const unlock = await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false });
    expect(JSON.parse(unlock.body)).toMatchObject({ json: { code: 'READ_ONLY' } });
    const drop = await rpcFromPage(page, 'ddl/dropTable', { table: 'demo.products' });
    expect(JSON.parse(drop.body)).toMatchObject({ json: { code: 'READ_ONLY' } });
    const info = await rpcFromPage(page, 'engine/info', {});
    expect(JSON.parse(info.body)).toMatchObject({ json: { readOnly: true, readOnlyLocked: true } });
  });
});
