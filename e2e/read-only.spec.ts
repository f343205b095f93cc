/**
 * Read-only mode: the header switch turns every write control off, and the main process refuses
 * writes itself, whatever a page sends.
 */
import { expect, test } from './fixtures';
import { action, notifications, openIndexes, openTable, rpcFromPage, uniqueName } from './support/app';

test.afterEach(async ({ page }) => {
  // Never leave the shared server read-only for the next test, whatever happened here.
  await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false });
});

test('the switch disables writes in the UI and the engine refuses them', async ({ page }) => {
  const toggle = page.getByRole('switch', { name: 'Read-only' });
  await openTable(page, 'users');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(action(page, 'New')).toBeEnabled();

  await test.step('turn read-only on', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(notifications(page)).toContainText('Read-only mode is on');
    await expect(page.getByRole('group', { name: 'Engine status' }).getByText('Read-only', { exact: true })).toBeVisible();
    await page.getByRole('row', { name: /^u_alice / }).click();
    for (const name of ['New', 'Edit', 'Clone', 'Set password', 'Delete']) {
      await expect(action(page, name)).toBeDisabled();
      await expect(action(page, name)).toHaveAttribute('title', 'Read-only mode is on');
    }
    await openIndexes(page);
    await page.getByRole('link', { name: 'username', exact: true }).click();
    await expect(page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Rebuild' })).toBeDisabled();
    // Verify only reads: still allowed.
    await expect(page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Verify' })).toBeEnabled();
  });

  await test.step('the main process refuses a direct write from the page', async () => {
    const name = uniqueName('ro');
    const res = await rpcFromPage(page, 'entities/create', {
      table: 'system.users',
      values: { user_id: `u_${name}`, username: name, email: null, role: 'user', auth_type: 'internal', storage_mode: 'table', storage_id: null },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ json: { defined: true, code: 'READ_ONLY', status: 403 } });
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
    // Updates and deletes too.
    const del = await rpcFromPage(page, 'entities/delete', { table: 'system.users', key: 'u_bob' });
    expect(del.status).toBe(403);
    expect(JSON.parse(del.body)).toMatchObject({ json: { code: 'READ_ONLY' } });
    // Nothing was written.
    const get = await rpcFromPage(page, 'rows/get', { table: 'system.users', key: `u_${name}` });
    expect(get.status).toBe(404);
    const bob = await rpcFromPage(page, 'rows/get', { table: 'system.users', key: 'u_bob' });
    expect(bob.status).toBe(200);
    expect(bob.body).toContain('"deleted_at":null');
  });

  await test.step('turn read-only off', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect(notifications(page)).toContainText('Read-only mode is off.');
    await expect(page.getByRole('toolbar', { name: 'Index actions' }).getByRole('button', { name: 'Rebuild' })).toBeEnabled();
    await openTable(page, 'users');
    await expect(action(page, 'New')).toBeEnabled();
  });
});

test('read-only mode reaches every open page through the live events', async ({ page, openPage }) => {
  const other = await openPage();
  await openTable(other, 'users');
  await expect(action(other, 'New')).toBeEnabled();
  await page.getByRole('switch', { name: 'Read-only' }).click();
  await expect(other.getByRole('switch', { name: 'Read-only' })).toHaveAttribute('aria-checked', 'true');
  await expect(action(other, 'New')).toBeDisabled();
  await page.getByRole('switch', { name: 'Read-only' }).click();
  await expect(action(other, 'New')).toBeEnabled();
});
