/**
 * Data tables through the UI: a namespace with a shared, a user and a stream table (created in the
 * dialogs, after their preview), then rows added, edited, cloned and deleted in the generated forms.
 */
import { expect, test } from './fixtures';
import { grid, notifications, uniqueName } from './support/app';
import {
  addRow,
  createNamespace,
  createTable,
  createTableDialog,
  namespaceTree,
  openDataTable,
  openNamespace,
  rowActions,
  rowWithCell,
  tablesOf,
} from './support/data';

test('create a namespace with a shared, a user and a stream table', async ({ page }) => {
  const ns = uniqueName('ns');
  await createNamespace(page, ns);
  await expect(namespaceTree(page).getByRole('link', { name: ns, exact: true })).toHaveAccessibleDescription('0 tables');

  const shared = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    accessLevel: 'public',
    columns: [
      { name: 'title', nullable: false },
      { name: 'done', type: 'boolean', default: 'false', nullable: false },
    ],
  });
  await expect(page.getByRole('main')).toContainText('shared table, public, schema version 1');
  await openNamespace(page, ns);
  const user = await createTable(page, ns, { name: 'todos', type: 'user', columns: [{ name: 'task' }] });
  await openNamespace(page, ns);
  const stream = await createTable(page, ns, { name: 'events', type: 'stream', ttlSeconds: '600', columns: [{ name: 'kind' }] });

  // The tree lists the three tables with their kind and row count.
  const tree = namespaceTree(page);
  const tables = tablesOf(page, ns);
  await expect(tables.getByRole('link', { name: 'notes', exact: true })).toHaveAccessibleDescription('shared table, 0 rows');
  await expect(tables.getByRole('link', { name: 'todos', exact: true })).toHaveAccessibleDescription('user table, 0 rows');
  await expect(tables.getByRole('link', { name: 'events', exact: true })).toHaveAccessibleDescription('stream table, 0 rows');
  // Collapsing the namespace hides its tables; the keyboard works the disclosure.
  const toggle = tree.getByRole('button', { name: `Collapse namespace ${ns}` });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(tables).toBeHidden();
  await tree.getByRole('button', { name: `Expand namespace ${ns}` }).press('Space');
  await expect(tables.getByRole('link', { name: 'notes', exact: true })).toBeVisible();

  expect([shared, user, stream]).toEqual([`${ns}.notes`, `${ns}.todos`, `${ns}.events`]);

  // A stream row: appended for its owner, stamped with its write time; stream rows cannot be edited.
  await openDataTable(page, stream);
  await addRow(page, stream, { 'ID (primary key)': '1', Kind: 'click' }, 'u_alice');
  await expect(rowWithCell(page, 'click')).toContainText('u_alice');
  await rowWithCell(page, 'click').click();
  await expect(rowActions(page).getByRole('button', { name: 'Edit' })).toBeDisabled();
  await expect(tables.getByRole('link', { name: 'events', exact: true })).toHaveAccessibleDescription('stream table, 1 row');
});

test('the create-table dialog shows client and engine errors on their fields', async ({ page }) => {
  const ns = uniqueName('ns');
  await createNamespace(page, ns);
  await page.getByRole('toolbar', { name: 'Namespace actions' }).getByRole('button', { name: 'New table' }).click();
  const dialog = createTableDialog(page, ns);
  await dialog.getByLabel('Table name').fill('9bad');
  const col2 = dialog.getByRole('group', { name: 'Column 2' });
  await col2.getByLabel('Name').fill('_secret');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByLabel('Table name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText('must not start with a digit');
  await expect(col2).toContainText('must not start with "_"');
  await expect(dialog.getByRole('region', { name: 'Preview of the change' })).toHaveCount(0);

  // Fixed: the preview appears, and the table can be created; a second one with the same name
  // is refused by the engine on the name field.
  await dialog.getByLabel('Table name').fill('things');
  await col2.getByLabel('Name').fill('label');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('region', { name: 'Preview of the change' })).toContainText(`${ns}.things`);
  await dialog.getByRole('button', { name: 'Create table' }).click();
  await expect(dialog).toBeHidden();
  await openNamespace(page, ns);
  await page.getByRole('toolbar', { name: 'Namespace actions' }).getByRole('button', { name: 'New table' }).click();
  await dialog.getByLabel('Table name').fill('things');
  await dialog.getByRole('group', { name: 'Column 2' }).getByLabel('Name').fill('label');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByLabel('Table name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText(/already exists/);
});

test('add, edit, clone and delete rows of a shared table', async ({ page }) => {
  const ns = uniqueName('ns');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    columns: [
      { name: 'title', nullable: false },
      { name: 'stars', type: 'integer' },
    ],
  });

  await addRow(page, table, { 'ID (primary key)': '1', Title: 'first', Stars: '3' });
  await addRow(page, table, { 'ID (primary key)': '2', Title: 'second' });
  await expect(rowWithCell(page, 'first')).toBeVisible();
  await expect(rowWithCell(page, 'second')).toBeVisible();

  // A bad value is refused in the form, on its field.
  await rowActions(page).getByRole('button', { name: 'New row' }).click();
  const add = page.getByRole('dialog', { name: `New row in ${table}` });
  await add.getByLabel('ID (primary key)').fill('x');
  await add.getByLabel('Title').fill('bad');
  await add.getByRole('button', { name: 'Save' }).click();
  await expect(add.getByLabel('ID (primary key)')).toHaveAttribute('aria-invalid', 'true');
  await expect(add).toContainText('must be a whole number');
  // Cancel on a form with input asks first.
  await add.getByRole('button', { name: 'Cancel' }).click();
  await add.getByRole('button', { name: 'Discard' }).click();
  await expect(add).toBeHidden();

  // Edit: the key is read-only, the engine's columns are shown but not editable.
  await rowWithCell(page, 'first').click();
  await rowActions(page).getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit row 1' });
  await expect(edit.getByLabel('ID (primary key)')).toBeDisabled();
  await expect(edit.getByRole('definition').first()).toBeVisible();
  await edit.getByLabel('Title').fill('first, edited');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(rowWithCell(page, 'first, edited')).toBeVisible();

  // Clone: a new key, the other values copied.
  await rowWithCell(page, 'first, edited').click();
  await rowActions(page).getByRole('button', { name: 'Clone' }).click();
  const clone = page.getByRole('dialog', { name: 'Clone row 1' });
  await expect(clone.getByLabel('Title')).toHaveValue('first, edited');
  await clone.getByLabel('ID (primary key)').fill('3');
  await clone.getByRole('button', { name: 'Save' }).click();
  await expect(clone).toBeHidden();
  await expect(rowWithCell(page, 'first, edited')).toHaveCount(2);

  // Delete the second row.
  await rowWithCell(page, 'second').click();
  await rowActions(page).getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete row 2?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(notifications(page)).toContainText('Deleted row 2.');
  await expect(rowWithCell(page, 'second')).toHaveCount(0);
  await expect(grid(page).getByRole('rowgroup').nth(1).getByRole('row')).toHaveCount(2);
});

