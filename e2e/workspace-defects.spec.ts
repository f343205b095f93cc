/**
 * The daily workspace's defects (issue 17), each walked through the steps that showed it: the
 * go-to-key anchor and filters, the inline edit error, Escape in the edit dialog, reloading with a
 * dirty form, tables made by the CLI, a missing key, and rough text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  action,
  addFilter,
  bodyRows,
  dialog,
  goToKey,
  grid,
  gridStatus,
  openTable,
  renderedIds,
  rowByKey,
  rpcFromPage,
  uniqueName,
  waitForRows,
} from './support/app';
import { expectAccessible } from './support/axe';
import { addRow, createNamespace, createTable, namespaceTree, rowActions, rowWithCell, tablesOf } from './support/data';
import { runCli } from './support/own-server';
import { ENV } from './support/server-env';

/** The anchor beside the go-to-key box ("From key “300”…"), present while the rows start at a key. */
function anchor(page: Page): Locator {
  return page.getByRole('status', { name: 'Go to key anchor' });
}

/** A shared table `<ns>.orders` (id, customer, amount) with rows 1 (Ada Lovelace) and 2 (Bob). */
async function ordersTable(page: Page): Promise<string> {
  const ns = uniqueName('ws');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'orders',
    type: 'shared',
    columns: [
      { name: 'customer', nullable: false },
      { name: 'amount', type: 'integer' },
    ],
  });
  await addRow(page, table, { 'ID (primary key)': '1', Customer: 'Ada Lovelace', Amount: '10' });
  await addRow(page, table, { 'ID (primary key)': '2', Customer: 'Bob', Amount: '20' });
  return table;
}

test('1 · filters and sorts apply to the whole table: a created row shows its anchor, a filter clears it', async ({ page }) => {
  test.setTimeout(60_000);
  const table = await ordersTable(page);

  // Creating row 300 goes to it, and says so; the go-to box is not filled behind the user's back.
  await addRow(page, table, { 'ID (primary key)': '300', Customer: 'Zed', Amount: '30' });
  await expect(anchor(page)).toContainText('From key “300”, the row you created');
  await expect(page.getByRole('searchbox', { name: 'Go to key' })).toHaveValue('');
  await expect(rowWithCell(page, 'Zed')).toBeVisible();

  // A filter searches the whole table: row 1, before the anchor, matches; the anchor is gone.
  await addFilter(page, 1, 'customer', 'contains', 'Ada');
  await expect(rowWithCell(page, 'Ada Lovelace')).toBeVisible();
  await expect(anchor(page)).toHaveCount(0);
  await expect(page.getByText('No rows match these filters.')).toHaveCount(0);
  await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Clear' }).click();
  await waitForRows(page);

  // Descending by key, go to 2, then filter for a row above the anchor: found, anchor cleared.
  await grid(page).getByRole('columnheader', { name: /^id/ }).getByRole('button').click();
  await expect(grid(page).getByRole('columnheader', { name: /^id/ })).toHaveAttribute('aria-sort', 'descending');
  await goToKey(page, '2');
  await expect(anchor(page)).toContainText('From key “2”');
  await addFilter(page, 1, 'customer', 'eq', 'Zed');
  await expect(rowWithCell(page, 'Zed')).toBeVisible();
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(anchor(page)).toHaveCount(0);

  // A new sort also starts from the top of the table.
  await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Clear' }).click();
  await goToKey(page, '2');
  await expect(anchor(page)).toBeVisible();
  await grid(page).getByRole('columnheader', { name: /^id/ }).getByRole('button').click();
  await expect(anchor(page)).toHaveCount(0);
  await expect(rowWithCell(page, 'Zed')).toBeVisible();
  await expectAccessible(page, 'a table with its go-to-key anchor');
});

test('6 · going to a missing key says so and shows the next row', async ({ page }) => {
  const table = await ordersTable(page);
  await addRow(page, table, { 'ID (primary key)': '7', Customer: 'Grace' });
  await goToKey(page, '3');
  await expect(anchor(page)).toHaveText(/No row with key “3”; showing the next one/);
  await expect(rowWithCell(page, 'Grace')).toHaveAttribute('aria-selected', 'true');
  // An exact key says where the rows start, not that it missed.
  await goToKey(page, '2');
  await expect(anchor(page)).toHaveText(/^From key “2”/);
  await expect(rowWithCell(page, 'Bob')).toHaveAttribute('aria-selected', 'true');
  // Past the last key: nothing to show, and the grid says so.
  await goToKey(page, '9');
  await expect(page.getByText('No rows at or after “9”.')).toBeVisible();
});

test('2 · the inline edit error is shown whole, outside the row, and announced', async ({ page }) => {
  await ordersTable(page);
  const amount = await grid(page).getByRole('columnheader', { name: 'amount', exact: true }).getAttribute('aria-colindex');
  await rowWithCell(page, 'Bob').locator(`[aria-colindex="${amount}"]`).dblclick();
  const input = grid(page).getByRole('textbox', { name: 'Edit amount of row 2' });
  await input.fill('zzz');
  await input.press('Enter');
  const error = page.getByRole('alert').filter({ hasText: 'must be a whole number' });
  await expect(error).toBeVisible();
  await expect(input).toHaveAccessibleDescription('must be a whole number');
  // Not clipped by the row: the point at the middle of the message hits the message itself.
  const box = await error.boundingBox();
  if (!box) throw new Error('no box for the error');
  const hit = await page.evaluate<boolean, { x: number; y: number }>(
    ({ x, y }) => {
      const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } }).document;
      return doc.elementFromPoint(x, y)?.closest('.cell-editor__error') != null;
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(hit).toBe(true);
  expect(box.height).toBeGreaterThan(10);
  await expectAccessible(page, 'the cell editor with its error');
  await input.press('Escape');
  await expect(error).toHaveCount(0);
});

