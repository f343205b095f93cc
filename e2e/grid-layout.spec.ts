/**
 * The grid's layout and a tab's memory (issue 17): columns fit their content (a short name is never
 * cut by its type tag), resizers are dragged, double-clicked to fit and moved from the keyboard,
 * widths set by hand stay; a table tab left and come back to keeps its filters, sort, quick
 * search, go-to-key anchor, selected row and scroll position; an index entry opens its row.
 * axe in light and dark.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addFilter, grid, openTable, rowByKey, uniqueName, waitForRows } from './support/app';
import { expectAccessible } from './support/axe';
import { addRow, createNamespace, createTable, openDataTable } from './support/data';

const tabs = (page: Page) => page.getByRole('navigation', { name: 'Open tabs' });
const header = (page: Page, column: string) => grid(page).getByRole('columnheader', { name: column, exact: true });
const resizer = (page: Page, column: string) => grid(page).getByRole('separator', { name: `Width of ${column}` });
const width = async (locator: Locator) => Math.round((await locator.boundingBox())?.width ?? 0);
const valueNow = async (page: Page, column: string) => Number(await resizer(page, column).getAttribute('aria-valuenow'));

/** True when an element shows all of its text (no ellipsis): its content is no wider than its box. */
const showsAll = (locator: Locator) =>
  locator.evaluate((el) => {
    const box = el as unknown as { scrollWidth: number; clientWidth: number };
    return box.scrollWidth <= box.clientWidth;
  });
/** The grid's scroll position (read and set in the page). */
type Scroller = { scrollTop: number };
const scrollTopOf = (page: Page) => grid(page).evaluate((el) => (el as unknown as Scroller).scrollTop);
const scrollGrid = (page: Page, top: number) =>
  grid(page).evaluate((el, y) => {
    (el as unknown as Scroller).scrollTop = y;
  }, top);

let table: string;

