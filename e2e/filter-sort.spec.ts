/** Filters (filter bar) and sorting (column headers), evaluated by the engine. */
import { expect, test } from './fixtures';
import { addFilter, bodyRows, columnValues, grid, gridStatus, openTable, rowByKey, waitForRows } from './support/app';

test('users: filter role = dba, clear, and a filter that matches nothing', async ({ page }) => {
  await openTable(page, 'users');
  await addFilter(page, 1, 'role', 'eq', 'dba');
  await expect(rowByKey(page, 'u_bob')).toHaveCount(0);
  await expect(rowByKey(page, 'u_alice')).toBeVisible();
  const roles = await columnValues(page, 'role');
  expect(roles.length).toBeGreaterThan(0);
  expect(new Set(roles)).toEqual(new Set(['dba']));
  await expect(page.getByText('role = dba ·')).toBeVisible();

  // Clearing the filter brings every row back.
  const bar = page.getByRole('form', { name: 'Filters' });
  await bar.getByRole('button', { name: 'Clear' }).click();
  await expect(rowByKey(page, 'u_bob')).toBeVisible();

  // A filter that matches nothing says so.
  await addFilter(page, 1, 'username', 'starts_with', 'zz-no-such-user');
  await expect(page.getByRole('status').filter({ hasText: 'No rows match these filters.' })).toBeVisible();
  await expect(bodyRows(page)).toHaveCount(0);
});

test('users: sort by role, descending, from the column header', async ({ page }) => {
  await openTable(page, 'users');
  const header = grid(page).getByRole('columnheader', { name: 'role' });
  const sort = header.getByRole('button', { name: 'role' });
  // Unsorted: key order.
  await expect(grid(page).getByRole('columnheader', { name: 'user_id' })).toHaveAttribute('aria-sort', 'ascending');

  await sort.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await sort.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByText('Sorted by role ▼')).toBeVisible();

  await expect
    .poll(async () => {
      const roles = await columnValues(page, 'role');
      return roles.length > 0 && roles.join() === [...roles].sort().reverse().join();
    })
    .toBe(true);
  const roles = await columnValues(page, 'role');
  // root (system), alice (dba), bob (user), carol (service), and whatever other tests created.
  expect(roles).toEqual(expect.arrayContaining(['user', 'system', 'service', 'dba']));
  expect(roles[0]).toBe('user');

  await page.getByRole('button', { name: 'Clear sort' }).click();
  await expect(header).not.toHaveAttribute('aria-sort', /./);
  await expect(bodyRows(page).first()).toHaveAccessibleName(/^root /);
});

test('audit_log: filter action contains a text, across the 100k rows', async ({ page }) => {
  await openTable(page, 'audit_log');
  // Oldest first (audit_log opens newest first).
  await page.getByRole('button', { name: 'Clear sort' }).click();
  await addFilter(page, 1, 'action', 'contains', 'namespaces.');
  await expect(page.getByText(/action contains namespaces\. · [\d,]+ rows examined/)).toBeVisible();
  await expect(gridStatus(page)).not.toHaveText(/^0 rows/);
  await expect.poll(async () => (await columnValues(page, 'action')).length).toBeGreaterThan(5);
  const actions = await columnValues(page, 'action');
  expect(actions.every((a) => a.includes('namespaces.'))).toBe(true);
  // The demo namespace's creation (audit_id 0) comes first, then the seeded updates.
  expect(actions[0]).toBe('namespaces.create');

  // A second filter narrows further (AND).
  await addFilter(page, 2, 'actor_role', 'eq', 'dba');
  await expect(page.getByText(/action contains namespaces\. and actor_role = dba/)).toBeVisible();
  await expect.poll(async () => (await columnValues(page, 'actor_role')).length).toBeGreaterThan(5);
  expect(new Set(await columnValues(page, 'actor_role'))).toEqual(new Set(['dba']));
});

