/**
 * What the data-table specs do to the app (namespaces, tables, rows, staged edits, view as), by
 * accessible role and name only.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { escapeRegExp, grid, notifications, sidebar, waitForRows } from './app';

export interface ColumnSpec {
  name: string;
  type?: 'text' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'json' | 'bytes';
  nullable?: boolean;
  default?: string;
}

export interface TableSpec {
  name: string;
  type: 'shared' | 'user' | 'stream';
  /** Columns after the primary key `id` (integer), which the dialog starts with. */
  columns: ColumnSpec[];
  ttlSeconds?: string;
  accessLevel?: 'public' | 'private' | 'restricted' | 'dba';
}

export function namespaceTree(page: Page): Locator {
  return sidebar(page).getByRole('region', { name: 'Namespaces' });
}

/** Creates a namespace through the sidebar's New namespace dialog (preview first), and opens it. */
export async function createNamespace(page: Page, name: string): Promise<void> {
  await sidebar(page).getByRole('button', { name: 'New namespace' }).click();
  const dialog = page.getByRole('dialog', { name: 'New namespace' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('region', { name: 'Preview of the change' })).toContainText(name);
  await dialog.getByRole('button', { name: 'Create namespace' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

export function createTableDialog(page: Page, namespace: string): Locator {
  return page.getByRole('dialog', { name: `New table in ${namespace}` });
}

/** Fills the column fieldsets of the create dialog: column 1 is the `id` key, then `columns`. */
export async function fillColumns(dialog: Locator, columns: readonly ColumnSpec[]): Promise<void> {
  for (const [i, c] of columns.entries()) {
    const n = i + 2;
    if (n > 2) await dialog.getByRole('button', { name: '+ Add column' }).click();
    const group = dialog.getByRole('group', { name: `Column ${n}` });
    await group.getByLabel('Name').fill(c.name);
    await group.getByLabel('Type').selectOption(c.type ?? 'text');
    const nullable = group.getByRole('checkbox', { name: 'Nullable' });
    if ((c.nullable ?? true) !== (await nullable.isChecked())) await nullable.click();
    if (c.default !== undefined) await group.getByLabel('Default').fill(c.default);
  }
}

/** Creates a table from the namespace's view (New table → preview → Create table) and opens it. */
export async function createTable(page: Page, namespace: string, spec: TableSpec): Promise<string> {
  await page.getByRole('toolbar', { name: 'Namespace actions' }).getByRole('button', { name: 'New table' }).click();
  const dialog = createTableDialog(page, namespace);
  await dialog.getByLabel('Table name').fill(spec.name);
  await dialog.getByRole('radio', { name: new RegExp(`^${spec.type}`, 'i') }).check();
  await fillColumns(dialog, spec.columns);
  if (spec.ttlSeconds !== undefined) await dialog.getByLabel('Time to live (seconds)').fill(spec.ttlSeconds);
  if (spec.accessLevel !== undefined) await dialog.getByRole('combobox', { name: 'Access level' }).selectOption(spec.accessLevel);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Preview of the change' });
  await expect(preview).toContainText(`${namespace}.${spec.name}`);
  await dialog.getByRole('button', { name: 'Create table' }).click();
  await expect(dialog).toBeHidden();
  const table = `${namespace}.${spec.name}`;
  await expect(page.getByRole('heading', { level: 1, name: table, exact: true })).toBeVisible();
  await waitForRows(page);
  return table;
}

/** Opens a data table from the namespace tree. */
export function tablesOf(page: Page, namespace: string): Locator {
  return namespaceTree(page).getByRole('list', { name: `Tables of ${namespace}` });
}

export async function openDataTable(page: Page, table: string): Promise<void> {
  const namespace = table.slice(0, table.indexOf('.'));
  const name = table.slice(table.indexOf('.') + 1);
  await tablesOf(page, namespace).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: table, exact: true })).toBeVisible();
  await waitForRows(page);
}

export function rowActions(page: Page): Locator {
  return page.getByRole('toolbar', { name: 'Row actions' });
}

/** A rendered grid row containing a cell with exactly this text. */
export function rowWithCell(page: Page, text: string): Locator {
  return grid(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: text, exact: true }) });
}

/** Adds a row through New row: values by field label; `owner` for user/stream tables as the admin. */
export async function addRow(page: Page, table: string, values: Record<string, string>, owner?: string): Promise<void> {
  await rowActions(page).getByRole('button', { name: 'New row' }).click();
  const dialog = page.getByRole('dialog', { name: `New row in ${table}` });
  if (owner !== undefined) await pickOwner(dialog, owner);
  for (const [label, value] of Object.entries(values)) {
    const choice = dialog.getByRole('combobox', { name: label, exact: true });
    if ((await choice.count()) > 0) await choice.selectOption(value);
    else await dialog.getByRole('textbox', { name: label, exact: true }).fill(value);
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(notifications(page)).toContainText('Created row');
}

/** Picks the owner of a new user or stream row by user id: searched for, then chosen from the list of users. */
export async function pickOwner(dialog: Locator, userId: string): Promise<void> {
  await dialog.getByRole('searchbox', { name: 'Search users by username or user ID' }).fill(userId);
  const list = dialog.getByRole('listbox', { name: 'Owner' });
  await expect(list.getByRole('option', { name: new RegExp(` — ${escapeRegExp(userId)}$`) })).toBeVisible();
  await list.selectOption(userId);
}

/** Double-clicks a cell (by the text of another cell of its row and the column), types, presses Enter. */
export async function editCell(page: Page, rowText: string, column: string, value: string): Promise<void> {
  const index = await grid(page).getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-colindex');
  const target = rowWithCell(page, rowText).locator(`[role="gridcell"][aria-colindex="${index}"]`);
  await target.dblclick();
  const input = grid(page).getByRole('textbox', { name: new RegExp(`^Edit ${escapeRegExp(column)} of row`) });
  await input.fill(value);
  await input.press('Enter');
  await expect(input).toBeHidden();
}

export function pendingChanges(page: Page): Locator {
  return page.getByRole('region', { name: 'Pending changes' });
}

export async function viewAs(page: Page, option: string): Promise<void> {
  await page.getByRole('banner').getByLabel('View as').selectOption({ label: option });
}

/** Opens a namespace's view from the tree. */
export async function openNamespace(page: Page, namespace: string): Promise<void> {
  await namespaceTree(page).getByRole('link', { name: namespace, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: namespace, exact: true })).toBeVisible();
}
