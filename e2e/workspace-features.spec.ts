/**
 * Working faster in the workspace (issue 17): the command palette, the keyboard shortcuts and
 * their `?` overlay, focus in the grid on opening a table, toasts that keep out of the way and
 * leave on Escape, the view-as banner, the row details panel's width, tabs. axe in light and dark.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';
import { action, addFilter, dialog, grid, gridStatus, notifications, openTable, rowByKey, sidebar, uniqueName, waitForRows } from './support/app';
import { expectAccessible } from './support/axe';
import { addRow, createNamespace, createTable, editCell, openDataTable, pendingChanges, rowWithCell, viewAs } from './support/data';

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

function palette(page: Page) {
  return page.getByRole('dialog', { name: 'Command palette' });
}

async function openPalette(page: Page) {
  await page.keyboard.press(`${MOD}+k`);
  await expect(palette(page)).toBeVisible();
  return palette(page).getByRole('combobox', { name: 'Search tables, pages, jobs and commands' });
}

test('the command palette: fuzzy search over tables, pages, jobs and commands; Enter goes there', async ({ page }) => {
  await openTable(page, 'users');
  const box = await openPalette(page);
  await expect(box).toBeFocused();
  await box.fill('prodcts');
  await expect(palette(page).getByRole('option').first()).toContainText('demo.products');
  await expect(palette(page).getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(palette(page)).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'demo.products' })).toBeVisible();
  await waitForRows(page);
  // The table opened with the keyboard in its grid.
  await expect(grid(page)).toBeFocused();

  // A command: "Open backup…" opens the Jobs page's restore dialog.
  await openPalette(page);
  await palette(page).getByRole('combobox').fill('open backup');
  await expect(palette(page).getByRole('option').first()).toContainText('Open backup…');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  const restore = page.getByRole('dialog', { name: 'Restore a backup' });
  await expect(restore).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(restore).toBeHidden();

  // Arrows move the choice; a page; nothing found says so; the header's button opens it too.
  await page
    .getByRole('banner')
    .getByRole('button', { name: /Go to…/ })
    .click();
  await palette(page).getByRole('combobox').fill('zzzzqqq');
  await expect(palette(page).getByRole('status')).toHaveText('Nothing matches “zzzzqqq”.');
  await palette(page).getByRole('combobox').fill('indexes');
  await expect(
    palette(page)
      .getByRole('option', { name: /Indexes/ })
      .first(),
  ).toBeVisible();
  await expectAccessible(page, 'the command palette (light)', 'dialog[open]');
  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
});

test('the command palette in dark mode is accessible, and runs "Flush <table>"', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openTable(page, 'users');
  await openPalette(page);
  await palette(page).getByRole('combobox').fill('flush demo.products');
  // The command, not a recent job of the same label (equal matches keep the items' order).
  await expect(palette(page).getByRole('option').first()).toContainText(/^Command\s*Flush demo\.products$/);
  await expectAccessible(page, 'the command palette (dark)', 'dialog[open]');
  await page.keyboard.press('Enter');
  await expect(notifications(page)).toContainText(/Flush demo\.products: queued|Flush demo\.products/);
});

test('shortcuts: ? lists them; Ctrl/Cmd+F adds a filter; Delete asks before deleting; Ctrl/Cmd+Enter applies staged edits; F5 refreshes', async ({ page }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('keys');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, { name: 'notes', type: 'shared', columns: [{ name: 'title', nullable: false }] });
  await addRow(page, table, { 'ID (primary key)': '1', Title: 'alpha' });
  await addRow(page, table, { 'ID (primary key)': '2', Title: 'beta' });

  // ? (outside a text field) shows every shortcut.
  await grid(page).focus();
  await page.keyboard.press('?');
  const help = dialog(page, 'Keyboard shortcuts');
  await expect(help).toBeVisible();
  await expect(help.getByRole('row', { name: /Delete/ }).first()).toBeVisible();
  await expect(help).toContainText('Command palette');
  await expectAccessible(page, 'the shortcuts overlay', 'dialog[open]');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Ctrl/Cmd+F: a new filter, with the keyboard in it.
  await grid(page).focus();
  await page.keyboard.press(`${MOD}+f`);
  await expect(page.getByRole('combobox', { name: 'Filter 1 column' })).toBeFocused();
  await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Remove filter 1' }).click();

  // Ctrl/Cmd+Enter applies staged edits.
  await editCell(page, 'beta', 'title', 'beta2');
  await expect(pendingChanges(page).getByRole('status')).toHaveText('1 staged change in 1 row');
  await grid(page).focus();
  await page.keyboard.press(`${MOD}+Enter`);
  await expect(notifications(page)).toContainText('Applied changes to 1 row.');
  await expect(pendingChanges(page)).toBeHidden();

  // Delete: the selected row, after a confirmation.
  await rowWithCell(page, 'alpha').click();
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog').or(page.getByRole('dialog', { name: /Delete/ }));
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: /^Delete/ }).click();
  await expect(confirm).toBeHidden();
  await expect(rowWithCell(page, 'alpha')).toHaveCount(0);

  // F5 refreshes the view, not the page: the filter typed but not applied stays.
  await addFilter(page, 1, 'title', 'contains', 'beta');
  await page.getByRole('form', { name: 'Filters' }).getByLabel('Filter 1 value').fill('unapplied');
  await grid(page).focus();
  await page.keyboard.press('F5');
  await expect(page.getByRole('form', { name: 'Filters' }).getByLabel('Filter 1 value')).toHaveValue('unapplied');
  await expect(rowWithCell(page, 'beta2')).toBeVisible();
});

test('toasts keep clear of the row details and status bar, and Escape dismisses the newest', async ({ page }) => {
  await openTable(page, 'users');
  await rowByKey(page, 'u_alice').click();
  await action(page, 'Edit').click();
  const editor = dialog(page, 'Edit user u_alice');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  const toast = notifications(page)
    .getByText(/Saved user u_alice|Saved/)
    .first();
  await expect(toast).toBeVisible();
  const toastBox = (await notifications(page).locator('.toast').first().boundingBox())!;
  const details = (await page.getByRole('complementary', { name: 'Row u_alice' }).boundingBox())!;
  const status = (await page
    .getByRole('status')
    .filter({ hasText: /rows? loaded/ })
    .boundingBox())!;
  expect(toastBox.x + toastBox.width).toBeLessThanOrEqual(details.x);
  expect(toastBox.y + toastBox.height).toBeLessThanOrEqual(status.y);
  await grid(page).focus();
  await page.keyboard.press('Escape');
  await expect(notifications(page).locator('.toast')).toHaveCount(0);
});

test('view as: a banner across the workspace says whose eyes these are, with the way back', async ({ page }) => {
  await openTable(page, 'users');
  await viewAs(page, 'bob (user)');
  const banner = page.getByRole('region', { name: 'Viewing as' });
  await expect(banner).toHaveText(/Viewing as bob \(user\): you see what bob sees/);
  await expectAccessible(page, 'the view-as banner');
  await banner.getByRole('button', { name: 'Back to admin' }).click();
  await expect(banner).toBeHidden();
});

test('row details: hidden without a selection, resized from the keyboard, the width remembered', async ({ page }) => {
  await openTable(page, 'users');
  await expect(page.getByRole('complementary')).toHaveCount(0);
  await rowByKey(page, 'u_alice').click();
  const details = page.getByRole('complementary', { name: 'Row u_alice' });
  await expect(details).toBeVisible();
  const resizer = details.getByRole('separator', { name: 'Resize row details' });
  const before = Number(await resizer.getAttribute('aria-valuenow'));
  await resizer.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 48));
  await openTable(page, 'namespaces');
  await rowByKey(page, 'demo').click();
  await expect(page.getByRole('complementary').getByRole('separator')).toHaveAttribute('aria-valuenow', String(before + 48));
  await page.reload();
  await waitForRows(page);
  await rowByKey(page, 'demo').click();
  await expect(page.getByRole('complementary').getByRole('separator')).toHaveAttribute('aria-valuenow', String(before + 48));
  await expect(gridStatus(page)).toBeVisible();
});

/** The text on the clipboard (the context was granted clipboard access). */
async function clipboardText(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}