test('users: OR groups, IN lists, any-case equality and ranges, evaluated by the engine', async ({ page }) => {
  await openTable(page, 'users');
  const bar = page.getByRole('form', { name: 'Filters' });
  await test.step('role is one of dba, service', async () => {
    await addFilter(page, 1, 'role', 'in', 'dba, service');
    await expect(rowByKey(page, 'u_bob')).toHaveCount(0);
    await expect(rowByKey(page, 'u_alice')).toBeVisible();
    await expect(rowByKey(page, 'u_carol')).toBeVisible();
    expect(new Set(await columnValues(page, 'role'))).toEqual(new Set(['dba', 'service']));
  });

  await test.step('(role is one of dba, service and username = CAROL in any case) or email between b and c', async () => {
    await bar.getByRole('button', { name: '+ Add filter' }).click();
    await bar.getByRole('combobox', { name: 'Filter 2 column' }).selectOption('username');
    await bar.getByRole('combobox', { name: 'Filter 2 operator' }).selectOption('ieq');
    await bar.getByLabel('Filter 2 value').fill('CAROL');
    await bar.getByRole('button', { name: '+ Add filter' }).click();
    await bar.getByRole('combobox', { name: 'Filter 3 joins the filters before it with' }).selectOption('or');
    await bar.getByRole('combobox', { name: 'Filter 3 column' }).selectOption('email');
    await bar.getByRole('combobox', { name: 'Filter 3 operator' }).selectOption('between');
    await bar.getByLabel('Filter 3 value').fill('b');
    await bar.getByLabel('Filter 3 upper bound').fill('bz');
    await bar.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByText('role is one of dba, service and username = CAROL (any case) or email between b and bz ·')).toBeVisible();
    await expect(rowByKey(page, 'u_carol')).toBeVisible();
    await expect(rowByKey(page, 'u_bob')).toBeVisible();
    await expect(rowByKey(page, 'u_alice')).toHaveCount(0);
    expect(new Set(await columnValues(page, 'username'))).toEqual(new Set(['bob', 'carol']));
  });

  await test.step('a bad list item is named, and nothing is sent', async () => {
    await bar.getByRole('combobox', { name: 'Filter 3 column' }).selectOption('failed_login_attempts');
    await bar.getByRole('combobox', { name: 'Filter 3 operator' }).selectOption('in');
    await bar.getByLabel('Filter 3 value').fill('0, many');
    await bar.getByRole('button', { name: 'Apply filters' }).click();
    await expect(bar.getByRole('alert')).toHaveText('Enter a number (“many”)');
    await expect(rowByKey(page, 'u_bob')).toBeVisible();
  });
});

test('audit_log: past the count cap the header says "≥ 100,000 rows"; Count rows counts them exactly', async ({ page }) => {
  await openTable(page, 'audit_log');
  const subtitle = page.getByRole('main').locator('.view__subtitle');
  await expect(subtitle).toContainText('≥ 100,000 rows');
  await subtitle.getByRole('button', { name: 'Count rows' }).click();
  // 100,017 seeded entries, and those the other tests' writes added.
  await expect(subtitle).toContainText(/(?<!≥ )1\d\d,\d{3} rows/);
  await expect(subtitle).not.toContainText('≥');
  await expect(subtitle.getByRole('button', { name: 'Count rows' })).toHaveCount(0);
});

test('quick search: / focuses it; the engine keeps rows whose visible text contains it, in any case, with the filters; Escape clears it', async ({ page }) => {
  await openTable(page, 'users');
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Quick search' });
  await expect(search).toBeFocused();
  await page.keyboard.type('EXAMPLE.COM');
  await expect(page.getByText('text contains “EXAMPLE.COM” ·')).toBeVisible();
  await expect(rowByKey(page, 'root')).toHaveCount(0);
  for (const key of ['u_alice', 'u_bob', 'u_carol']) await expect(rowByKey(page, key)).toBeVisible();
  expect((await columnValues(page, 'email')).every((e) => e.toLowerCase().includes('example.com'))).toBe(true);

  // Together with a filter: both must hold.
  await addFilter(page, 1, 'role', 'eq', 'user');
  await expect(page.getByText('role = user and text contains “EXAMPLE.COM” ·')).toBeVisible();
  await expect(rowByKey(page, 'u_alice')).toHaveCount(0);
  await expect(rowByKey(page, 'u_bob')).toBeVisible();
  await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Clear' }).click();

  await search.fill('zz-nothing-contains-this');
  await expect(page.getByText('No rows contain “zz-nothing-contains-this”.')).toBeVisible();
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(rowByKey(page, 'root')).toBeVisible();
});

test('saved filters: the applied filters saved under a name come back from the list after a reload; delete removes them', async ({ page }) => {
  await openTable(page, 'users');
  await addFilter(page, 1, 'role', 'eq', 'dba');
  const saved = page.getByRole('group', { name: 'Saved filters' });
  await saved.getByRole('button', { name: 'Save filters…' }).click();
  await saved.getByRole('textbox', { name: 'Name of the saved filters' }).fill('DBAs');
  await saved.getByRole('button', { name: 'Save', exact: true }).click();
  const list = saved.getByRole('combobox', { name: 'Apply saved filters' });
  await expect(list).toHaveValue('DBAs');

  const bar = page.getByRole('form', { name: 'Filters' });
  await bar.getByRole('button', { name: 'Clear' }).click();
  await expect(rowByKey(page, 'u_bob')).toBeVisible();
  await expect(list).toHaveValue('');
  await page.reload();
  await waitForRows(page);
  await list.selectOption('DBAs');
  await expect(rowByKey(page, 'u_bob')).toHaveCount(0);
  await expect(rowByKey(page, 'u_alice')).toBeVisible();
  await expect(bar.getByLabel('Filter 1 value')).toHaveValue('dba');

  await saved.getByRole('button', { name: 'Delete “DBAs”' }).click();
  await expect(list).toHaveCount(0);
  // The filters stay applied; only the saved set is gone.
  await expect(rowByKey(page, 'u_bob')).toHaveCount(0);
  await expect(saved.getByRole('button', { name: 'Save filters…' })).toBeVisible();
});
