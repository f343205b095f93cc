/**
 * A sidebar of many tables (issue 17: the command palette within 50 ms with 1,000 tables). The
 * tree's items off screen are skipped by style, layout and paint (content-visibility), so opening
 * a modal no longer restyles every link; yet every table stays a link in the DOM and the
 * accessibility tree: reached by keyboard, by the palette and by clicks, its focus ring in view.
 */
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import type { Locator } from '@playwright/test';
import { expect } from './fixtures';
import { sidebar } from './support/app';
import { expectAccessible } from './support/axe';
import { tablesOf } from './support/data';
import { testWithOwnServer } from './support/own-server';

const NAMESPACES = 3;
const TABLES_PER_NAMESPACE = 100;
const tableName = (t: number) => `orders_${String(t).padStart(3, '0')}`;

const test = testWithOwnServer({
  name: 'sidebar',
  prepare: (dataDir) => {
    const engine = Engine.openDataDir(dataDir);
    try {
      for (let ns = 0; ns < NAMESPACES; ns++) {
        engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: `wide${ns}` });
        for (let t = 0; t < TABLES_PER_NAMESPACE; t++)
          engine.ddl.createTable(SYSTEM_SUBJECT, {
            namespace: `wide${ns}`,
            name: tableName(t),
            type: 'shared',
            columns: [{ name: 'id', type: 'integer', primary_key: true }],
          });
      }
    } finally {
      engine.close();
    }
  },
});

/** What the page is asked (typed here: this project has no DOM types). */
interface Item {
  closest(selector: 'li'): { checkVisibility(options: { contentVisibilityAuto: boolean }): boolean };
}
declare function getComputedStyle(el: unknown): { outlineOffset: string };

/** Whether the element's list item (a tree item, a palette option) is rendered: false while content-visibility skips it off screen. */
const rendered = (link: Locator) => link.evaluate((a) => (a as unknown as Item).closest('li').checkVisibility({ contentVisibilityAuto: true }));

const lastNs = `wide${NAMESPACES - 1}`;
const lastName = tableName(TABLES_PER_NAMESPACE - 1);

test(`the last of ${NAMESPACES * TABLES_PER_NAMESPACE} tables: skipped by rendering off screen, reached by Tab, Enter and the palette; axe in light and dark`, async ({
  page,
}) => {
  test.setTimeout(90_000);
  const last = tablesOf(page, lastNs).getByRole('link', { name: lastName, exact: true });
  // In the DOM and the accessibility tree, with its description, but not rendered while off screen.
  await expect(last).toHaveAccessibleDescription('shared table, 0 rows');
  expect(await rendered(last)).toBe(false);

  // By keyboard: Tab from the table before it; focus brings it into view, rendered.
  await tablesOf(page, lastNs)
    .getByRole('link', { name: tableName(TABLES_PER_NAMESPACE - 2), exact: true })
    .focus();
  await page.keyboard.press('Tab');
  await expect(last).toBeFocused();
  await expect(last).toBeInViewport();
  expect(await rendered(last)).toBe(true);
  // Paint containment clips what overflows an item: the focus ring is drawn inside the link.
  expect(await last.evaluate((a) => getComputedStyle(a).outlineOffset)).toBe('-2px');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `${lastNs}.${lastName}`, exact: true })).toBeVisible();
  await expect(last).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'a sidebar of 300 tables (light)', 'nav[aria-label="Main"]');

  // By the palette: another table far down the tree, then its link is the current one.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('ControlOrMeta+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  // Its options below the list's fold are skipped by rendering too: ↓ brings the chosen one into view.
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
  const chosen = palette.getByRole('option', { selected: true });
  await expect(chosen).toBeInViewport();
  expect(await rendered(chosen)).toBe(true);
  await palette.getByRole('combobox').fill(`${lastNs}.${tableName(50)}`);
  await expect(palette.getByRole('option').first()).toContainText(`${lastNs}.${tableName(50)}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `${lastNs}.${tableName(50)}`, exact: true })).toBeVisible();
  const middle = tablesOf(page, lastNs).getByRole('link', { name: tableName(50), exact: true });
  await expect(middle).toHaveAttribute('aria-current', 'page');
  await expect(last).not.toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'a sidebar of 300 tables (dark)', 'nav[aria-label="Main"]');

  // A click on a link off screen (Playwright scrolls it into view first, as a user would).
  await tablesOf(page, 'wide1')
    .getByRole('link', { name: tableName(77), exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `wide1.${tableName(77)}`, exact: true })).toBeVisible();
  await expect(sidebar(page).getByRole('link', { name: 'Overview' })).toBeVisible();
});
