/**
 * Inline cell edits are staged, not saved: marked cells, a pending-changes bar with undo per
 * change, kept while switching tables and sorting, then applied with each row's version.
 */
import { expect, test } from './fixtures';
import { grid, notifications, openTable, uniqueName } from './support/app';
import { addRow, createNamespace, createTable, editCell, openDataTable, pendingChanges, rowWithCell, tablesOf } from './support/data';

test('staged cell edits: mark, undo, survive navigation and sorting, then apply', async ({ page }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('stage');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    columns: [
      { name: 'title', nullable: false },
      { name: 'stars', type: 'integer' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Title: 'alpha' });
  await addRow(page, table, { 'ID (primary key)': '2', Title: 'beta' });

  await editCell(page, 'alpha', 'title', 'alpha2');
  await expect(rowWithCell(page, 'Staged: alpha2')).toBeVisible();
  await editCell(page, 'beta', 'stars', '5');
  const bar = pendingChanges(page);
  await expect(bar.getByRole('status')).toHaveText('2 staged changes in 2 rows');
  // Nothing was saved: the stored rows are unchanged.
  await expect(page.getByRole('main')).not.toContainText('Applied changes');

  // A value that does not fit the column stays in the editor with the reason; Escape drops it.
  const stars = await grid(page).getByRole('columnheader', { name: 'stars', exact: true }).getAttribute('aria-colindex');
  await rowWithCell(page, 'Staged: alpha2').locator(`[aria-colindex="${stars}"]`).dblclick();
  const input = grid(page).getByRole('textbox', { name: 'Edit stars of row 1' });
  await input.fill('many');
  await input.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'must be a whole number' })).toBeVisible();
  await input.press('Escape');
  await expect(input).toBeHidden();
  await expect(bar.getByRole('status')).toHaveText('2 staged changes in 2 rows');

  // Kept while another table is open (the tree marks the table), and after sorting.
  await openTable(page, 'users');
  await expect(tablesOf(page, ns).getByRole('link', { name: 'notes', exact: true })).toHaveAccessibleDescription('shared table, 2 rows, has staged changes');
  await openDataTable(page, table);
  await expect(pendingChanges(page).getByRole('status')).toHaveText('2 staged changes in 2 rows');
  await grid(page).getByRole('columnheader', { name: /^id/ }).getByRole('button').click();
  await expect(grid(page).getByRole('columnheader', { name: /^id/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(rowWithCell(page, 'Staged: alpha2')).toBeVisible();

  // Undo one change: its cell shows the stored value again.
  await pendingChanges(page).getByRole('button', { name: 'Undo stars of row 2' }).click();
  await expect(pendingChanges(page).getByRole('status')).toHaveText('1 staged change in 1 row');
  await expect(rowWithCell(page, 'beta').getByRole('gridcell', { name: /Staged/ })).toHaveCount(0);

  // The keyboard: click a cell to make it active, Enter edits it.
  await rowWithCell(page, 'beta').getByRole('gridcell', { name: 'beta', exact: true }).click();
  await page.keyboard.press('Enter');
  const title = grid(page).getByRole('textbox', { name: 'Edit title of row 2' });
  await expect(title).toBeFocused();
  await title.fill('beta2');
  await title.press('Enter');
  await expect(grid(page)).toBeFocused();
  await expect(pendingChanges(page).getByRole('status')).toHaveText('2 staged changes in 2 rows');

  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(notifications(page)).toContainText('Applied changes to 2 rows.');
  await expect(pendingChanges(page)).toBeHidden();
  await expect(rowWithCell(page, 'alpha2')).toBeVisible();
  await expect(rowWithCell(page, 'beta2')).toBeVisible();
  await expect(grid(page).getByRole('gridcell', { name: /Staged/ })).toHaveCount(0);
});