test('context menus on cells: copy value and row (JSON, CSV, INSERT), set NULL, filter by or exclude a value, open the referenced user', async ({ page }) => {
  test.setTimeout(60_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const ns = uniqueName('menu');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'orders',
    type: 'shared',
    columns: [
      { name: 'customer', nullable: false },
      { name: 'amount', type: 'integer' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Customer: "Ada O'Hara", Amount: '10' });
  await addRow(page, table, { 'ID (primary key)': '2', Customer: 'Bob', Amount: '20' });

  const customer = await grid(page).getByRole('columnheader', { name: 'customer', exact: true }).getAttribute('aria-colindex');
  const adaCell = rowWithCell(page, "Ada O'Hara").locator(`[aria-colindex="${customer}"]`);
  const menu = page.getByRole('menu', { name: 'Actions of customer in row 1' });

  await adaCell.click({ button: 'right' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expectAccessible(page, 'a cell context menu');
  await menu.getByRole('menuitem', { name: 'Copy value' }).click();
  await expect(menu).toBeHidden();
  await expect.poll(() => clipboardText(page)).toBe("Ada O'Hara");

  await adaCell.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy row as INSERT' }).click();
  await expect.poll(() => clipboardText(page)).toBe(`INSERT INTO ${table} (id, customer, amount) VALUES (1, 'Ada O''Hara', 10);`);
  await adaCell.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy row as CSV' }).click();
  await expect.poll(() => clipboardText(page)).toBe(`id,customer,amount,_seq\r\n1,Ada O'Hara,10,${await cellText(page, "Ada O'Hara", '_seq')}\r\n`);
  await adaCell.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy row as JSON' }).click();
  await expect.poll(async () => JSON.parse(await clipboardText(page)) as unknown).toMatchObject([{ id: 1, customer: "Ada O'Hara", amount: 10 }]);

  // From the keyboard: Shift+F10 on the selected row; Escape closes and gives the grid the keyboard back.
  await rowWithCell(page, 'Bob').click();
  await grid(page).focus();
  await page.keyboard.press('Shift+F10');
  const bobMenu = page.getByRole('menu', { name: /in row 2$/ });
  await expect(bobMenu).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(bobMenu.getByRole('menuitem', { name: 'Copy row as TSV' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(bobMenu).toBeHidden();
  await expect(grid(page)).toBeFocused();

  // Set NULL stages a null for a nullable cell; the key column cannot be.
  const amount = await grid(page).getByRole('columnheader', { name: 'amount', exact: true }).getAttribute('aria-colindex');
  await rowWithCell(page, 'Bob').locator(`[aria-colindex="${amount}"]`).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Set NULL (staged)' }).click();
  await expect(pendingChanges(page).getByRole('status')).toHaveText('1 staged change in 1 row');
  await pendingChanges(page).getByRole('button', { name: 'Discard all' }).click();
  await adaCell.click({ button: 'right' });
  await expect(menu.getByRole('menuitem', { name: 'Set NULL (staged)' })).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Escape');

  // Filter by this value, then exclude it.
  await adaCell.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Filter by this value' }).click();
  await expect(page.getByText(`customer = Ada O'Hara`)).toBeVisible();
  await expect(rowWithCell(page, 'Bob')).toHaveCount(0);
  await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Clear' }).click();
  await adaCell.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Exclude this value' }).click();
  await expect(rowWithCell(page, 'Bob')).toBeVisible();
  await expect(rowWithCell(page, "Ada O'Hara")).toHaveCount(0);

  // A user table's owner opens that user.
  await page.goto('/#/table/demo.notes');
  await waitForRows(page);
  const user = await grid(page).getByRole('columnheader', { name: '_user', exact: true }).getAttribute('aria-colindex');
  await rowWithCell(page, 'Groceries').locator(`[aria-colindex="${user}"]`).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Open u_bob in system.users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'users' })).toBeVisible();
  await expect(rowByKey(page, 'u_bob')).toHaveAttribute('aria-selected', 'true');
});

async function cellText(page: Page, rowText: string, column: string): Promise<string> {
  const index = await grid(page).getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-colindex');
  return ((await rowWithCell(page, rowText).locator(`[aria-colindex="${index}"]`).textContent()) ?? '').trim();
}

test('tabs: tables and pages open side by side; middle click, Ctrl/Cmd+W and × close them; a restart brings them back', async ({ page, server }) => {
  const tabs = (p: Page) => p.getByRole('navigation', { name: 'Open tabs' });
  const heading = (p: Page, name: string) => p.getByRole('heading', { level: 1, name, exact: true });
  await openTable(page, 'users');
  await openDataTable(page, 'demo.products');
  await sidebar(page).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(heading(page, 'Jobs')).toBeVisible();
  await expect(tabs(page).getByRole('link')).toHaveText(['Overview', 'system.users', 'demo.products', 'Jobs']);
  await expect(tabs(page).getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');

  await test.step('a place already open goes to its tab, not a second one', async () => {
    await tabs(page).getByRole('link', { name: 'demo.products' }).click();
    await expect(heading(page, 'demo.products')).toBeVisible();
    await waitForRows(page);
    await openTable(page, 'users');
    await expect(tabs(page).getByRole('link')).toHaveText(['Overview', 'system.users', 'demo.products', 'Jobs']);
    await expect(tabs(page).getByRole('link', { name: 'system.users' })).toHaveAttribute('aria-current', 'page');
    await expectAccessible(page, 'the open tabs', '.tab-strip');
  });

  await test.step('a middle click closes that tab; the current one stays', async () => {
    await tabs(page).getByRole('link', { name: 'Overview' }).click({ button: 'middle' });
    await expect(tabs(page).getByRole('link')).toHaveText(['system.users', 'demo.products', 'Jobs']);
    await expect(heading(page, 'users')).toBeVisible();
    expect(page.context().pages()).toHaveLength(1);
  });

  await test.step('Ctrl/Cmd+W closes the current tab and shows the next; × closes one too', async () => {
    await page.keyboard.press(`${MOD}+w`);
    await expect(tabs(page).getByRole('link')).toHaveText(['demo.products', 'Jobs']);
    await expect(heading(page, 'demo.products')).toBeVisible();
    await tabs(page).getByRole('button', { name: 'Close Jobs' }).click();
    await expect(tabs(page).getByRole('link')).toHaveText(['demo.products']);
    await expect(heading(page, 'demo.products')).toBeVisible();
    await openTable(page, 'users');
    await expect(tabs(page).getByRole('link')).toHaveText(['demo.products', 'system.users']);
  });

  await test.step('a restart on the same data directory opens the same tabs, on the current one', async () => {
    const again = await page.context().newPage();
    await signIn(again, server);
    await expect(tabs(again).getByRole('link')).toHaveText(['demo.products', 'system.users']);
    await expect(heading(again, 'users')).toBeVisible();
    await expect(tabs(again).getByRole('link', { name: 'system.users' })).toHaveAttribute('aria-current', 'page');
    await again.close();
  });
});

test('the header fits a 1024 px window: every control in view, the data directory named whole with its full path in a title', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openTable(page, 'users');
  const header = page.getByRole('banner');
  const controls = [
    header.getByRole('button', { name: /Go to…/ }),
    header.getByRole('link', { name: /jobs? (running|active)/i }),
    header.getByRole('combobox', { name: /^View as/ }),
    header.getByRole('switch', { name: /Read-only/ }),
    header.getByRole('combobox', { name: 'Theme' }),
  ];
  for (const control of controls) {
    await expect(control).toBeVisible();
    const box = await control.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
  }
  expect(await page.evaluate<boolean>("(h => h.scrollWidth <= h.clientWidth)(document.querySelector('header'))")).toBe(true);
  // The engine status keeps room to be read, left of the controls: the data directory's name, shown whole, its full path in a title.
  const dataDir = header.getByRole('group', { name: 'Engine status' }).locator('a[href="#/start"]');
  const name = await dataDir.locator('code').innerText();
  expect(name.length).toBeGreaterThan(0);
  await expect(dataDir).toHaveAttribute('title', new RegExp(`^/.*/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  const shown = await dataDir.evaluate((el) => {
    const box = el as unknown as { scrollWidth: number; clientWidth: number };
    return box.clientWidth > 0 && box.scrollWidth <= box.clientWidth;
  });
  expect(shown).toBe(true);
  const live = (await header.getByRole('status').filter({ hasText: 'Live' }).boundingBox())!;
  const goTo = (await controls[0]!.boundingBox())!;
  expect(live.x + live.width).toBeLessThanOrEqual(goTo.x);
  await expect(header.getByRole('combobox', { name: /^View as/ })).toHaveAttribute('title', 'admin');
});

test('the README lists every shortcut the ? overlay lists', async ({ page }) => {
  await openTable(page, 'users');
  await page.keyboard.press('?');
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const keys = await overlay.getByRole('row').locator('td:first-child').allInnerTexts();
  expect(keys.length).toBeGreaterThan(10);
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Keyboard shortcuts'));
  const firstColumn = section
    .slice(0, section.indexOf('\n\n', section.indexOf('| keys |')))
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.split('|')[1]!.trim())
    .join('\n');
  // The app writes its own platform's modifier; the README both.
  for (const k of keys)
    expect(firstColumn, k).toContain(
      k
        .trim()
        .replace(/^(Ctrl|⌘)\+/, 'Ctrl/Cmd+')
        .replace(/^([?/])$/, '`$1`'),
    );
});
