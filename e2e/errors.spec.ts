/**
 * Errors reach the user as messages they can act on, where they can act on them, and never as a
 * stack trace: values the engine rejects (checks the form cannot make), refused deletes, unknown
 * tables, malformed calls.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { action, dialog, notifications, openTable, rowByKey, rpcFromPage, uniqueName } from './support/app';

/** Text that only a stack trace or a raw exception would put on screen. */
const STACK = /\n\s+at |\bat \S+ \(.*:\d+:\d+\)|\.(ts|js):\d+|node:internal|\b(Type|Reference|Zod)Error\b/;

async function expectNoStack(locator: Locator): Promise<void> {
  expect((await locator.innerText()).trim()).not.toMatch(STACK);
}

test('values only the engine can reject are shown on their fields', async ({ page }) => {
  await openTable(page, 'users');
  await action(page, 'New').click();
  const editor = dialog(page, 'New user');
  const name = uniqueName('err');
  await editor.getByLabel('Username').fill(name);

  await test.step('a region storage mode without a storage, picked from a list of the storages', async () => {
    const storage = editor.getByLabel('Storage ID');
    // Never a free-text id: the storages that exist, and none.
    await expect(storage.getByRole('option').first()).toHaveText('(none)');
    await expect(storage.getByRole('option', { name: 'local — Local filesystem' })).toHaveCount(1);
    await expect(editor.getByRole('textbox', { name: 'Storage ID' })).toHaveCount(0);
    await editor.getByLabel('Storage mode').selectOption('region');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(storage).toHaveAttribute('aria-invalid', 'true');
    await expect(storage).toHaveAccessibleDescription(/is required when storage_mode is region/);
    await expectNoStack(editor);
  });

  await test.step('a password for a user that does not sign in with one', async () => {
    await editor.getByLabel('Storage ID').selectOption('local');
    await editor.getByLabel('Auth type').selectOption('internal');
    await editor.getByLabel('Password', { exact: true }).fill('long enough password');
    await editor.getByRole('button', { name: 'Save' }).click();
    const password = editor.getByLabel('Password', { exact: true });
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/can only be set when auth_type is password \(not internal\)/);
    await expectNoStack(editor);
  });

  await test.step('fixed, it saves', async () => {
    await editor.getByLabel('Password', { exact: true }).fill('');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
    // No id was given: the engine generated one.
    await expect(notifications(page)).toContainText(/Created user u_[0-9a-z]+\./);
    await expect(page.getByRole('row', { name: new RegExp(` ${name} user `) })).toBeVisible();
  });
});

test('a refused delete explains why', async ({ page }) => {
  await openTable(page, 'users');
  await rowByKey(page, 'root').click();
  await action(page, 'Delete').click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete user root?' });
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm.getByRole('alert')).toContainText('the root user is the identity Kalam Studio acts as; it cannot be deleted');
  await expectNoStack(confirm);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(rowByKey(page, 'root')).toHaveAccessibleName(/ null$/); // deleted_at still null
});

test('an unknown table is reported, not crashed on', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/rpc/') && r.status() >= 400) failed.push(new URL(r.url()).pathname);
  });
  await page.goto('/#/table/nope.nothing');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(page.getByRole('main')).toContainText('No such table');
  // Only its description was asked for: no rows or count of a table that is not there.
  expect(failed).toEqual(['/rpc/tables/describe']);
  await expect(alert).toBeVisible();
  await expectNoStack(page.getByRole('main'));
  // The app around it still works.
  await openTable(page, 'users');
});

test('malformed or missing: typed errors without internals from the API too', async ({ page }) => {
  const res = await rpcFromPage(page, 'entities/create', { table: 'system.users', values: { username: 42 } });
  expect(res.status).toBe(400);
  const body = JSON.parse(res.body) as { json: { code: string; message: string; data?: unknown } };
  expect(body.json.code).toBe('VALIDATION');
  expect(res.body).not.toMatch(STACK);
  expect(res.body).not.toContain('"stack"');

  const missing = await rpcFromPage(page, 'rows/get', { table: 'system.users', key: 'u_nobody' });
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.body)).toMatchObject({ json: { code: 'NOT_FOUND' } });
  expect(missing.body).not.toMatch(STACK);
});
