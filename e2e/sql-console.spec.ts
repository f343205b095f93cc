/**
 * The SQL console (#/sql) against the real engine: writing with completion, running at the cursor,
 * a selection or all, results in the grid, error squiggles, a script of DDL, writes and a job,
 * Safe Mode's confirmations, read-only refusal before anything is sent, EXECUTE AS and the header's
 * view-as subject, tabs, saved queries and history across a reload, formatting, copying a result,
 * a join completed by alias, completion kept current by the change feed, cancelling a long query,
 * SUBSCRIBE TO's live result (changes made elsewhere arrive; system.live_queries lists it until it
 * stops), and axe.
 */
import type { Locator, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { rpcFromPage, sidebar, uniqueName } from './support/app';
import { expectAccessible } from './support/axe';
import { viewAs } from './support/data';

async function openConsole(page: Page): Promise<Locator> {
  await sidebar(page).getByRole('link', { name: 'SQL console' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SQL console' })).toBeVisible();
  const editor = page.getByRole('textbox', { name: /^SQL of / });
  await expect(editor).toBeVisible();
  return editor;
}

/** Replaces the editor's text (inserted at once: completion and bracket closing stay out of the way). */
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

const isRun = (r: Request) => r.url().endsWith('/rpc/sql/run');
const scriptOf = (r: Request) => (r.postDataJSON() as { json: { script: string; runId?: string; timeoutMs?: number } }).json;
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Console actions' });
const completion = (page: Page) => page.getByRole('listbox');
const results = (page: Page) => page.getByRole('region', { name: 'Results' });
/** An entry of the list of statements run ("1. SELECT", "2. Error"). */
const entry = (page: Page, label: RegExp) => results(page).getByRole('list', { name: 'Statements run' }).getByRole('button', { name: label });

/** What the page's clipboard holds (the context must have been granted clipboard-read). */
async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
}

/** Runs a script through the server as another client would (not through this page's console). */
async function runElsewhere(page: Page, script: string): Promise<void> {
  const answer = await rpcFromPage(page, 'sql/run', { script });
  expect(answer.status).toBe(200);
  expect((JSON.parse(answer.body) as { json: { error?: unknown } }).json.error).toBeUndefined();
}

/** A SELECT run through the server as another client would: its first page's rows. */
async function selectElsewhere(page: Page, script: string): Promise<unknown[][]> {
  const answer = await rpcFromPage(page, 'sql/run', { script });
  expect(answer.status).toBe(200);
  const result = (JSON.parse(answer.body) as { json: { outcomes: { page: { rows: unknown[][] } }[]; error?: unknown } }).json;
  expect(result.error).toBeUndefined();
  return result.outcomes[0]!.page.rows;
}

/** The rows of system.live_queries that watch demo.<table>: [subscription_id, filter, status]. */
const liveQueriesOn = (page: Page, table: string) =>
  selectElsewhere(page, `SELECT subscription_id, filter, status FROM system.live_queries WHERE namespace_id = 'demo' AND table_name = '${table}'`);

/** A fresh table demo.<name> (id, name) with rows 1 one, 2 two, 3 three, made by another client. */
async function liveTable(page: Page): Promise<string> {
  const table = uniqueName('live');
  await runElsewhere(
    page,
    `CREATE SHARED TABLE demo.${table} (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO demo.${table} (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')`,
  );
  return table;
}

const LIVE_GRID = 'Live result: SUBSCRIBE';
const liveGrid = (page: Page) => results(page).getByRole('grid', { name: LIVE_GRID });
const liveStatus = (page: Page) =>
  results(page)
    .getByRole('status')
    .filter({ hasText: /^(Live|Stopped|Ended) / });
const liveRow = (page: Page, text: string) => liveGrid(page).getByRole('row').filter({ hasText: text });
/** The CSS animation a row plays (the flash or the fade), "none" without one. */
const animationOf = (row: Locator) =>
  row.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { animationName: string } }).getComputedStyle(el).animationName);

