/**
 * axe-core scans of every view (overview, a system table, the editor, the indexes, the conflict
 * dialog) in light and in dark mode: no serious or critical violations.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible } from './support/axe';
import { action, conflictDialog, dialog, goToKey, openIndexes, openTable, rowByKey, rpcFromPage, uniqueName } from './support/app';

/** A user of its own, made through the API (setup only: the views under test are the UI's). */
async function makeUser(page: Page): Promise<string> {
  const name = uniqueName('axe');
  const res = await rpcFromPage(page, 'entities/create', {
    table: 'system.users',
    values: {
      user_id: `u_${name}`,
      username: name,
      email: `${name}@example.com`,
      role: 'user',
      auth_type: 'password',
      storage_mode: 'table',
      storage_id: null,
    },
  });
  expect(res.status).toBe(200);
  return `u_${name}`;
}

/** Someone else saves the user meanwhile (same procedure the app uses, outside this page's UI). */
async function changeElsewhere(page: Page, key: string): Promise<void> {
  const got = await rpcFromPage(page, 'rows/get', { table: 'system.users', key });
  const stored = JSON.parse(got.body) as { json: { version: string; row: { values: Record<string, unknown> } } };
  const {
    user_id: _id,
    password_hash: _hash,
    created_at: _c,
    updated_at: _u,
    deleted_at: _d,
    failed_login_attempts: _f,
    locked_until: _l,
    last_login_at: _ll,
    ...values
  } = stored.json.row.values;
  const res = await rpcFromPage(page, 'entities/update', {
    table: 'system.users',
    key,
    version: stored.json.version,
    values: { ...values, email: 'someone.else@example.com' },
  });
  expect(res.status, res.body).toBe(200);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test(`every view passes axe (${scheme})`, async ({ page }) => {
      // Five full axe runs (a few seconds each on 2 cores).
      test.setTimeout(90_000);
      const key = await makeUser(page);

      await test.step('overview', async () => {
        await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
        await expectAccessible(page, 'overview');
      });

      await test.step('system table with a selected row', async () => {
        await openTable(page, 'users');
        await goToKey(page, key);
        await expect(rowByKey(page, key)).toHaveAttribute('aria-selected', 'true');
        await expectAccessible(page, 'users table');
      });

      await test.step('editor dialog, with a field error', async () => {
        await action(page, 'Edit').click();
        const editor = dialog(page, `Edit user ${key}`);
        await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
        await editor.getByLabel('Email').fill('not-an-email');
        await editor.getByRole('button', { name: 'Save' }).click();
        await expect(editor.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
        await expectAccessible(page, 'editor dialog', 'dialog[open]');
      });

      await test.step('conflict dialog', async () => {
        const editor = dialog(page, `Edit user ${key}`);
        await editor.getByLabel('Email').fill('mine@example.com');
        await changeElsewhere(page, key);
        await expect(editor.getByText('was changed by someone else')).toBeVisible();
        await editor.getByRole('button', { name: 'Save' }).click();
        await expect(conflictDialog(page).getByRole('table', { name: 'Fields that differ' })).toBeVisible();
        await expectAccessible(page, 'conflict dialog', 'dialog[open]');
        await conflictDialog(page).getByRole('button', { name: 'Reload' }).click();
        await editor.getByRole('button', { name: 'Cancel' }).click();
        await expect(editor).toBeHidden();
      });

      await test.step('indexes, with a verify report', async () => {
        await openIndexes(page);
        await page.getByRole('link', { name: 'username', exact: true }).click();
        await page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Verify' }).click();
        await expect(page.getByText('Index is consistent')).toBeVisible();
        await expectAccessible(page, 'indexes');
      });
    });
  });
}