test('3 · Escape in a dirty edit dialog always asks; afterwards Edit and Enter open it again', async ({ page }) => {
  await openTable(page, 'users');
  await rowByKey(page, 'u_alice').click();
  await action(page, 'Edit').click();
  const editor = dialog(page, 'Edit user u_alice');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await editor.getByLabel('Email').fill('alice@changed.example');
  for (let i = 1; i <= 5; i++) {
    await page.keyboard.press('Escape');
    await expect(editor.getByText('Discard your unsaved changes?'), `Escape ${i}`).toBeVisible();
    await expect(editor).toBeVisible();
  }
  await expect(editor.getByLabel('Email')).toHaveValue('alice@changed.example');
  await editor.getByRole('button', { name: 'Discard' }).click();
  await expect(editor).toBeHidden();

  // The dialog state is not stuck: Edit opens it, a clean dialog closes on Escape, Enter opens it.
  await action(page, 'Edit').click();
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await rowByKey(page, 'u_alice').click();
  await page.keyboard.press('Enter');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
});

/** Reloads and expects the browser's "leave site?" prompt; dismisses it (the page stays). */
async function expectReloadWarning(page: Page): Promise<void> {
  const prompt = page.waitForEvent('dialog');
  const reload = page.reload().catch(() => undefined);
  const shown = await prompt;
  expect(shown.type()).toBe('beforeunload');
  await shown.dismiss();
  void reload;
}

test('4 · reloading with a dirty form dialog warns, as staged edits do', async ({ page }) => {
  const table = await ordersTable(page);
  await rowActions(page).getByRole('button', { name: 'New row' }).click();
  const form = page.getByRole('dialog', { name: `New row in ${table}` });
  await form.getByRole('textbox', { name: 'Customer', exact: true }).fill('Half typed');
  await expectReloadWarning(page);
  await expect(form.getByRole('textbox', { name: 'Customer', exact: true })).toHaveValue('Half typed');
  // A clean form does not warn: discard, then a reload goes through.
  await page.keyboard.press('Escape');
  await form.getByRole('button', { name: 'Discard' }).click();
  await expect(form).toBeHidden();
  await page.reload();
  await waitForRows(page);
});

test('5 · a table the CLI creates on the same data directory appears in the tree without a reload', async ({ page }) => {
  test.setTimeout(60_000);
  const tempDir = process.env[ENV.tempDir];
  if (!tempDir) throw new Error(`${ENV.tempDir} is not set`);
  const { dataDir } = JSON.parse(readFileSync(join(tempDir, 'server.json'), 'utf8')) as { dataDir: string };
  await openTable(page, 'users');
  const ns = uniqueName('cli');
  runCli(dataDir, ['seed', `${ns}.items`, '--rows', '25']);
  await expect(
    namespaceTree(page)
      .getByRole('link', { name: ns, exact: true })
      .or(namespaceTree(page).getByText(ns, { exact: true }))
      .first(),
  ).toBeVisible({
    timeout: 10_000,
  });
  const link = tablesOf(page, ns).getByRole('link', { name: 'items', exact: true });
  await expect(link).toBeVisible();
  await link.click();
  await waitForRows(page);
  await expect(gridStatus(page)).toContainText('25 rows loaded');
});

test('8 · plain text: singular counts, friendly field errors, no version tokens, audit_log newest first, dates in row details', async ({ page }) => {
  test.setTimeout(60_000);
  const ns = uniqueName('txt');
  await createNamespace(page, ns);
  const table = await createTable(page, ns, { name: 'one', type: 'shared', columns: [{ name: 'note' }] });
  await addRow(page, table, { 'ID (primary key)': '1', Note: 'only' });
  await expect(gridStatus(page)).toHaveText('1 row loaded');
  await addFilter(page, 1, 'note', 'eq', 'only');
  await expect(page.getByText('note = only · 1 row examined')).toBeVisible();

  // The engine's input errors in words, not zod's "Invalid input: expected object, received array".
  const refused = await rpcFromPage(page, 'rows/page', { table, request: [] });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('request: must be a JSON object ({ … }), not a list');
  expect(refused.body).not.toContain('received array');

  // No version token in the edit form.
  await openTable(page, 'namespaces');
  await rowByKey(page, ns).click();
  await action(page, 'Edit').click();
  const editor = dialog(page, `Edit namespace ${ns}`);
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  await expect(editor).not.toContainText('version');
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();

  // Row details: timestamps as dates (the stored number in the title); hidden when nothing is selected.
  await openTable(page, 'users');
  await expect(page.getByRole('complementary')).toHaveCount(0);
  await rowByKey(page, 'u_alice').click();
  const details = page.getByRole('complementary', { name: 'Row u_alice' });
  const created = details.locator('time').first();
  await expect(created).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  await expect(created).toHaveAttribute('title', /\(\d{12,}\)$/);

  // audit_log opens newest first.
  await openTable(page, 'audit_log');
  await expect(grid(page).getByRole('columnheader', { name: 'audit_id', exact: true })).toHaveAttribute('aria-sort', 'descending');
  const ids = await renderedIds(page);
  expect(ids.length).toBeGreaterThan(5);
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
});
