/**
 * The trust model from a plain user's chair: viewed as bob (role user), the jobs, the index
 * inspector, schema changes, table jobs and restore are hidden or refused, with the engine's reason,
 * and the main process refuses what a page sends anyway. Then, as the admin, read-only is switched
 * on and off, and the audit log shows both toggles.
 */
import { expect, test } from './fixtures';
import { addFilter, columnValues, openIndexes, openTable, rpcFromPage, sidebar } from './support/app';
import { openDataTable, openNamespace, viewAs } from './support/data';

const SCHEMA_REFUSAL = /Viewed as bob \(user\): role "user" may not change the schema/;
const JOBS_REFUSAL = /Viewed as bob \(user\): role "user" may not (read|write) system\.jobs/;

test.afterEach(async ({ page }) => {
  await viewAs(page, 'Admin (everything)');
  await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false });
});

test('viewed as a plain user, every door the user may not use is shut, with the reason', async ({ page }) => {
  test.setTimeout(60_000);
  await viewAs(page, 'bob (user)');

  await test.step('no jobs: the header indicator is gone, the Jobs page says why', async () => {
    await expect(page.getByRole('banner').getByRole('link', { name: /jobs? (running|active)|No jobs running/ })).toHaveCount(0);
    await sidebar(page).getByRole('link', { name: 'Jobs', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'No access to jobs' })).toContainText(JOBS_REFUSAL);
    await expect(page.getByRole('group', { name: 'Start a job' })).toHaveCount(0);
  });

  await test.step('the index inspector lists no index of a table bob may not read', async () => {
    await openIndexes(page);
    await expect(page.getByText('No indexes of a table bob (user) may read.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'username', exact: true })).toHaveCount(0);
  });

  await test.step('schema changes and table jobs are off, saying why', async () => {
    await openNamespace(page, 'demo');
    const namespaceActions = page.getByRole('toolbar', { name: 'Namespace actions' });
    for (const name of ['New table', 'Drop namespace']) {
      await expect(namespaceActions.getByRole('button', { name })).toBeDisabled();
      await expect(namespaceActions.getByRole('button', { name })).toHaveAttribute('title', SCHEMA_REFUSAL);
    }
    await expect(page.getByRole('button', { name: 'New namespace' })).toBeDisabled();
    await openDataTable(page, 'demo.notes');
    const tableActions = page.getByRole('toolbar', { name: 'Table actions' });
    await expect(tableActions.getByRole('button', { name: 'Alter table' })).toHaveAttribute('title', SCHEMA_REFUSAL);
    await expect(tableActions.getByRole('button', { name: 'Drop table' })).toBeDisabled();
    for (const name of ['Flush to Parquet', 'Compact']) {
      await expect(page.getByRole('button', { name })).toBeDisabled();
      await expect(page.getByRole('button', { name })).toHaveAttribute('title', JOBS_REFUSAL);
    }
  });

  await test.step('the main process refuses a drop, a backup and a restore sent as bob', async () => {
    const as = { userId: 'u_bob' };
    for (const [path, input] of [
      ['ddl/dropTable', { table: 'demo.products', as }],
      ['jobs/start', { type: 'backup', folder: '/tmp/kalam-walk-backup', as }],
      ['jobs/start', { type: 'restore', folder: '/tmp/kalam-walk-backup', as }],
      ['entities/update', { table: 'system.users', key: 'u_bob', values: { role: 'dba' }, version: 'x', overwrite: true, as }],
    ] as const) {
      const res = await rpcFromPage(page, path, input);
      expect(JSON.parse(res.body), path).toMatchObject({ json: { code: 'ACCESS_DENIED' } });
    }
    const table = await rpcFromPage(page, 'tables/describe', { table: 'demo.products' });
    expect(table.status).toBe(200);
  });
});

test('the admin switches read-only on and off, and the audit log shows both toggles', async ({ page }) => {
  const toggle = page.getByRole('switch', { name: 'Read-only' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');

  await openTable(page, 'audit_log');
  await addFilter(page, 1, 'action', 'eq', 'engine.setReadOnly');
  await expect.poll(async () => (await columnValues(page, 'action')).length).toBeGreaterThanOrEqual(2);
  const afters = await columnValues(page, 'after');
  // Newest first: the last toggle (off), then the one before it (on).
  expect(afters.slice(0, 2)).toEqual(['{"read_only":false}', '{"read_only":true}']);
});
