/**
 * Editing in the grid (issues 15 and 17): a multi-row selection (Shift ranges, Ctrl/Cmd toggles)
 * copied and deleted as a whole, undo and redo of the session's edits (deletes included, written
 * back through the row procedures), pasted lines past the last row as staged new rows, and a
 * conflict on undo shown in the conflict dialog; the history kept across a reload, and a stream
 * row's delete listed as not undoable. axe with a selection and the history open.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { conflictDialog, grid, gridStatus, notifications, rpcFromPage, uniqueName, waitForRows } from './support/app';
import { expectAccessible } from './support/axe';
import { addRow, createNamespace, createTable, editCell, openNamespace, pendingChanges, rowActions, rowWithCell } from './support/data';

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

/** The clipboard's text (the context was granted clipboard access). */
function clipboardText(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}

/** The stored row with this key, read afresh from the server (null when there is none). */
async function storedTitle(page: Page, table: string, key: string): Promise<string | null> {
  const got = await rpcFromPage(page, 'rows/get', { table, key });
  if (got.status === 404) return null;
  expect(got.status, got.body).toBe(200);
  return (JSON.parse(got.body) as { json: { row: { values: { title: string } } } }).json.row.values.title;
}

/** A table `notes` (id, title, stars) with a row per title, ids from 1. */
async function notesTable(page: Page, prefix: string, titles: readonly string[]): Promise<string> {
  const ns = uniqueName(prefix);
  await createNamespace(page, ns);
  const table = await createTable(page, ns, {
    name: 'notes',
    type: 'shared',
    columns: [
      { name: 'title', nullable: false },
      { name: 'stars', type: 'integer' },
    ],
  });
  for (const [i, title] of titles.entries()) await addRow(page, table, { 'ID (primary key)': String(i + 1), Title: title, Stars: String(i + 1) });
  return table;
}

/** Someone else saves the row's title (at its stored version) while the page has it. */
async function saveTitleElsewhere(page: Page, table: string, key: string, title: string): Promise<void> {
  const stored = JSON.parse((await rpcFromPage(page, 'rows/get', { table, key })).body) as { json: { version: string } };
  const theirs = await rpcFromPage(page, 'rows/update', { table, key, values: { title }, version: stored.json.version });
  expect(theirs.status, theirs.body).toBe(200);
}

const history = (page: Page) => page.getByRole('group', { name: 'Edit history' });

