/**
 * A row changed elsewhere while one of its cells has a staged edit: the row updates on screen
 * within a second, the staged value stays and is marked as a conflict instead of being overwritten.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cell, conflictDialog, notifications, rpcFromPage, uniqueName } from './support/app';
import { addRow, createNamespace, createTable, editCell, pendingChanges, rowActions, rowWithCell } from './support/data';

/** Events batch for 150 ms, then one refetch: well within a second, with room for a busy machine. */
const LIVE_MS = 2_000;

/** Someone else sets `stars` of a row, through the same procedures the app uses (another page). */
async function changeElsewhere(other: Page, table: string, key: string, stars: number): Promise<void> {
  const got = await rpcFromPage(other, 'rows/get', { table, key });
  expect(got.status, got.body).toBe(200);
  const version = (JSON.parse(got.body) as { json: { version: string } }).json.version;
  const res = await rpcFromPage(other, 'rows/update', { table, key, version, values: { stars } });
  expect(res.status, res.body).toBe(200);
}

async function setup(page: Page): Promise<string> {
  const ns = uniqueName('live');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    columns: [
      { name: 'title', nullable: false },
      { name: 'stars', type: 'integer' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Title: 'one', Stars: '1' });
  await expect(page.getByRole('banner').getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await editCell(page, 'one', 'title', 'mine');
  await expect(rowWithCell(page, 'Staged: mine')).toBeVisible();
  return table;
}

test('a live change to a row with a staged edit shows, and marks the edit as a conflict', async ({ page, openPage }) => {
  test.setTimeout(60_000);
  const table = await setup(page);
  const other = await openPage();
  await changeElsewhere(other, table, '1', 99);

  // The other column follows within a second; my staged title is kept, now marked in conflict.
  await expect(await cell(page, '1', 'stars')).toHaveText('99', { timeout: LIVE_MS });
  await expect(rowWithCell(page, 'In conflict, staged: mine')).toBeVisible();
  const problem = pendingChanges(page).getByRole('alert');
  await expect(problem).toContainText('changed by someone else after you staged your edit');

  // Keep my edits: re-based on the stored version, then applied without overwriting their stars.
  await problem.getByRole('button', { name: 'Keep my edits' }).click();
  await expect(rowWithCell(page, 'Staged: mine')).toBeVisible();
  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(notifications(page)).toContainText('Applied changes to 1 row.');
  await expect(await cell(page, '1', 'title')).toHaveText('mine');
  await expect(await cell(page, '1', 'stars')).toHaveText('99');
});

test('applying a stale staged edit is refused as a conflict; take theirs drops it', async ({ page, openPage }) => {
  test.setTimeout(60_000);
  const table = await setup(page);
  const other = await openPage();
  await changeElsewhere(other, table, '1', 7);
  // Apply at once (the live refetch may not be in yet): the engine refuses the stale version.
  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(pendingChanges(page).getByRole('alert').first()).toContainText(/changed/);
  await expect(await cell(page, '1', 'stars')).toHaveText('7', { timeout: LIVE_MS });
  await pendingChanges(page).getByRole('button', { name: 'Take theirs' }).click();
  await expect(pendingChanges(page)).toBeHidden();
  await expect(await cell(page, '1', 'title')).toHaveText('one');
});

test('a row changed while its edit form is open: warned at once, then the conflict dialog', async ({ page, openPage }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('live');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    columns: [
      { name: 'title', nullable: false },
      { name: 'stars', type: 'integer' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Title: 'one', Stars: '1' });
  await rowWithCell(page, 'one').click();
  await rowActions(page).getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit row 1' });
  await editor.getByLabel('Title').fill('mine');

  const other = await openPage();
  await changeElsewhere(other, table, '1', 42);
  await expect(editor.getByText('This row was changed by someone else after you opened it')).toBeVisible({ timeout: LIVE_MS });
  await editor.getByRole('button', { name: 'Save' }).click();
  const conflict = conflictDialog(page);
  await expect(conflict.getByRole('row', { name: /^Stars 1 42$/ })).toBeVisible();
  await conflict.getByRole('button', { name: 'Reload' }).click();
  await expect(editor.getByLabel('Stars')).toHaveValue('42');
  await editor.getByLabel('Title').fill('mine');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(await cell(page, '1', 'title')).toHaveText('mine');
  await expect(await cell(page, '1', 'stars')).toHaveText('42');
});