test('alter a table (preview of the change), drop it, and drop a namespace with cascade', async ({ page }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('ns');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, { name: 'notes', type: 'shared', columns: [{ name: 'title' }] });
  await addRow(page, table, { 'ID (primary key)': '1', Title: 'kept' });

  // Add a column: the preview marks it and shows the new schema version; applying adds it.
  await page.getByRole('toolbar', { name: 'Table actions' }).getByRole('button', { name: 'Alter table' }).click();
  const alter = page.getByRole('dialog', { name: `Alter table ${table}` });
  await alter.getByLabel('Name').fill('stars');
  await alter.getByLabel('Type').selectOption('integer');
  await alter.getByLabel('Nullable').uncheck();
  await alter.getByRole('button', { name: 'Preview' }).click();
  // Not nullable and no default: refused before asking the engine.
  await expect(alter.getByLabel('Default')).toHaveAttribute('aria-invalid', 'true');
  await alter.getByLabel('Default').fill('0');
  await alter.getByRole('button', { name: 'Preview' }).click();
  const preview = alter.getByRole('region', { name: 'Preview of the change' });
  await expect(preview.getByRole('row', { name: /^stars integer/ })).toContainText('added');
  await expect(preview).toContainText('schema_version');
  await alter.getByRole('button', { name: 'Apply change' }).click();
  await expect(alter).toBeHidden();
  await expect(page.getByRole('main')).toContainText('schema version 2');
  await expect(grid(page).getByRole('columnheader', { name: /^stars/ })).toBeVisible();
  await expect(rowWithCell(page, 'kept')).toContainText('0');

  // Drop the table: confirmed by typing its name.
  await page.getByRole('toolbar', { name: 'Table actions' }).getByRole('button', { name: 'Drop table' }).click();
  const drop = page.getByRole('alertdialog', { name: `Drop table ${table}?` });
  await expect(drop.getByRole('button', { name: 'Drop table' })).toBeDisabled();
  await drop.getByLabel(`Type ${table} to confirm`).fill(table);
  await drop.getByRole('button', { name: 'Drop table' }).click();
  await expect(page.getByRole('heading', { level: 1, name: ns, exact: true })).toBeVisible();
  await expect(tablesOf(page, ns).getByRole('link', { name: 'notes', exact: true })).toHaveCount(0);

  // A namespace with a table drops only with the cascade box ticked.
  await createTable(page, ns, { name: 'other', type: 'user', columns: [{ name: 'x' }] });
  await openNamespace(page, ns);
  await page.getByRole('toolbar', { name: 'Namespace actions' }).getByRole('button', { name: 'Drop namespace' }).click();
  const dropNs = page.getByRole('alertdialog', { name: `Drop namespace ${ns}?` });
  await expect(dropNs.getByRole('list', { name: 'Tables dropped with it' })).toContainText(`${ns}.other`);
  const confirm = dropNs.getByRole('button', { name: 'Drop namespace and 1 tables' });
  await expect(confirm).toBeDisabled();
  await dropNs.getByLabel(/^Cascade/).check();
  await confirm.click();
  await expect(notifications(page)).toContainText(`Dropped namespace ${ns} and 1 tables.`);
  await expect(namespaceTree(page).getByRole('link', { name: ns, exact: true })).toHaveCount(0);
});
