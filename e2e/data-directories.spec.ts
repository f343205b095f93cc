/**
 * Several data directories: a new empty one is made with the demo data and opened without a
 * restart (its tables, the header and the window title follow), and the app switches back through
 * the recent list and the command palette; staged edits are asked about first.
 */
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { grid, notifications, sidebar } from './support/app';
import { editCell, openDataTable, pendingChanges, rowWithCell, tablesOf } from './support/data';
import { expectAccessible } from './support/axe';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const test = testWithOwnServer({ name: 'data-dirs', prepare: seedDemoData });

const header = (page: Page) => page.getByRole('banner');

async function expectOpen(page: Page, name: string, path: string): Promise<void> {
  const link = header(page).getByRole('link', { name: `Data ${name}`, exact: true });
  await expect(link).toHaveAccessibleDescription(path);
  await expect(link).toHaveAttribute('title', path);
  await expect(link).toContainText(name);
  await expect(page).toHaveTitle(`${name} — Kalam Studio`);
}

async function openStart(page: Page): Promise<void> {
  await sidebar(page).getByRole('link', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Data directories' })).toBeVisible();
}

test('a new directory with the demo, switched to and back via recent, staged edits asked about first', async ({ page, ownServer }) => {
  test.setTimeout(90_000);
  const first = ownServer.dataDir;
  const second = join(ownServer.dir, 'second');

  await test.step('the header and the title name the open directory', async () => {
    await page.goto('/#/');
    await expectOpen(page, 'data', first);
  });

  await test.step('the Start page is accessible, light and dark', async () => {
    await openStart(page);
    await expectAccessible(page, 'start page (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'start page (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('a bad path is refused by the main process, and nothing changes', async () => {
    const open = page.getByRole('region', { name: 'Open data directory' });
    await open.getByRole('textbox', { name: 'Data directory (absolute path)' }).fill(join(ownServer.dir, 'nowhere'));
    await open.getByRole('button', { name: 'Open' }).click();
    await expect(notifications(page)).toContainText('does not exist');
    await expectOpen(page, 'data', first);
  });

  await test.step('New empty directory with the demo: created, opened, its tables shown', async () => {
    const create = page.getByRole('region', { name: 'New empty directory' });
    await create.getByRole('textbox', { name: 'New data directory (absolute path)' }).fill(second);
    await expect(create.getByRole('checkbox', { name: /Add the demo data/ })).toBeChecked();
    await create.getByRole('button', { name: 'Create and open' }).click();
    await expectOpen(page, 'second', second);
    await expect(notifications(page)).toContainText(`Created and opened second (${second}).`);
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(tablesOf(page, 'demo').getByRole('link', { name: 'products', exact: true })).toBeVisible();
    await openDataTable(page, 'demo.products');
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
  });

  await test.step('switching with staged edits asks first; keeping them stays here', async () => {
    await editCell(page, 'Keyboard', 'name', 'Keyboard 2');
    await expect(pendingChanges(page).getByRole('status')).toHaveText('1 staged change in 1 row');
    await openStart(page);
    const recent = page.getByRole('list', { name: 'Recent data directories' });
    await expect(recent.getByRole('listitem').filter({ hasText: first })).toContainText('data');
    await recent.getByRole('button', { name: 'Open data' }).click();
    const prompt = page.getByRole('alertdialog', { name: 'Discard your staged edits?' });
    await expect(prompt).toContainText('1 table has staged edits that are not applied');
    await expectAccessible(page, 'staged edits prompt', 'dialog[open]');
    await prompt.getByRole('button', { name: 'Keep editing' }).click();
    await expect(prompt).toBeHidden();
    await expectOpen(page, 'second', second);
    await openDataTable(page, 'demo.products');
    await expect(pendingChanges(page).getByRole('status')).toHaveText('1 staged change in 1 row');
  });

  await test.step('discarding them switches back to the first directory, through the recent list', async () => {
    await openStart(page);
    await page.getByRole('list', { name: 'Recent data directories' }).getByRole('button', { name: 'Open data' }).click();
    await page.getByRole('alertdialog', { name: 'Discard your staged edits?' }).getByRole('button', { name: 'Discard and open data' }).click();
    await expectOpen(page, 'data', first);
    await expect(notifications(page)).toContainText(`Opened data (${first}).`);
    await openDataTable(page, 'demo.products');
    await expect(rowWithCell(page, 'Keyboard')).toBeVisible();
    await expect(pendingChanges(page)).toHaveCount(0);
  });

  await test.step('the command palette offers the recent directory', async () => {
    await grid(page).click();
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: /command palette/i });
    await palette.getByRole('combobox').fill('Open recent: second');
    await palette.getByRole('option', { name: /Open recent: second/ }).click();
    await expectOpen(page, 'second', second);
  });
});
