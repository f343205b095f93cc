/** The Indexes page after edits: users.username verifies consistent, rebuilds, and looks up entries. */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { action, createUser, editRow, notifications, openIndexes, openTable, rowByKey, uniqueName } from './support/app';

function indexActions(page: Page) {
  return page.getByRole('toolbar', { name: 'Index actions' });
}

async function verify(page: Page): Promise<void> {
  await indexActions(page).getByRole('button', { name: 'Verify' }).click();
  const report = page.getByRole('region', { name: 'Verify report' });
  await expect(report.getByText('Index is consistent')).toBeVisible();
  await expect(report).toContainText(/[\d,]+ rows and [\d,]+ entries checked; nothing missing, orphaned or wrong/);
}

test('verify and rebuild users.username after edits', async ({ page }) => {
  const name = uniqueName('ix');
  const renamed = `${name}r`;
  const id = `u_${name}`;

  await test.step('edit users: create, rename, create and delete another', async () => {
    await openTable(page, 'users');
    await createUser(page, { userId: id, username: name });
    const editor = await editRow(page, id);
    await editor.getByLabel('Username').fill(renamed);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
    await createUser(page, { userId: `${id}d`, username: `${name}d` });
    await rowByKey(page, `${id}d`).click();
    await action(page, 'Delete').click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(notifications(page)).toContainText(`Deleted user ${id}d.`);
  });

  await test.step('open users.username from the index list', async () => {
    await openIndexes(page);
    const row = page
      .getByRole('table', { name: 'Secondary indexes' })
      .getByRole('row')
      .filter({ hasText: 'system.users' })
      .filter({ has: page.getByRole('link', { name: 'username', exact: true }) });
    await expect(row).toContainText('unique');
    await row.getByRole('link', { name: 'username', exact: true }).click();
    await expect(page).toHaveURL(/#\/indexes\/system\.users\/username$/);
    await expect(page.getByRole('heading', { name: 'username on system.users' })).toBeVisible();
  });

  await test.step('verify: consistent', async () => {
    await verify(page);
  });

  await test.step('look up the renamed user: one entry, linked to its row', async () => {
    await page.getByRole('searchbox', { name: 'Look up by username' }).fill(renamed);
    await page.getByRole('button', { name: 'Look up' }).click();
    const entries = page.getByRole('table', { name: 'Entries of username' });
    await expect(entries.getByRole('row', { name: new RegExp(`^${renamed} `) })).toContainText(id);
    // The old name and the deleted user's name have no entries (partial, unique index of live users).
    await page.getByRole('searchbox', { name: 'Look up by username' }).fill(`${name}d`);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByText(`No entries start at “${name}d”.`)).toBeVisible();
  });

  await test.step('rebuild, then verify again', async () => {
    await indexActions(page).getByRole('button', { name: 'Rebuild' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Rebuild username?' });
    await confirm.getByRole('button', { name: 'Rebuild' }).click();
    await expect(confirm).toBeHidden();
    await expect(notifications(page)).toContainText(/Rebuilt username: [\d,]+ entries\./);
    await verify(page);
  });

  await test.step('users.role (not unique) verifies consistent too', async () => {
    await page.getByRole('table', { name: 'Secondary indexes' }).getByRole('link', { name: 'role', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'role on system.users' })).toBeVisible();
    await verify(page);
    await page.getByRole('table', { name: 'Secondary indexes' }).getByRole('link', { name: 'username', exact: true }).click();
  });

  await test.step('an entry links to its row in the table', async () => {
    await page.getByRole('searchbox', { name: 'Look up by username' }).fill(renamed);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('table', { name: 'Entries of username' }).getByRole('link', { name: id }).click();
    await expect(page).toHaveURL(new RegExp(`#/table/system\\.users/at/${id}$`));
    await expect(rowByKey(page, id)).toHaveAttribute('aria-selected', 'true');
  });
});
