/**
 * axe-core scans of the data-table views: the namespace tree and view, the create-table dialog
 * with field errors and its preview, a data table with staged edits and the pending-changes bar,
 * the alter dialog's preview and the view-as state. No serious or critical violations.
 */
import { expect, test } from './fixtures';
import { expectAccessible } from './support/axe';
import { uniqueName } from './support/app';
import { addRow, createNamespace, createTable, createTableDialog, editCell, openNamespace, pendingChanges, viewAs } from './support/data';

for (const scheme of ['light', 'dark'] as const) {
  test(`data-table views pass axe (${scheme})`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const ns = uniqueName('axe');
    await createNamespace(page, ns);

    await test.step('create-table dialog with errors, then its preview', async () => {
      await page.getByRole('toolbar', { name: 'Namespace actions' }).getByRole('button', { name: 'New table' }).click();
      const dialog = createTableDialog(page, ns);
      await dialog.getByRole('radio', { name: /^stream/i }).check();
      await dialog.getByLabel('Time to live (seconds)').fill('0');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect(dialog.getByLabel('Table name')).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(page, 'create-table dialog with errors', 'dialog[open]');
      await dialog.getByLabel('Table name').fill('events');
      await dialog.getByLabel('Time to live (seconds)').fill('60');
      await dialog.getByRole('group', { name: 'Column 2' }).getByLabel('Name').fill('kind');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect(dialog.getByRole('region', { name: 'Preview of the change' })).toBeVisible();
      await expectAccessible(page, 'create-table preview', 'dialog[open]');
      await page.screenshot({ path: testInfo.outputPath(`create-table-${scheme}.png`) });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    const table = await createTable(page, ns, {
      name: 'notes',
      type: 'shared',
      columns: [
        { name: 'title', nullable: false },
        { name: 'stars', type: 'integer' },
      ],
    });
    await addRow(page, table, { 'ID (primary key)': '1', Title: 'alpha', Stars: '2' });
    await addRow(page, table, { 'ID (primary key)': '2', Title: 'beta' });

    await test.step('data table with staged edits', async () => {
      await editCell(page, 'alpha', 'title', 'alpha2');
      await editCell(page, 'beta', 'stars', '4');
      await expect(pendingChanges(page)).toBeVisible();
      await expectAccessible(page, 'data table with pending changes');
      await page.screenshot({ path: testInfo.outputPath(`staged-${scheme}.png`) });
    });

    await test.step('alter dialog preview', async () => {
      await page.getByRole('toolbar', { name: 'Table actions' }).getByRole('button', { name: 'Alter table' }).click();
      const dialog = page.getByRole('dialog', { name: `Alter table ${table}` });
      await dialog.getByLabel('Name').fill('tag');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect(dialog.getByRole('region', { name: 'Preview of the change' })).toContainText('tag');
      await expectAccessible(page, 'alter preview', 'dialog[open]');
      await page.screenshot({ path: testInfo.outputPath(`alter-${scheme}.png`) });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    await test.step('namespace view, viewed as a user', async () => {
      await viewAs(page, 'bob (user)');
      await openNamespace(page, ns);
      await expectAccessible(page, 'namespace view as bob');
    });
  });
}
