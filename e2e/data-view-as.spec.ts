/**
 * View as: the admin adds rows for two users to a user table; viewed as each user, the grid shows
 * only that user's rows, and a row added as a user belongs to them. A table the subject may not
 * read says so.
 */
import { expect, test } from './fixtures';
import { grid, uniqueName } from './support/app';
import { addRow, createNamespace, createTable, openNamespace, rowWithCell, viewAs } from './support/data';

test('viewed as two users, a user table shows each only their own rows', async ({ page }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('viewas');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, { name: 'todos', type: 'user', columns: [{ name: 'task', nullable: false }] });
  await addRow(page, table, { 'ID (primary key)': '1', Task: 'alice task' }, 'u_alice');
  await addRow(page, table, { 'ID (primary key)': '1', Task: 'bob task' }, 'u_bob');
  await expect(rowWithCell(page, 'alice task')).toBeVisible();
  await expect(rowWithCell(page, 'bob task')).toBeVisible();

  await viewAs(page, 'alice (dba)');
  await expect(page.getByRole('main')).toContainText('viewed as alice (dba)');
  await expect(rowWithCell(page, 'alice task')).toBeVisible();
  await expect(rowWithCell(page, 'bob task')).toHaveCount(0);
  await expect(grid(page).getByRole('rowgroup').nth(1).getByRole('row')).toHaveCount(1);

  await viewAs(page, 'bob (user)');
  await expect(rowWithCell(page, 'bob task')).toBeVisible();
  await expect(rowWithCell(page, 'alice task')).toHaveCount(0);
  // A row added as bob is bob's: no owner to choose.
  await addRow(page, table, { 'ID (primary key)': '2', Task: 'bob again' });
  await expect(rowWithCell(page, 'bob again')).toBeVisible();

  await viewAs(page, 'alice (dba)');
  await expect(rowWithCell(page, 'alice task')).toBeVisible();
  await expect(rowWithCell(page, 'bob again')).toHaveCount(0);

  await viewAs(page, 'Admin (everything)');
  await expect(grid(page).getByRole('rowgroup').nth(1).getByRole('row')).toHaveCount(3);
});

test('a shared table the viewed-as role may not read shows why', async ({ page }) => {
  const ns = uniqueName('viewas');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, { name: 'secrets', type: 'shared', accessLevel: 'dba', columns: [{ name: 'value' }] });
  await viewAs(page, 'bob (user)');
  await expect(page.getByRole('heading', { level: 1, name: table })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('No access');
  await expect(page.getByRole('main')).toContainText('access level dba');
  await expect(page.getByRole('grid')).toHaveCount(0);
  // The tree says it too.
  await openNamespace(page, ns);
  await expect(page.getByRole('row', { name: /secrets/ })).toContainText('no access');
});
