/** Every system table opens from the sidebar and shows its columns; users holds root and the demo users. */
import { expect, test } from './fixtures';
import { bodyRows, grid, openTable, rowByKey, sidebar } from './support/app';

/** The system tables, with (some of) the columns each must show, key columns first. */
const TABLES: Record<string, readonly string[]> = {
  users: ['user_id', 'username', 'role', 'email', 'auth_type', 'deleted_at'],
  namespaces: ['namespace_id', 'options', 'comment', 'created_at'],
  tables: ['namespace_id', 'table_name'],
  storages: ['storage_id'],
  jobs: ['job_id', 'job_type', 'status'],
  live_queries: ['user_id', 'connection_id', 'subscription_id', 'status'],
  audit_log: ['audit_id', 'actor_user_id', 'action', 'target', 'at'],
  manifest: ['namespace_id', 'table_name', 'user_id', 'batch'],
  schedules: ['schedule_id', 'kind', 'enabled', 'interval_seconds', 'cron'],
};

test('each system table opens from the sidebar with its columns', async ({ page }) => {
  const links = sidebar(page).getByRole('region', { name: 'System tables' }).getByRole('link');
  await expect(links).toHaveCount(Object.keys(TABLES).length);
  const names = (await links.allTextContents()).map((t) => t.replace('(read-only)', '').trim());
  expect(names.sort()).toEqual(Object.keys(TABLES).sort());

  for (const [table, columns] of Object.entries(TABLES)) {
    await test.step(`system.${table}`, async () => {
      await openTable(page, table);
      await expect(page).toHaveURL(new RegExp(`#/table/system\\.${table}$`));
      await expect(sidebar(page).getByRole('link', { name: new RegExp(`^${table}`) })).toHaveAttribute('aria-current', 'page');
      await expect(grid(page)).toHaveAttribute('aria-label', `Rows of system.${table}`);
      for (const column of columns) {
        await expect(grid(page).getByRole('columnheader', { name: column, exact: true })).toBeVisible();
      }
      // The (first) key column comes first.
      await expect(grid(page).getByRole('columnheader').first()).toHaveAccessibleName(columns[0] ?? '');
      if (table === 'jobs') {
        // Nothing has run yet: an empty table says so.
        await expect(page.getByRole('status').filter({ hasText: 'This table is empty.' })).toBeVisible();
        await expect(bodyRows(page)).toHaveCount(0);
      }
    });
  }
});

test('users shows root and the demo users, with an exact row count', async ({ page }) => {
  await openTable(page, 'users');
  for (const [key, username, role] of [
    ['root', 'root', 'system'],
    ['u_alice', 'alice', 'dba'],
    ['u_bob', 'bob', 'user'],
    ['u_carol', 'carol', 'service'],
  ] as const) {
    await expect(rowByKey(page, key)).toHaveAccessibleName(new RegExp(`^${key} ${username} ${role} `));
  }
  // A small table is counted exactly: aria-rowcount is the rows plus the header row.
  const rows = await bodyRows(page).count();
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(rows + 1));
  await expect(page.getByRole('main').getByText(new RegExp(`^${rows} rows$`))).toBeVisible();
});