/** Asks for completion at the cursor (Ctrl+Space) until it offers `option`: the catalog reaches the page through the change feed. */
async function expectOffered(page: Page, option: RegExp): Promise<void> {
  await expect(async () => {
    await page.keyboard.press('Control+Space');
    await expect(completion(page).getByRole('option', { name: option })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
}

/** Texts of a column of a result grid, top to bottom (rendered rows). */
async function resultColumn(page: Page, gridName: string, column: string): Promise<string[]> {
  const grid = results(page).getByRole('grid', { name: gridName });
  const index = await grid.getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-colindex');
  return (await grid.locator(`[role="rowgroup"] [role="row"] [role="gridcell"][aria-colindex="${index}"]`).allTextContents()).map((t) => t.trim());
}

test('write a query with completion, run it at the cursor, and see its rows', async ({ page }) => {
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

  await test.step('Ctrl+Enter runs the statement at the cursor; its rows fill the grid', async () => {
    await page.keyboard.insertText(';\nSELECT 2');
    await page.keyboard.press('ArrowUp');
    const sent = page.waitForRequest(isRun);
    await page.keyboard.press('ControlOrMeta+Enter');
    expect(scriptOf(await sent).script).toBe('SELECT * FROM demo.products p WHERE p.price > 20 ORDER BY name');
    await expect(entry(page, /^1\. SELECT 2 rows$/)).toBeVisible();
    expect(await resultColumn(page, 'Result 1: SELECT', 'name')).toEqual(['Keyboard', 'Monitor']);
    await expect(results(page)).toContainText('as admin');
    await expect(results(page).getByRole('status').filter({ hasText: 'rows loaded' })).toHaveText('2 rows loaded');
  });

  await test.step('Copy rows puts the loaded rows on the clipboard, tab-separated under a header line', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await results(page).getByRole('button', { name: 'Copy rows' }).click();
    await expect(page.getByText('Copied 2 rows (tab-separated, with a header line).')).toBeVisible();
    const lines = (await readClipboard(page)).trimEnd().split('\n');
    const header = lines[0]!.split('\t');
    expect(header).toEqual(expect.arrayContaining(['id', 'name', 'price']));
    expect(lines.slice(1).map((l) => l.split('\t')[header.indexOf('name')])).toEqual(['Keyboard', 'Monitor']);
  });

  await test.step('Run selection sends the selected text, with the chosen statement timeout', async () => {
    await toolbar(page).getByLabel('Timeout').selectOption('5 s');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Shift+Home');
    const sent = page.waitForRequest(isRun);
    await toolbar(page).getByRole('button', { name: 'Run selection' }).click();
    expect(scriptOf(await sent)).toMatchObject({ script: 'SELECT 2', timeoutMs: 5000 });
    await expect(entry(page, /^1\. SELECT 1 row$/)).toBeVisible();
    await toolbar(page).getByLabel('Timeout').selectOption('30 s (default)');
  });
});

test('a join of a user table and a system table completes both sides by their aliases, and runs', async ({ page }) => {
  const editor = await openConsole(page);
  await setText(page, editor, '');
  await page.keyboard.type('SELECT * FROM demo.notes n JOIN system.us');
  await completion(page)
    .getByRole('option', { name: /^users/ })
    .click();
  await page.keyboard.type(' u ON u.user_i');
  await completion(page)
    .getByRole('option', { name: /^user_id/ })
    .click();
  await page.keyboard.type(' = n._user WHERE n.pin');
  await completion(page)
    .getByRole('option', { name: /^pinned/ })
    .click();
  await page.keyboard.type(' ORDER BY u.userna');
  await completion(page)
    .getByRole('option', { name: /^username/ })
    .click();
  await expect(editor).toHaveText('SELECT * FROM demo.notes n JOIN system.users u ON u.user_id = n._user WHERE n.pinned ORDER BY u.username');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(entry(page, /^1\. SELECT 2 rows$/)).toBeVisible();
  // One pinned note each, alice's and bob's, with their names from system.users.
  expect(await resultColumn(page, 'Result 1: SELECT', 'title')).toEqual(['Rotate the backup keys', 'Call the plumber']);
  expect(await resultColumn(page, 'Result 1: SELECT', 'username')).toEqual(['alice', 'bob']);
});

test('completion follows the catalog through the change feed: a table and a column made elsewhere are offered', async ({ page }) => {
  const editor = await openConsole(page);
  const ns = uniqueName('cf');
  await setText(page, editor, `SELECT * FROM ${ns}.`);
  // Made by another client of the server, not this page's console: only the change feed tells the page.
  await runElsewhere(page, `CREATE NAMESPACE ${ns};\nCREATE SHARED TABLE ${ns}.fresh (id INTEGER PRIMARY KEY, label TEXT)`);
  await expectOffered(page, /^fresh/);
  await completion(page)
    .getByRole('option', { name: /^fresh/ })
    .click();
  await page.keyboard.type(' f WHERE f.la');
  await completion(page)
    .getByRole('option', { name: /^label/ })
    .click();
  await page.keyboard.type(' IS NULL AND f.re');
  await expect(completion(page).getByRole('option', { name: /^remark/ })).toHaveCount(0);

  await runElsewhere(page, `ALTER TABLE ${ns}.fresh ADD COLUMN remark TEXT`);
  await expectOffered(page, /^remark/);
  await completion(page)
    .getByRole('option', { name: /^remark/ })
    .click();
  await expect(editor).toHaveText(`SELECT * FROM ${ns}.fresh f WHERE f.label IS NULL AND f.remark`);
});

test('Cancel stops a long query; the app answers meanwhile, and the next query runs', async ({ page }) => {
  const editor = await openConsole(page);
  // 100k × 100k audit rows: far longer than the 30 s default timeout.
  const endless = 'SELECT count(*) AS n FROM system.audit_log a, system.audit_log b';
  await setText(page, editor, endless);
  const sent = page.waitForRequest(isRun);
  await page.keyboard.press('ControlOrMeta+Enter');
  const { runId } = scriptOf(await sent);
  expect(runId).toBeDefined();
  await expect(results(page).getByRole('status').filter({ hasText: 'Running…' })).toBeVisible();

  // The server answers other calls while the query runs (it runs off the main event loop).
  const other = await rpcFromPage(page, 'engine/info', {});
  expect(other.status).toBe(200);
  await expect(results(page).getByRole('status').filter({ hasText: 'Running…' })).toBeVisible();

  const cancel = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/cancel'));
  await toolbar(page).getByRole('button', { name: 'Cancel' }).click();
  expect((await cancel).postDataJSON()).toMatchObject({ json: { runId } });
  await expect(entry(page, /^1\. Error CANCELLED$/)).toBeVisible();
  await expect(results(page).getByRole('alert')).toContainText('Statement 1 failed: CANCELLED');
  await expect(toolbar(page).getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  await setText(page, editor, 'SELECT count(*) AS n FROM demo.products');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(entry(page, /^1\. SELECT 1 row$/)).toBeVisible();
  expect(await resultColumn(page, 'Result 1: SELECT', 'n')).toEqual(['3']);
  // The history keeps the cancelled run with its error.
  await toolbar(page).getByRole('button', { name: 'History' }).click();
  await page.getByRole('searchbox', { name: 'Search history' }).fill('audit_log a, system.audit_log b');
  await expect(page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first()).toContainText('CANCELLED');
});

test('a large result pages in as the grid scrolls', async ({ page }) => {
  const editor = await openConsole(page);
  await setText(page, editor, 'SELECT audit_id, action FROM system.audit_log');
  await page.keyboard.press('ControlOrMeta+Enter');
  const status = results(page).getByRole('status').filter({ hasText: 'rows loaded' });
  await expect(status).toHaveText('100 rows loaded (more below)');
  const grid = results(page).getByRole('grid', { name: 'Result 1: SELECT' });
  await grid.focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('End');
  // Waits for the next page (the status reads "100 rows loaded" until it arrives).
  await expect.poll(async () => Number((await status.textContent())?.split(' ')[0]?.replaceAll(',', ''))).toBeGreaterThan(100);
  await expect(status).toHaveText(/^[\d,]+ rows loaded \(more below\)$/);
});

test('an error is placed in the editor, typed, after the statements that ran', async ({ page }) => {
  const editor = await openConsole(page);
  await setText(page, editor, 'SELECT 1;\nSELEC id FROM demo.products');
  await toolbar(page).getByRole('button', { name: 'Run all' }).click();
  await expect(entry(page, /^1\. SELECT/)).toBeVisible();
  await expect(entry(page, /^2\. Error SYNTAX$/)).toHaveAttribute('aria-current', 'true');
  await expect(results(page).getByRole('alert')).toContainText('Statement 2 failed: SYNTAX');
  await expect(results(page).getByRole('alert')).toContainText('(line 2, column 1)');
  // The squiggle sits under the offending word (CodeMirror's lint range).
  await expect(editor.locator('.cm-lintRange-error')).toHaveText('SELEC');
});

test('a script of DDL, writes and a flush; DELETE without WHERE runs once confirmed', async ({ page }) => {
  const editor = await openConsole(page);
  const ns = uniqueName('sq');
  await setText(
    page,
    editor,
    `CREATE NAMESPACE ${ns};\nCREATE SHARED TABLE ${ns}.items (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO ${ns}.items (id, name) VALUES (1, 'a'), (2, 'b');\nFLUSH TABLE ${ns}.items`,
  );
  await toolbar(page).getByRole('button', { name: 'Run all' }).click();
  await expect(entry(page, /^1\. CREATE NAMESPACE/)).toBeVisible();
  await expect(entry(page, /^3\. INSERT 2 rows affected$/)).toBeVisible();
  // The job's progress shows inline, to its end, with a link to it.
  await expect(entry(page, /^4\. FLUSH TABLE job FL-/)).toHaveAttribute('aria-current', 'true');
  await expect(results(page).getByRole('link', { name: `Flush ${ns}.items` })).toBeVisible();
  await expect(results(page).getByText('Completed', { exact: true })).toBeVisible({ timeout: 15_000 });
  // The new table reaches the sidebar through the change feed.
  await expect(sidebar(page).getByRole('link', { name: ns, exact: true })).toBeVisible();

  await setText(page, editor, `DELETE FROM ${ns}.items`);
  await page.keyboard.press('ControlOrMeta+Enter');
  const confirm = page.getByRole('alertdialog', { name: 'Run this statement?' });
  await expect(confirm).toContainText(`DELETE FROM ${ns}.items`);
  await confirm.getByRole('button', { name: 'Run anyway' }).click();
  await expect(entry(page, /^1\. DELETE 2 rows affected$/)).toBeVisible();

  await setText(page, editor, `SELECT count(*) AS n FROM ${ns}.items`);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(entry(page, /^1\. SELECT 1 row$/)).toBeVisible();
  expect(await resultColumn(page, 'Result 1: SELECT', 'n')).toEqual(['0']);
});

test('Safe Mode: DELETE without WHERE, DROP and RESTORE ask first; cancelled, nothing is sent', async ({ page }) => {
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

  // With a WHERE, it runs without asking.
  await setText(page, editor, 'DELETE FROM demo.products WHERE id = -1');
  const request = page.waitForRequest(isRun);
  await page.keyboard.press('ControlOrMeta+Enter');
  expect(scriptOf(await request).script).toBe('DELETE FROM demo.products WHERE id = -1');
  await expect(entry(page, /^1\. DELETE 0 rows affected$/)).toBeVisible();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test.describe('subjects', () => {
  test.afterEach(async ({ page }) => {
    await viewAs(page, 'Admin (everything)');
  });

  test('EXECUTE AS runs as that user; the header’s view-as subject applies to every statement', async ({ page }) => {
    const editor = await openConsole(page);
    await setText(page, editor, "EXECUTE AS USER 'alice' (SELECT title FROM demo.notes ORDER BY id)");
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(entry(page, /^1\. EXECUTE AS \(SELECT\) 2 rows$/)).toBeVisible();
    expect(await resultColumn(page, 'Result 1: EXECUTE AS (SELECT)', 'title')).toEqual(['Rotate the backup keys', 'Review the flush policy']);
    await expect(results(page)).toContainText('as admin, EXECUTE AS alice');

    await viewAs(page, 'bob (user)');
    await expect(page.getByRole('main')).toContainText('as bob (user)');
    await setText(page, page.getByRole('textbox', { name: /^SQL of / }), 'SELECT title FROM demo.notes ORDER BY id');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(results(page)).toContainText('as bob (user)');
    expect(await resultColumn(page, 'Result 1: SELECT', 'title')).toEqual(['Groceries', 'Call the plumber']);
  });
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
    const refused = results(page).getByRole('status').filter({ hasText: 'Not run' });
    await expect(refused).toContainText('Read-only mode is on');
    await expect(refused).toContainText("INSERT INTO demo.products (id, name) VALUES (99, 'x')");
    // Schema changes and writing jobs too.
    for (const statement of ['CREATE NAMESPACE nope', 'FLUSH TABLE demo.products']) {
      await setText(page, editor, statement);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(refused).toContainText(statement);
    }
    expect(sent).toHaveLength(0);

    await setText(page, editor, 'SELECT name FROM demo.products WHERE id = 1');
    await page.keyboard.press('ControlOrMeta+Enter');
    expect(await resultColumn(page, 'Result 1: SELECT', 'name')).toEqual(['Keyboard']);
  });
});

test('tabs, saved queries and the searchable history survive a reload', async ({ page }) => {
  const editor = await openConsole(page);
  const tabs = page.getByRole('list', { name: 'Console tabs' });
  const activeTab = tabs.locator('[aria-current="true"]');
  await page.getByRole('button', { name: '+ New tab' }).click();
  const tabName = await activeTab.textContent();
  await setText(page, editor, 'SELECT name FROM demo.products WHERE id = 2');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(entry(page, /^1\. SELECT 1 row$/)).toBeVisible();

  await toolbar(page).getByRole('button', { name: 'Save query' }).click();
  const save = page.getByRole('dialog', { name: 'Save query' });
  await save.getByLabel('Name').fill('mouse by id');
  await save.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('list', { name: 'Saved queries' })).toContainText('mouse by id');

  // Back and forth between tabs, and away from the console and back: each tab keeps its text (and
  // its editor state), and the keys still run (a kept editor state gets this mount's handlers).
  await tabs.getByRole('button', { name: 'Query 1', exact: true }).click();
  await tabs.getByRole('button', { name: tabName ?? '', exact: true }).click();
  await sidebar(page).getByRole('link', { name: 'Overview' }).click();
  await openConsole(page);
  await expect(editor).toHaveText('SELECT name FROM demo.products WHERE id = 2');
  await editor.click();
  const again = page.waitForRequest(isRun);
  await page.keyboard.press('ControlOrMeta+Enter');
  expect(scriptOf(await again).script).toBe('SELECT name FROM demo.products WHERE id = 2');

  await page.reload();
  await openConsole(page);
  await expect(activeTab).toHaveText(tabName ?? '');
  await expect(page.getByRole('textbox', { name: /^SQL of / })).toHaveText('SELECT name FROM demo.products WHERE id = 2');

  await toolbar(page).getByRole('button', { name: 'Saved' }).click();
  await page
    .getByRole('list', { name: 'Saved queries' })
    .getByRole('button', { name: /^mouse by id/ })
    .click();
  await expect(activeTab).toHaveText('mouse by id');

  await toolbar(page).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('list', { name: 'Runs' });
  await page.getByRole('searchbox', { name: 'Search history' }).fill('WHERE id = 2');
  const newest = history.getByRole('listitem').first();
  await expect(newest).toContainText('SELECT name FROM demo.products WHERE id = 2');
  await expect(newest).toContainText('1 row');
  await expect(newest).toContainText('as admin');
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
  await expect(editor.locator('.cm-line')).toHaveText(['SELECT', '  id,', '  name', 'FROM', '  demo.products', 'WHERE', '  id = 1', '']);
});

test.describe('SUBSCRIBE TO', () => {
  test('a live result: rows inserted, updated and deleted elsewhere arrive; system.live_queries lists it until Stop', async ({ page }) => {
    const table = await liveTable(page);
    const editor = await openConsole(page);
    const statement = `SUBSCRIBE TO SELECT id, name FROM demo.${table} ORDER BY id`;
    // At the cursor, in a script of two statements: only the SUBSCRIBE is sent, through sql.subscribe.
    await setText(page, editor, `SELECT 1;\n${statement}`);
    const sent = page.waitForRequest((r) => r.url().endsWith('/rpc/sql/subscribe'));
    await page.keyboard.press('ControlOrMeta+Enter');
    expect(((await sent).postDataJSON() as { json: { script: string } }).json.script).toBe(statement);

    await expect(liveStatus(page)).toHaveText('Live 3 rows');
    expect(await resultColumn(page, LIVE_GRID, 'name')).toEqual(['one', 'two', 'three']);
    await expect(toolbar(page).getByRole('button', { name: 'Cancel' })).toBeVisible();

    await test.step('system.live_queries lists the subscription, with its statement', async () => {
      const rows = await liveQueriesOn(page, table);
      expect(rows).toHaveLength(1);
      expect(rows[0]![1]).toBe(statement);
      expect(rows[0]![2]).toBe('active');
    });

    await test.step('a row inserted elsewhere appears, marked inserted', async () => {
      await runElsewhere(page, `INSERT INTO demo.${table} (id, name) VALUES (4, 'four')`);
      await expect(liveRow(page, 'four')).toHaveAttribute('data-change', 'inserted');
      await expect(liveStatus(page)).toHaveText('Live 4 rows');
    });

    await test.step('a row updated elsewhere shows its new value, and flashes', async () => {
      await runElsewhere(page, `UPDATE demo.${table} SET name = 'TWO' WHERE id = 2`);
      await expect(liveRow(page, 'TWO')).toHaveAttribute('data-change', 'updated');
      expect(await animationOf(liveRow(page, 'TWO'))).toBe('sql-live-flash');
      expect(await resultColumn(page, LIVE_GRID, 'name')).toEqual(['one', 'TWO', 'three', 'four']);
      // The previous batch's mark is gone.
      await expect(liveRow(page, 'four')).not.toHaveAttribute('data-change', /./);
    });

    await test.step('a row deleted elsewhere fades out and goes', async () => {
      await runElsewhere(page, `DELETE FROM demo.${table} WHERE id = 1`);
      await expect(liveStatus(page)).toHaveText('Live 3 rows');
      await expect(liveRow(page, 'one')).toHaveCount(0);
      expect(await resultColumn(page, LIVE_GRID, 'name')).toEqual(['TWO', 'three', 'four']);
    });

    await test.step('Stop ends the subscription: the rows stay, system.live_queries no longer lists it', async () => {
      await results(page).getByRole('button', { name: 'Stop' }).click();
      await expect(liveStatus(page)).toHaveText('Stopped 3 rows');
      await expect(toolbar(page).getByRole('button', { name: 'Cancel' })).toHaveCount(0);
      await expect.poll(() => liveQueriesOn(page, table)).toEqual([]);
      expect(await resultColumn(page, LIVE_GRID, 'name')).toEqual(['TWO', 'three', 'four']);
    });

    await test.step('the run is in the history', async () => {
      await toolbar(page).getByRole('button', { name: 'History' }).click();
      await page.getByRole('searchbox', { name: 'Search history' }).fill(`demo.${table}`);
      await expect(page.getByRole('list', { name: 'Runs' }).getByRole('listitem')).toHaveCount(1);
    });
  });

  test.describe('with reduced motion', () => {
    test.use({ reducedMotion: 'reduce' });

    test('an updated row is marked without a flash, and a deleted row goes at once', async ({ page }) => {
      const table = await liveTable(page);
      const editor = await openConsole(page);
      await setText(page, editor, `SUBSCRIBE TO SELECT id, name FROM demo.${table} ORDER BY id`);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(liveStatus(page)).toHaveText('Live 3 rows');
      await runElsewhere(page, `UPDATE demo.${table} SET name = 'TWO' WHERE id = 2`);
      await expect(liveRow(page, 'TWO')).toHaveAttribute('data-change', 'updated');
      expect(await animationOf(liveRow(page, 'TWO'))).toBe('none');
      await runElsewhere(page, `DELETE FROM demo.${table} WHERE id = 1`);
      await expect(liveStatus(page)).toHaveText('Live 2 rows');
      await expect(liveRow(page, 'one')).toHaveCount(0);
      await results(page).getByRole('button', { name: 'Stop' }).click();
    });
  });

  test('Cancel, closing the tab and leaving the console each end a subscription', async ({ page }) => {
    const table = await liveTable(page);
    await openConsole(page);
    const subscribe = async () => {
      await setText(page, page.getByRole('textbox', { name: /^SQL of / }), `SUBSCRIBE TO SELECT * FROM demo.${table}`);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(liveStatus(page)).toHaveText('Live 3 rows');
      await expect.poll(async () => (await liveQueriesOn(page, table)).length).toBe(1);
    };

    await subscribe();
    await toolbar(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(liveStatus(page)).toHaveText('Stopped 3 rows');
    await expect.poll(async () => (await liveQueriesOn(page, table)).length).toBe(0);

    await page.getByRole('button', { name: '+ New tab' }).click();
    await subscribe();
    const tabs = page.getByRole('list', { name: 'Console tabs' }).getByRole('listitem');
    await tabs
      .last()
      .getByRole('button', { name: /^Close / })
      .click();
    await expect.poll(async () => (await liveQueriesOn(page, table)).length).toBe(0);

    await subscribe();
    await sidebar(page).getByRole('link', { name: 'Overview' }).click();
    await expect.poll(async () => (await liveQueriesOn(page, table)).length).toBe(0);
  });

  test('an error is shown like a statement error, placed in the editor; in a script of several statements it is refused', async ({ page }) => {
    const table = await liveTable(page);
    const editor = await openConsole(page);
    await setText(page, editor, `SUBSCRIBE TO SELECT nope FROM demo.${table}`);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(entry(page, /^1\. Error UNKNOWN_COLUMN$/)).toBeVisible();
    await expect(results(page).getByRole('alert')).toContainText('Statement 1 failed: UNKNOWN_COLUMN');
    await expect(editor.locator('.cm-lintRange-error')).toHaveText('nope');
    expect(await liveQueriesOn(page, table)).toEqual([]);

    // Run all of a script with a SUBSCRIBE among other statements: refused before anything is sent.
    const sent: string[] = [];
    page.on('request', (r) => {
      if (/\/rpc\/sql\/(run|subscribe)$/.test(r.url())) sent.push(r.url());
    });
    await setText(page, editor, `SELECT 1;\nSUBSCRIBE TO SELECT * FROM demo.${table}`);
    await toolbar(page).getByRole('button', { name: 'Run all' }).click();
    const refused = results(page).getByRole('status').filter({ hasText: 'Not run' });
    await expect(refused).toContainText('SUBSCRIBE TO keeps its result open, so it runs on its own');
    await expect(refused).toContainText(`SUBSCRIBE TO SELECT * FROM demo.${table}`);
    expect(sent).toHaveLength(0);
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('the console with results, an error and the history passes axe', async ({ page }) => {
      const editor = await openConsole(page);
      await setText(page, editor, 'SELECT * FROM demo.products;\nSELECT nope FROM demo.products');
      await toolbar(page).getByRole('button', { name: 'Run all' }).click();
      await expect(entry(page, /^2\. Error/)).toBeVisible();
      await toolbar(page).getByRole('button', { name: 'History' }).click();
      await expectAccessible(page, `SQL console with an error (${scheme})`);
      await entry(page, /^1\. SELECT/).click();
      await expect(results(page).getByRole('grid', { name: 'Result 1: SELECT' })).toBeVisible();
      await expectAccessible(page, `SQL console with rows (${scheme})`);
    });

    test('a live result, with an inserted and an updated row, passes axe', async ({ page }) => {
      const table = await liveTable(page);
      const editor = await openConsole(page);
      await setText(page, editor, `SUBSCRIBE TO SELECT id, name FROM demo.${table} ORDER BY id`);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(liveStatus(page)).toHaveText('Live 3 rows');
      await runElsewhere(page, `INSERT INTO demo.${table} (id, name) VALUES (4, 'four');\nUPDATE demo.${table} SET name = 'TWO' WHERE id = 2`);
      await expect(liveRow(page, 'TWO')).toHaveAttribute('data-change', 'updated');
      await expect(liveRow(page, 'four')).toBeVisible();
      await expectAccessible(page, `SQL console with a live result (${scheme})`);
      await results(page).getByRole('button', { name: 'Stop' }).click();
    });
  });
}