test('select three rows with Shift, copy them, delete them with Del; undo brings them back, redo removes them again', async ({ page }) => {
  test.setTimeout(90_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const table = await notesTable(page, 'sel', ['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
  const selected = (title: string) => rowWithCell(page, title);

  await test.step('Shift+click and Shift+arrows select ranges, Ctrl/Cmd+click toggles; all announced', async () => {
    await expect(grid(page)).toHaveAttribute('aria-multiselectable', 'true');
    await selected('beta').click();
    await selected('delta').click({ modifiers: ['Shift'] });
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toHaveAttribute('aria-selected', 'true');
    for (const t of ['alpha', 'epsilon']) await expect(selected(t)).toHaveAttribute('aria-selected', 'false');
    await expect(gridStatus(page)).toContainText('3 rows selected');
    // Ctrl/Cmd+click adds a row and takes it out again.
    await selected('epsilon').click({ modifiers: [MOD] });
    await expect(gridStatus(page)).toContainText('4 rows selected');
    await selected('epsilon').click({ modifiers: [MOD] });
    await expect(selected('epsilon')).toHaveAttribute('aria-selected', 'false');
    // The keyboard: a plain click, then Shift+↓ twice.
    await selected('beta').click();
    await expect(gridStatus(page)).not.toContainText('selected');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toHaveAttribute('aria-selected', 'true');
    await expect(gridStatus(page)).toContainText('3 rows selected');
    // Ctrl/Cmd+A takes every loaded row; a click goes back to one.
    await page.keyboard.press(`${MOD}+a`);
    await expect(gridStatus(page)).toContainText('5 rows selected');
    await selected('beta').click();
    await selected('delta').click({ modifiers: ['Shift'] });
  });

  await test.step('Ctrl/Cmd+C and the row menu copy the whole selection', async () => {
    await page.keyboard.press(`${MOD}+c`);
    await expect(notifications(page).getByText('Copied 3 rows (TSV)')).toBeVisible();
    const tsv = (await clipboardText(page)).split('\n');
    expect(tsv[0]).toBe('id\ttitle\tstars\t_seq');
    expect(tsv.slice(1).map((l) => l.split('\t').slice(0, 3).join(' '))).toEqual(['2 beta 2', '3 gamma 3', '4 delta 4']);
    await selected('gamma').getByRole('gridcell', { name: 'gamma', exact: true }).click({ button: 'right' });
    const menu = page.getByRole('menu', { name: /in row 3$/ });
    await menu.getByRole('menuitem', { name: 'Copy 3 selected rows as INSERT' }).click();
    await expect
      .poll(() => clipboardText(page))
      .toBe([2, 3, 4].map((i) => `INSERT INTO ${table} (id, title, stars) VALUES (${i}, '${['beta', 'gamma', 'delta'][i - 2]}', ${i});`).join('\n'));
    // The menu kept the selection.
    await expect(gridStatus(page)).toContainText('3 rows selected');
    await expectAccessible(page, 'a grid with three rows selected');
  });

  await test.step('Del deletes the selection after one confirmation naming the count', async () => {
    await grid(page).focus();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Delete 3 rows?' });
    await expect(confirm).toContainText('2, 3, 4');
    await confirm.getByRole('button', { name: 'Delete 3 rows' }).click();
    await expect(confirm).toBeHidden();
    await expect(notifications(page).getByText('Deleted 3 rows.')).toBeVisible();
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toHaveCount(0);
    expect(await storedTitle(page, table, '3')).toBeNull();
  });

  await test.step('Ctrl/Cmd+Z brings them back (in the grid and stored); Shift+Ctrl/Cmd+Z and Ctrl+Y remove them again', async () => {
    await page.keyboard.press(`${MOD}+z`);
    await expect(notifications(page).getByText('Undid: Delete 3 rows.')).toBeVisible();
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toBeVisible();
    expect(await Promise.all(['2', '3', '4'].map((k) => storedTitle(page, table, k)))).toEqual(['beta', 'gamma', 'delta']);

    await page.keyboard.press(`${MOD}+Shift+z`);
    await expect(notifications(page).getByText('Redid: Delete 3 rows.')).toBeVisible();
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toHaveCount(0);
    expect(await storedTitle(page, table, '2')).toBeNull();

    await page.keyboard.press(`${MOD}+z`);
    for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toBeVisible();
    if (MOD === 'Control') {
      await page.keyboard.press('Control+y');
      for (const t of ['beta', 'gamma', 'delta']) await expect(selected(t)).toHaveCount(0);
    }
  });

  await test.step('the edit history lists the steps', async () => {
    await history(page)
      .getByRole('button', { name: /^History/ })
      .click();
    const steps = history(page).getByRole('list', { name: 'Edit steps, newest first' });
    // Newest first: the delete, then the five rows made with New row.
    await expect(steps.getByRole('listitem')).toHaveCount(6);
    await expect(steps.getByRole('listitem').first()).toContainText('Delete 3 rows');
    await expect(steps.getByRole('listitem').nth(1)).toContainText('Create row 5');
    await expectAccessible(page, 'the edit history');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'the edit history (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await expect(steps).toBeHidden();
  });
});

test('a 3-line TSV pasted at the last row adds staged new rows that Apply inserts; undo takes the applied rows back', async ({ page }) => {
  test.setTimeout(90_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const table = await notesTable(page, 'paste', ['alpha', 'beta', 'gamma']);

  await rowWithCell(page, 'gamma').getByRole('gridcell', { name: '3', exact: true }).first().click();
  await page.evaluate('navigator.clipboard.writeText("3\\tgamma2\\t3\\n4\\tdelta\\t4\\n5\\tepsilon\\t5\\n")');
  await page.keyboard.press(`${MOD}+v`);
  await expect(notifications(page).getByText('Pasted 2 cells and 2 new rows as staged edits.')).toBeVisible();
  const bar = pendingChanges(page);
  await expect(bar.getByRole('status')).toHaveText('7 staged changes in 3 rows');
  await expect(bar.getByRole('listitem').filter({ hasText: 'new row 1' })).toContainText('delta');
  await expect(bar.getByRole('listitem').filter({ hasText: 'new row 2' })).toContainText('epsilon');
  // Nothing is stored before Apply.
  expect(await storedTitle(page, table, '4')).toBeNull();

  // Undo of the paste unstages all of it; redo stages it again.
  await grid(page).focus();
  await page.keyboard.press(`${MOD}+z`);
  await expect(bar).toBeHidden();
  await page.keyboard.press(`${MOD}+Shift+z`);
  await expect(bar.getByRole('status')).toHaveText('7 staged changes in 3 rows');
  // Discard all is a step too: undo brings the staged edits back.
  await bar.getByRole('button', { name: 'Discard all' }).click();
  await expect(bar).toBeHidden();
  await grid(page).focus();
  await page.keyboard.press(`${MOD}+z`);
  await expect(notifications(page).getByText('Undid: Discard 7 staged changes.')).toBeVisible();
  await expect(bar.getByRole('status')).toHaveText('7 staged changes in 3 rows');

  await bar.getByRole('button', { name: 'Apply changes' }).click();
  await expect(notifications(page).getByText('Applied changes to 3 rows.')).toBeVisible();
  await expect(bar).toBeHidden();
  for (const t of ['gamma2', 'delta', 'epsilon']) await expect(rowWithCell(page, t)).toBeVisible();
  expect(await storedTitle(page, table, '5')).toBe('epsilon');

  // Undo of the applied step: the new rows are deleted, the edited one written back.
  await page.keyboard.press(`${MOD}+z`);
  await expect(notifications(page).getByText('Undid: Apply changes to 3 rows.')).toBeVisible();
  await expect(rowWithCell(page, 'gamma')).toBeVisible();
  await expect(rowWithCell(page, 'delta')).toHaveCount(0);
  expect(await storedTitle(page, table, '4')).toBeNull();
  expect(await storedTitle(page, table, '3')).toBe('gamma');
  // Undo does not stage again what was applied.
  await expect(bar).toBeHidden();
});

test('undo of an applied edit whose row changed since shows the conflict dialog and overwrites nothing', async ({ page }) => {
  test.setTimeout(60_000);
  const table = await notesTable(page, 'undoc', ['alpha']);
  await editCell(page, 'alpha', 'title', 'mine');
  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(notifications(page).getByText('Applied changes to 1 row.')).toBeVisible();

  // Someone else saves the row meanwhile.
  await saveTitleElsewhere(page, table, '1', 'theirs');

  await grid(page).focus();
  await page.keyboard.press(`${MOD}+z`);
  const dialog = conflictDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('theirs');
  expect(await storedTitle(page, table, '1')).toBe('theirs');
  await expectAccessible(page, 'the conflict dialog of an undo', 'dialog[open]');
  // Reload: theirs stays, and the step leaves the history.
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog).toBeHidden();
  await expect(notifications(page).getByText('Kept the stored row 1; it left the edit history.')).toBeVisible();
  expect(await storedTitle(page, table, '1')).toBe('theirs');
  // The next undo is the step before: the row's creation.
  await expect(history(page).getByRole('button', { name: 'Undo' })).toHaveAttribute('title', 'Undo: Create row 1');
});

test('a selected row changed while the delete confirmation is open is not deleted unasked; undo brings back what was deleted', async ({ page }) => {
  test.setTimeout(60_000);
  const table = await notesTable(page, 'delc', ['alpha', 'beta', 'gamma']);
  await rowWithCell(page, 'alpha').click();
  await rowWithCell(page, 'beta').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog', { name: 'Delete 2 rows?' });
  await expect(confirm).toBeVisible();

  // Someone else saves row 2 meanwhile.
  await saveTitleElsewhere(page, table, '2', 'beta2');

  await confirm.getByRole('button', { name: 'Delete 2 rows' }).click();
  await expect(confirm.getByText('Deleted 1 row. Row 2 was changed after you selected it. Delete it anyway?')).toBeVisible();
  expect(await storedTitle(page, table, '1')).toBeNull();
  expect(await storedTitle(page, table, '2')).toBe('beta2');
  await confirm.getByRole('button', { name: 'Delete anyway' }).click();
  await expect(confirm).toBeHidden();
  await expect(notifications(page).getByText('Deleted 2 rows.')).toBeVisible();
  expect(await storedTitle(page, table, '2')).toBeNull();

  // Undo brings back row 2 as it was deleted (their value), then row 1.
  await grid(page).focus();
  await page.keyboard.press(`${MOD}+z`);
  await expect(notifications(page).getByText('Undid: Delete row 2.')).toBeVisible();
  await expect(rowWithCell(page, 'beta2')).toBeVisible();
  await page.keyboard.press(`${MOD}+z`);
  await expect(notifications(page).getByText('Undid: Delete row 1.')).toBeVisible();
  await expect(rowWithCell(page, 'alpha')).toBeVisible();
  expect(await storedTitle(page, table, '1')).toBe('alpha');
});

test('the edit history survives a reload: an applied edit is undone after it at its version, a changed row opens the conflict dialog; a stream row’s delete is listed as not undoable, with why', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const table = await notesTable(page, 'reload', ['alpha', 'beta']);
  await editCell(page, 'alpha', 'title', 'mine');
  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(notifications(page).getByText('Applied changes to 1 row.')).toBeVisible();
  await editCell(page, 'beta', 'title', 'beta2');
  await pendingChanges(page).getByRole('button', { name: 'Apply changes' }).click();
  await expect(pendingChanges(page)).toBeHidden();
  const undo = history(page).getByRole('button', { name: 'Undo' });

  await test.step('after a reload the history is back, and undo of a row changed meanwhile opens the conflict dialog', async () => {
    await page.reload();
    await waitForRows(page);
    await expect(rowWithCell(page, 'mine')).toBeVisible();
    await expect(history(page).getByRole('button', { name: /^History/ })).toHaveText('History (4)');
    await expect(undo).toHaveAttribute('title', 'Undo: Apply changes to 1 row');
    // Someone else saves row 2 after our edit.
    await saveTitleElsewhere(page, table, '2', 'theirs');
    await grid(page).focus();
    await page.keyboard.press(`${MOD}+z`);
    const dialog = conflictDialog(page);
    await expect(dialog).toContainText('theirs');
    expect(await storedTitle(page, table, '2')).toBe('theirs');
    await dialog.getByRole('button', { name: 'Reload' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the edit before it is undone at the version it left the row, and redone after another reload', async () => {
    await grid(page).focus();
    await page.keyboard.press(`${MOD}+z`);
    await expect(notifications(page).getByText('Undid: Apply changes to 1 row.')).toBeVisible();
    await expect(rowWithCell(page, 'alpha')).toBeVisible();
    expect(await storedTitle(page, table, '1')).toBe('alpha');
    await page.reload();
    await waitForRows(page);
    await expect(history(page).getByRole('button', { name: 'Redo' })).toHaveAttribute('title', 'Redo: Apply changes to 1 row');
    await grid(page).focus();
    await page.keyboard.press(`${MOD}+Shift+z`);
    await expect(notifications(page).getByText('Redid: Apply changes to 1 row.')).toBeVisible();
    expect(await storedTitle(page, table, '1')).toBe('mine');
  });

  await test.step('a stream row’s delete is a step that says why it cannot be undone, after a reload too', async () => {
    const ns = table.slice(0, table.indexOf('.'));
    await openNamespace(page, ns);
    const stream = await createTable(page, ns, {
      name: 'events',
      type: 'stream',
      ttlSeconds: '600',
      columns: [{ name: 'kind' }],
    });
    await addRow(page, stream, { 'ID (primary key)': '1', Kind: 'click' }, 'u_alice');
    await rowWithCell(page, 'click').click();
    await rowActions(page).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Delete row u_alice\// });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(rowWithCell(page, 'click')).toHaveCount(0);
    await page.reload();
    await waitForRows(page);
    await expect(undo).toBeDisabled();
    await history(page)
      .getByRole('button', { name: /^History/ })
      .click();
    const step = history(page).getByRole('list', { name: 'Edit steps, newest first' }).getByRole('listitem');
    await expect(step).toHaveCount(1);
    await expect(step).toContainText(/^Delete row u_alice\/\d+ not undoable/);
    await expect(step).toContainText('a stream row is an event, keyed by its place in the stream');
    await expectAccessible(page, 'a step that cannot be undone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'a step that cannot be undone (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
