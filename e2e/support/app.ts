/**
 * What the specs do to the app, by accessible role and name only (as a keyboard or screen-reader
 * user would find things), plus a few reads of rendered values.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { TOKEN_STORAGE_KEY } from '../../src/shared/web-session';

let sequence = 0;

/** A name no other test (or earlier run on the same server) has used: lower case, a-z0-9. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence}`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ----- Navigation -------------------------------------------------------------------------------

export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Opens a system table from the sidebar ("users", "audit_log", …) and waits for its first rows. */
export async function openTable(page: Page, name: string): Promise<void> {
  // Read-only tables carry a visually hidden "(read-only)" in their link name.
  await sidebar(page)
    .getByRole('link', { name: new RegExp(`^${escapeRegExp(name)}( \\(read-only\\))?$`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await waitForRows(page);
}

export async function openIndexes(page: Page): Promise<void> {
  await sidebar(page).getByRole('link', { name: 'Indexes', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Indexes' })).toBeVisible();
}

// ----- Grid ---------------------------------------------------------------------------------------

export function grid(page: Page): Locator {
  return page.getByRole('grid');
}

/** The grid's status line ("200 rows loaded (more below)"). */
export function gridStatus(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /rows? loaded/ });
}

/** Waits until the first page is in (no "Loading rows…" overlay, a status line). */
export async function waitForRows(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Loading rows…' })).toHaveCount(0);
  await expect(gridStatus(page)).toBeVisible();
}

/** The rendered body rows (virtualized: only those near the viewport exist). */
export function bodyRows(page: Page): Locator {
  return grid(page).getByRole('rowgroup').nth(1).getByRole('row');
}

/** A rendered row by the text of its key cell (the first column). */
export function rowByKey(page: Page, key: string): Locator {
  return grid(page).getByRole('row', { name: new RegExp(`^${escapeRegExp(key)} `) });
}

async function columnIndex(page: Page, column: string): Promise<string> {
  const index = await grid(page).getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-colindex');
  if (index === null) throw new Error(`column ${column} has no aria-colindex`);
  return index;
}

/** The cell of a rendered row in the named column. */
export async function cell(page: Page, key: string, column: string): Promise<Locator> {
  return rowByKey(page, key).locator(`[role="gridcell"][aria-colindex="${await columnIndex(page, column)}"]`);
}

/** Texts of a column over the rendered rows, top to bottom. */
export async function columnValues(page: Page, column: string): Promise<string[]> {
  const index = await columnIndex(page, column);
  return (await bodyRows(page).locator(`[role="gridcell"][aria-colindex="${index}"]`).allTextContents()).map((t) => t.trim());
}

/** Numeric keys of the rendered rows (audit_log). */
export async function renderedIds(page: Page): Promise<number[]> {
  return (await columnValues(page, 'audit_id')).map(Number);
}

export async function goToKey(page: Page, key: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Go to key' }).fill(key);
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await waitForRows(page);
}

/** Adds a filter through the filter bar (column, operator value, optional value) and applies it. */
export async function addFilter(page: Page, n: number, column: string, op: string, value?: string): Promise<void> {
  const bar = page.getByRole('form', { name: 'Filters' });
  await bar.getByRole('button', { name: '+ Add filter' }).click();
  await bar.getByRole('combobox', { name: `Filter ${n} column` }).selectOption(column);
  await bar.getByRole('combobox', { name: `Filter ${n} operator` }).selectOption(op);
  if (value !== undefined) await bar.getByLabel(`Filter ${n} value`).fill(value);
  await bar.getByRole('button', { name: 'Apply filters' }).click();
}

// ----- Entity actions and the editor ------------------------------------------------------------

/** A button of the entity toolbar ("New", "Edit", "Clone", "Delete", "Set password"). */
export function action(page: Page, name: string): Locator {
  return page.getByRole('toolbar', { name: /actions$/ }).getByRole('button', { name, exact: true });
}

export function notifications(page: Page): Locator {
  return page.getByRole('region', { name: 'Notifications' });
}

/** An editor dialog by its title ("New user", "Edit user u_x", "Clone user u_x"). */
export function dialog(page: Page, title: string | RegExp): Locator {
  return page.getByRole('dialog', { name: title });
}

export function conflictDialog(page: Page): Locator {
  return page.getByRole('alertdialog', { name: 'Changed by someone else' });
}

/** Selects a row by clicking it, then opens the editor with Edit. */
export async function editRow(page: Page, key: string, noun = 'user'): Promise<Locator> {
  await rowByKey(page, key).click();
  await action(page, 'Edit').click();
  const editor = dialog(page, `Edit ${noun} ${key}`);
  // The form (with its Save button) replaces "Loading…" once the stored row and its version are in.
  await expect(editor.getByRole('button', { name: 'Save' })).toBeVisible();
  return editor;
}

export interface NewUser {
  userId: string;
  username: string;
  email?: string;
  role?: 'user' | 'service' | 'dba';
}

/** Creates a user through the New dialog; the grid then shows it (go-to-key on its id). */
export async function createUser(page: Page, user: NewUser): Promise<void> {
  await action(page, 'New').click();
  const editor = dialog(page, 'New user');
  await editor.getByLabel('User ID').fill(user.userId);
  await editor.getByLabel('Username').fill(user.username);
  if (user.email !== undefined) await editor.getByLabel('Email').fill(user.email);
  if (user.role !== undefined) await editor.getByLabel('Role').selectOption(user.role);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(notifications(page)).toContainText(`Created user ${user.userId}.`);
  await expect(rowByKey(page, user.userId)).toBeVisible();
}

// ----- Browser-side reads (strings, so this Node-typed project needs no DOM types) -------------

/** The computed background colour of <body>, as [r, g, b]. */
export async function bodyBackground(page: Page): Promise<[number, number, number]> {
  const css = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) throw new Error(`unexpected background colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Relative luminance (WCAG) of an sRGB colour: 0 is black, 1 is white. */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export interface RpcResult {
  status: number;
  body: string;
}

/** What rpcFromPage needs of the page's window (typed here: this project has no DOM types). */
interface PageWindow {
  sessionStorage: { getItem(key: string): string | null };
}

/**
 * Calls a procedure the way the app's oRPC fetch link does (POST /rpc/<path>, JSON body
 * `{"json": input}`, the tab's token as `Authorization: Bearer`), from inside the page.
 */
export async function rpcFromPage(page: Page, path: string, input: unknown): Promise<RpcResult> {
  return page.evaluate(
    async ({ path, input, storageKey }) => {
      const token = (globalThis as unknown as PageWindow).sessionStorage.getItem(storageKey);
      const res = await fetch(`/rpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ json: input }),
      });
      return { status: res.status, body: await res.text() };
    },
    { path, input, storageKey: TOKEN_STORAGE_KEY },
  );
}
