/**
 * Export and import through the table view, on this file's own server: export demo.products to a
 * CSV file typed into the path field, import that file into a new table through the mapping
 * dialog, see the rejected rows of a malformed file, and copy a row to the clipboard.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { notifications } from './support/app';
import { expectAccessible } from './support/axe';
import { pendingChanges, rowWithCell } from './support/data';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const test = testWithOwnServer({ name: 'io', prepare: seedDemoData });

test('export a table to CSV, import it into a new table, see the rejected rows of a bad file, copy a row (Ctrl+C, a cell’s menu), paste cells', async ({
  page,
  ownServer,
}) => {
  test.setTimeout(90_000);
  // Outside the data directory (ownServer.dataDir): the engine refuses destinations inside it.
  const exported = join(ownServer.dir, 'products.csv');

  await test.step('export demo.products as CSV', async () => {
    await page.goto('/#/table/demo.products');
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export demo.products' });
    const destination = dialog.getByRole('textbox', { name: /Destination file/ });
    // A relative path is refused in the dialog: the field is invalid and described by the reason.
    await destination.fill('products.csv');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(destination).toHaveAttribute('aria-invalid', 'true');
    await expect(destination).toHaveAccessibleDescription('Enter an absolute path (starting with / or a drive letter).');
    await expectAccessible(page, 'the Export dialog with a refused path', 'dialog[open]');
    await destination.fill(exported);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(notifications(page).getByText(/Export demo\.products to .*products\.csv: completed/)).toBeVisible({ timeout: 20_000 });
    const text = readFileSync(exported, 'utf8');
    expect(text.split('\r\n')[0]).toBe('id,name,price,in_stock,tags,_seq');
    expect(text).toContain('3,Monitor,229,false,"[""display"",""27\\""""]",');
  });

  await test.step('import the file into a new table through the mapping dialog', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into demo.products' });
    await dialog.getByRole('textbox', { name: /File to import/ }).fill(exported);
    await dialog.getByRole('button', { name: 'Read sample' }).click();
    await expect(dialog.getByText(/Detected CSV with delimiter “,”; 6 columns, 3 rows sampled/)).toBeVisible();
    await expect(dialog.getByRole('table', { name: 'First rows of the file' }).getByRole('cell', { name: 'Monitor' })).toBeVisible();
    await dialog.getByRole('radio', { name: 'a new table' }).check();
    await dialog.getByRole('textbox', { name: 'New table (namespace.table)' }).fill('demo.products_copy');
    // Rename a column and check the inferred types.
    await dialog.getByRole('textbox', { name: 'Table column for name' }).fill('title');
    await expect(dialog.getByRole('combobox', { name: 'Type of price' })).toHaveValue('double');
    await expect(dialog.getByRole('combobox', { name: 'Type of tags' })).toHaveValue('json');
    await expect(dialog.getByRole('checkbox', { name: 'Import _seq' })).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByText(/3 rows imported into demo\.products_copy; 0 rejected/)).toBeVisible({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.goto('/#/table/demo.products_copy');
    await expect(rowWithCell(page, 'Monitor')).toBeVisible();
    await expect(page.getByRole('columnheader', { name: /title/ }).first()).toBeVisible();
  });

  await test.step('a malformed file: the rejected rows are shown, the good ones imported (skip)', async () => {
    const bad = join(ownServer.dir, 'bad.csv');
    writeFileSync(bad, 'id,name,price\n10,Cable,1.5\n11,Plug,cheap\n12\n13,Lamp,9\n');
    await page.goto('/#/table/demo.products');
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into demo.products' });
    await dialog.getByRole('textbox', { name: /File to import/ }).fill(bad);
    await dialog.getByRole('button', { name: 'Read sample' }).click();
    await dialog.getByRole('combobox', { name: 'Bad rows' }).selectOption('skip');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByText(/2 rows imported into demo\.products; 2 rejected/)).toBeVisible({ timeout: 20_000 });
    const rejected = dialog.getByRole('table', { name: 'Rejected rows' });
    await expect(rejected.getByRole('row')).toHaveCount(3);
    await expect(rejected.getByRole('row').nth(1)).toContainText('3price');
    await expect(rejected.getByRole('row').nth(1)).toContainText('"cheap" is not a number');
    await expect(rejected.getByRole('row').nth(2)).toContainText('has 1 fields, the header has 3');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(rowWithCell(page, 'Lamp')).toBeVisible();
  });

  await test.step('Ctrl+C copies the selected row as TSV', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await rowWithCell(page, 'Mouse').click();
    await page.keyboard.press('Control+c');
    await expect(notifications(page).getByText('Copied 1 row (TSV)')).toBeVisible();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied.split('\n')[1]).toMatch(/^2\tMouse\t19\.5\ttrue\t\["input"\]\t\d+$/);
  });

  await test.step("a cell's menu copies its row as INSERT (or TSV, CSV, JSON)", async () => {
    await rowWithCell(page, 'Keyboard').click({ button: 'right' });
    const menu = page.getByRole('menu', { name: /in row 1$/ });
    for (const name of ['Copy row as TSV', 'Copy row as CSV', 'Copy row as JSON', 'Copy row as INSERT'])
      await expect(menu.getByRole('menuitem', { name })).toBeVisible();
    await menu.getByRole('menuitem', { name: 'Copy row as INSERT' }).click();
    await expect(menu).toBeHidden();
    await expect(notifications(page).getByText('Copied row 1 as INSERT.')).toBeVisible();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(`INSERT INTO demo.products (id, name, price, in_stock, tags) VALUES (1, 'Keyboard', 49.9, TRUE, '["input"]');`);
  });

  await test.step('a TSV block pasted on a cell becomes staged edits, applied like typed ones', async () => {
    await rowWithCell(page, 'Mouse').getByRole('gridcell', { name: 'Mouse', exact: true }).click();
    await page.evaluate('navigator.clipboard.writeText("Trackball\\t12.5\\n")');
    await page.keyboard.press('Control+v');
    await expect(notifications(page).getByText('Pasted 2 cells as staged edits.')).toBeVisible();
    await expect(pendingChanges(page).getByRole('status')).toHaveText('2 staged changes in 1 row');
    await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
    await expect(pendingChanges(page)).toBeHidden();
    await expect(rowWithCell(page, 'Trackball')).toContainText('12.5');
  });
});

test('export a console query’s result (its whole result, as a job), and a grid view narrowed by the quick search', async ({ page, ownServer }) => {
  test.setTimeout(90_000);
  const query = join(ownServer.dir, 'query.jsonl');
  const searched = join(ownServer.dir, 'searched.csv');

  await test.step('run a query in the console, Export… its result as JSON Lines: the file holds its rows, typed', async () => {
    await page.goto('/#/sql');
    const editor = page.getByRole('textbox', { name: /^SQL of / });
    await expect(editor).toBeVisible();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELECT id, name, price, in_stock FROM demo.products WHERE id IN (1, 3) ORDER BY id DESC');
    await page.getByRole('toolbar', { name: 'Console actions' }).getByRole('button', { name: 'Run statement' }).click();
    const results = page.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('gridcell', { name: 'Monitor' })).toBeVisible();
    await results.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the query result' });
    await expect(dialog.getByText('SELECT id, name, price, in_stock FROM demo.products WHERE id IN (1, 3) ORDER BY id DESC')).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('jsonl');
    await dialog.getByRole('textbox', { name: /Destination file/ }).fill(query);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(notifications(page).getByText(/Export a query result to .*query\.jsonl: completed/)).toBeVisible({ timeout: 20_000 });
    const lines = readFileSync(query, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { id: 3, name: 'Monitor', price: 229, in_stock: false },
      { id: 1, name: 'Keyboard', price: 49.9, in_stock: true },
    ]);
  });

  await test.step('the grid’s Export… of a view narrowed by the quick search writes only the rows shown', async () => {
    await page.goto('/#/table/demo.products');
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await page.keyboard.press('/');
    await page.getByRole('searchbox', { name: 'Quick search' }).fill('keyb');
    await expect(rowWithCell(page, 'Monitor')).toHaveCount(0);
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export demo.products' });
    await expect(dialog.getByRole('checkbox', { name: /Only the rows the grid shows: its quick search “keyb”/ })).toBeChecked();
    await dialog.getByRole('textbox', { name: /Destination file/ }).fill(searched);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(notifications(page).getByText(/Export demo\.products to .*searched\.csv: completed/)).toBeVisible({ timeout: 20_000 });
    const rows = readFileSync(searched, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('id,name,price,in_stock,tags,_seq');
    expect(rows.slice(1).map((r) => r.split(',')[1])).toEqual(['Keyboard']);
  });
});
