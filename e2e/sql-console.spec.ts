/**
 * The SQL console (#/sql): writing with completion, running, Safe Mode's confirmations, read-only
 * refusal before anything is sent, tabs, saved queries and history across a reload, and axe.
 */
import type { Locator, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { rpcFromPage, sidebar } from './support/app';
import { expectAccessible } from './support/axe';

async function openConsole(page: Page): Promise<Locator> {
  await sidebar(page).getByRole('link', { name: 'SQL console' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SQL console' })).toBeVisible();
  const editor = page.getByRole('textbox', { name: /^SQL of / });
  await expect(editor).toBeVisible();
  return editor;
}

/** Replaces the editor's text (select all, then type: completion and bracket closing stay out of the way of a paste). */
async function setText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The console's calls of sql.run, as they leave the page. */
function sqlRuns(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/rpc/sql/run')) sent.push(r);
  });
  return sent;
}

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Console actions' });
const completion = (page: Page) => page.getByRole('listbox');

test('write a query with completion, run it at the cursor, and see the outcome', async ({ page }) => {
  const editor = await openConsole(page);
  await setText(page, editor, '');

  await test.step('namespaces, tables, a table alias and bare columns complete from the catalog', async () => {
    await page.keyboard.type('SELECT * FROM de');
    await completion(page).getByRole('option', { name: /^demo/ }).click();
    await page.keyboard.type('.');
    await completion(page)
      .getByRole('option', { name: /^products/ })
      .click();
    await page.keyboard.type(' p WHERE p.pr');
    await completion(page)
      .getByRole('option', { name: /^price/ })
      .click();
    await page.keyboard.type(' > 20 ORDER BY na');
    await completion(page).getByRole('option', { name: /^name/ }).click();
    await expect(editor).toHaveText('SELECT * FROM demo.products p WHERE p.price > 20 ORDER BY name');
  });

  await test.step('Ctrl+Enter runs the statement at the cursor, as the subject viewed as', async () => {
    await page.keyboard.insertText(';\nSELECT 2');
    await page.keyboard.press('ArrowUp');
    const sent = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/run'));
    await page.keyboard.press('ControlOrMeta+Enter');
    const body = (await sent).postDataJSON() as { json: { script: string } };
    expect(body.json.script).toBe('SELECT * FROM demo.products p WHERE p.price > 20 ORDER BY name');
    const results = page.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('button', { name: /^1\. / })).toBeVisible();
    await expect(results).toContainText('as admin');
  });

  await test.step('Run selection sends the selected text, with the chosen statement timeout', async () => {
    await toolbar(page).getByLabel('Timeout').selectOption('5 s');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Shift+Home');
    const sent = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/run'));
    await toolbar(page).getByRole('button', { name: 'Run selection' }).click();
    const body = (await sent).postDataJSON() as { json: { script: string; timeoutMs?: number } };
    expect(body.json).toMatchObject({ script: 'SELECT 2', timeoutMs: 5000 });
    await toolbar(page).getByLabel('Timeout').selectOption('30 s (default)');
  });
});