test.beforeEach(async ({ page }) => {
  if (table) return;
  const ns = uniqueName('gl');
  await createNamespace(page, ns);
  table = await createTable(page, ns, {
    name: 'ledger',
    type: 'shared',
    columns: [
      { name: 'amount', type: 'integer' },
      { name: 'memo', type: 'text' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Amount: '42', Memo: 'a memo long enough to need a wider column than a default one' });
});

test('columns fit their content: a short name beside its type tag, the widest value of the first page', async ({ page }) => {
  await openDataTable(page, table);
  const amount = header(page, 'amount');
  await expect(amount).toContainText('integer');
  // "amount" is shown whole next to "integer" (it was "amou…" at the old default width).
  expect(await showsAll(amount.locator('.grid__header-name'))).toBe(true);
  expect(await showsAll(header(page, 'id').locator('.grid__header-name'))).toBe(true);
  const memo = grid(page).getByRole('gridcell', { name: /^a memo long enough/ });
  expect(await showsAll(memo)).toBe(true);
  await expectAccessible(page, 'a fitted grid (light)', '.view--browser');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'a fitted grid (dark)', '.view--browser');
});

test('resizers: the keyboard resizes (←→, Enter fits), a drag resizes, a double-click fits; a width set by hand stays', async ({ page }) => {
  await openDataTable(page, table);
  const memo = header(page, 'memo');
  const separator = resizer(page, 'memo');
  const fitted = await valueNow(page, 'memo');
  expect(Math.abs((await width(memo)) - fitted)).toBeLessThanOrEqual(1);

  await test.step('keyboard: the separator takes the focus; → widens by 16 px, Shift+← narrows by 64, Enter fits again', async () => {
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await expect(separator).toHaveAttribute('aria-valuenow', String(fitted + 16));
    expect(await width(memo)).toBeGreaterThanOrEqual(fitted + 15);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect(separator).toHaveAttribute('aria-valuenow', String(fitted - 48));
    // The grid did not take the arrows as row moves: the separator still has the focus.
    await expect(separator).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(separator).toHaveAttribute('aria-valuenow', String(fitted));
  });

  await test.step('a drag narrows the column; a double-click on its resizer fits it again', async () => {
    const box = await separator.boundingBox();
    if (!box) throw new Error('the resizer has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 100, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => valueNow(page, 'memo')).toBeLessThan(fitted - 80);
    await separator.dblclick();
    await expect(separator).toHaveAttribute('aria-valuenow', String(fitted));
  });

  await test.step('a width set by hand is kept for the table (a reload shows it); fitting forgets it', async () => {
    await separator.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect(separator).toHaveAttribute('aria-valuenow', String(fitted + 64));
    await page.reload();
    await waitForRows(page);
    await expect(resizer(page, 'memo')).toHaveAttribute('aria-valuenow', String(fitted + 64));
    await resizer(page, 'memo').dblclick();
    await page.reload();
    await waitForRows(page);
    await expect(resizer(page, 'memo')).toHaveAttribute('aria-valuenow', String(fitted));
  });
});

test('a table tab keeps its view: filters, sort, quick search, selected row and scroll position come back with it', async ({ page }) => {
  await openTable(page, 'audit_log');
  await addFilter(page, 1, 'action', 'contains', 'users.');
  await waitForRows(page);
  // The log opens newest first: a click on its key sorts it oldest first.
  await header(page, 'audit_id').getByRole('button').click();
  await expect(header(page, 'audit_id')).toHaveAttribute('aria-sort', 'ascending');
  await page.getByRole('searchbox', { name: 'Quick search' }).fill('users');
  await expect(page.getByLabel('Grid status')).toContainText('text contains “users”');
  const third = grid(page).getByRole('rowgroup').nth(1).getByRole('row').nth(2);
  const key = (await third.getByRole('gridcell').first().textContent())?.trim() ?? '';
  await third.click();
  await expect(page.getByRole('region', { name: `Fields of row ${key}` })).toBeVisible();
  await scrollGrid(page, 1200);
  await expect.poll(() => scrollTopOf(page)).toBe(1200);

  await openTable(page, 'users');
  await tabs(page).getByRole('link', { name: 'system.audit_log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'audit_log', exact: true })).toBeVisible();
  await waitForRows(page);
  await expect(page.getByRole('form', { name: 'Filters' }).getByLabel('Filter 1 value')).toHaveValue('users.');
  await expect(header(page, 'audit_id')).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('searchbox', { name: 'Quick search' })).toHaveValue('users');
  await expect(page.getByRole('region', { name: `Fields of row ${key}` })).toBeVisible();
  await expect.poll(() => scrollTopOf(page)).toBe(1200);
  await scrollGrid(page, 0);
  await expect(rowByKey(page, key)).toHaveAttribute('aria-selected', 'true');
});

test('a table tab keeps its go-to-key anchor', async ({ page }) => {
  await openDataTable(page, 'demo.products');
  await page.getByRole('searchbox', { name: 'Go to key' }).fill('2');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Go to key anchor' })).toContainText('From key “2”');
  await openTable(page, 'users');
  await tabs(page).getByRole('link', { name: 'demo.products' }).click();
  await waitForRows(page);
  await expect(page.getByRole('status', { name: 'Go to key anchor' })).toContainText('From key “2”');
  await expect(rowByKey(page, '2')).toHaveAttribute('aria-selected', 'true');
});

test("an index entry's menu opens its row in the table (go to key), from the mouse or the keyboard", async ({ page }) => {
  await page.goto('/#/indexes/system.users/role');
  await expect(page.getByRole('heading', { name: 'role on system.users' })).toBeVisible();
  const entries = page.getByRole('table', { name: 'Entries of role' });
  const entry = entries.getByRole('row').nth(2);
  const primaryKey = ((await entry.getByRole('cell').nth(1).textContent()) ?? '').trim();
  expect(primaryKey).not.toBe('');

  await entry.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: /^Actions of the entry / });
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expectAccessible(page, "an index entry's menu", '.context-menu');
  await menu.getByRole('menuitem', { name: `Open row ${primaryKey} in system.users` }).click();
  await expect(page).toHaveURL(new RegExp(`#/table/system\\.users/at/${primaryKey}$`));
  await expect(page.getByRole('status', { name: 'Go to key anchor' })).toContainText(`From key “${primaryKey}”`);
  await expect(rowByKey(page, primaryKey)).toHaveAttribute('aria-selected', 'true');

  await page.goBack();
  await expect(page.getByRole('heading', { name: 'role on system.users' })).toBeVisible();
  await entries.getByRole('row').nth(2).getByRole('link').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/table/system\\.users/at/${primaryKey}$`));
  await expect(rowByKey(page, primaryKey)).toHaveAttribute('aria-selected', 'true');

  // The tab keeps the address of that row: coming back to it shows the view as left, not the row afresh.
  await addFilter(page, 1, 'role', 'eq', 'dba');
  await waitForRows(page);
  await openTable(page, 'audit_log');
  await tabs(page).getByRole('link', { name: 'system.users' }).click();
  await waitForRows(page);
  await expect(page.getByRole('form', { name: 'Filters' }).getByLabel('Filter 1 value')).toHaveValue('dba');
  await expect(page.getByRole('status', { name: 'Go to key anchor' })).toHaveCount(0);
});