test('Safe Mode: DELETE without WHERE, DROP and RESTORE ask first and show the statement', async ({ page }) => {
  const editor = await openConsole(page);
  const sent = sqlRuns(page);

  await setText(page, editor, 'DELETE FROM demo.products');
  await toolbar(page).getByRole('button', { name: 'Run statement' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Run this statement?' });
  await expect(confirm).toContainText('DELETE without WHERE changes every row of the table.');
  await expect(confirm).toContainText('DELETE FROM demo.products');
  await expectAccessible(page, 'SQL confirmation', 'dialog[open]');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();

  // A script asks once, listing each dangerous statement.
  await setText(page, editor, "SELECT 1;\nDROP TABLE demo.products;\nRESTORE DATABASE FROM '/tmp/nowhere'");
  await toolbar(page).getByRole('button', { name: 'Run all' }).click();
  const many = page.getByRole('alertdialog', { name: 'Run 2 dangerous statements?' });
  await expect(many).toContainText('DROP TABLE demo.products');
  await expect(many).toContainText("RESTORE DATABASE FROM '/tmp/nowhere'");
  await page.keyboard.press('Escape');
  await expect(many).toBeHidden();
  expect(sent).toHaveLength(0);

  // With a WHERE, it runs without asking; confirmed, it is sent as written.
  await setText(page, editor, 'DELETE FROM demo.products WHERE id = -1');
  const request = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/run'));
  await page.keyboard.press('ControlOrMeta+Enter');
  expect(((await request).postDataJSON() as { json: { script: string } }).json.script).toBe('DELETE FROM demo.products WHERE id = -1');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test.describe('read-only mode', () => {
  test.afterEach(async ({ page }) => {
    await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false });
  });

  test('refuses a write before sending it; reads still run', async ({ page }) => {
    const editor = await openConsole(page);
    await page.getByRole('switch', { name: 'Read-only' }).click();
    await expect(page.getByRole('switch', { name: 'Read-only' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByRole('main')).toContainText('statements that write are refused before they are sent');
    const sent = sqlRuns(page);

    await setText(page, editor, "SELECT 1;\nINSERT INTO demo.products (id, name) VALUES (99, 'x')");
    await toolbar(page).getByRole('button', { name: 'Run all' }).click();
    const refused = page.getByRole('region', { name: 'Results' }).getByRole('status').filter({ hasText: 'Not run' });
    await expect(refused).toContainText('Read-only mode is on');
    await expect(refused).toContainText("INSERT INTO demo.products (id, name) VALUES (99, 'x')");
    // Schema changes and writing jobs too.
    for (const statement of ['CREATE NAMESPACE nope', 'FLUSH TABLE demo.products']) {
      await setText(page, editor, statement);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(refused).toContainText(statement);
    }
    expect(sent).toHaveLength(0);

    await setText(page, editor, 'SELECT 1');
    const request = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/run'));
    await page.keyboard.press('ControlOrMeta+Enter');
    await request;
  });
});

test('tabs, saved queries and the searchable history survive a reload', async ({ page }) => {
  const editor = await openConsole(page);
  const tabs = page.getByRole('list', { name: 'Console tabs' });
  await page.getByRole('button', { name: '+ New tab' }).click();
  const tabName = await tabs.locator('[aria-current="true"]').textContent();
  await setText(page, editor, 'SELECT name FROM demo.products WHERE id = 2');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByRole('region', { name: 'Results' }).getByRole('button', { name: /^1\. / })).toBeVisible();

  await toolbar(page).getByRole('button', { name: 'Save query' }).click();
  const save = page.getByRole('dialog', { name: 'Save query' });
  await save.getByLabel('Name').fill('mouse by id');
  await save.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('list', { name: 'Saved queries' })).toContainText('mouse by id');

  await page.reload();
  await openConsole(page);
  await expect(tabs.locator('[aria-current="true"]')).toHaveText(tabName ?? '');
  await expect(page.getByRole('textbox', { name: /^SQL of / })).toHaveText('SELECT name FROM demo.products WHERE id = 2');

  await toolbar(page).getByRole('button', { name: 'Saved' }).click();
  await page
    .getByRole('list', { name: 'Saved queries' })
    .getByRole('button', { name: /^mouse by id/ })
    .click();
  await expect(tabs.locator('[aria-current="true"]')).toHaveText('mouse by id');

  await toolbar(page).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('list', { name: 'Runs' });
  await page.getByRole('searchbox', { name: 'Search history' }).fill('WHERE id = 2');
  await expect(history.getByRole('listitem').first()).toContainText('SELECT name FROM demo.products WHERE id = 2');
  await expect(history.getByRole('listitem').first()).toContainText('as admin');
  await page.getByRole('searchbox', { name: 'Search history' }).fill('no such run anywhere');
  await expect(history.getByRole('listitem')).toHaveCount(0);

  // Closing a tab keeps the others.
  await tabs.getByRole('button', { name: 'Close mouse by id' }).click();
  await expect(tabs.getByRole('button', { name: 'mouse by id', exact: true })).toHaveCount(0);
});

test('Format rewrites the script with upper-case keywords, one clause a line', async ({ page }) => {
  const editor = await openConsole(page);
  await setText(page, editor, 'select id, name from demo.products where id = 1');
  await toolbar(page).getByRole('button', { name: 'Format' }).click();
  await expect(editor).toContainText('SELECT');
  await expect(editor.locator('.cm-line')).toHaveText(['SELECT', '  id,', '  name', 'FROM', '  demo.products', 'WHERE', '  id = 1', '']);
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('the console with results and history passes axe', async ({ page }) => {
      const editor = await openConsole(page);
      await setText(page, editor, 'SELECT * FROM demo.products');
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(page.getByRole('region', { name: 'Results' }).getByRole('button', { name: /^1\. / })).toBeVisible();
      await toolbar(page).getByRole('button', { name: 'History' }).click();
      await expectAccessible(page, `SQL console (${scheme})`);
    });
  });
}
