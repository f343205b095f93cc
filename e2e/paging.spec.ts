/**
 * The seeded 100k-row audit_log through the virtualized grid: the count is capped ("≥ 100,000"),
 * pages load as the grid scrolls (and old ones are dropped), go-to-key jumps near the end, and
 * scrolling on from there reaches the very last row.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { bodyRows, goToKey, grid, gridStatus, openTable, renderedIds, rowByKey } from './support/app';

/**
 * Scrolls the grid down with the mouse wheel, a turn at a time, until `done` holds for the rendered
 * ids. A turn that moves nothing (a wheel animation cut short when the grid re-anchors its scroll
 * position after dropping a page) is simply repeated; five in a row fail the test.
 */
async function wheelDownUntil(page: Page, done: (ids: number[]) => boolean, maxTurns = 200): Promise<number[]> {
  const box = await grid(page).boundingBox();
  if (!box) throw new Error('grid not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  let ids = await renderedIds(page);
  let idle = 0;
  for (let turn = 0; turn < maxTurns && !done(ids); turn++) {
    const before = ids.at(-1);
    await page.mouse.wheel(0, 6_000);
    // Wait for the virtualizer to render further rows (a new page may have to load first).
    const moved = await expect
      .poll(async () => (await renderedIds(page)).at(-1), { timeout: 2_000 })
      .not.toBe(before)
      .then(
        () => true,
        () => false,
      );
    idle = moved ? 0 : idle + 1;
    if (idle >= 5) throw new Error(`scrolling stopped at audit_id ${before}`);
    ids = await renderedIds(page);
  }
  return ids;
}

test.beforeEach(async ({ page }) => {
  await openTable(page, 'audit_log');
});

test('a capped count, then scrolling a long way loads pages on demand with a small DOM', async ({ page }) => {
  await expect(page.getByRole('main').getByText('≥ 100,000 rows')).toBeVisible();
  await expect(page.getByRole('main').getByText('≥ 100,000 rows')).toHaveAttribute('title', 'Counting stopped at 100,000');
  // aria-rowcount -1: the number of rows is not known (the count stopped at its cap).
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '-1');
  await expect(gridStatus(page)).toHaveText('200 rows loaded (more below)');

  expect((await renderedIds(page))[0]).toBe(0);
  // 3,000 rows: past the 10 pages (2,000 rows) the grid keeps, so the first pages get dropped.
  const ids = await wheelDownUntil(page, (ids) => (ids.at(-1) ?? 0) >= 3_000);
  expect(ids.at(-1)).toBeGreaterThanOrEqual(3_000);
  // Rendered ids are consecutive: no page was skipped or repeated.
  expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
  // Virtualized: a few dozen rows in the DOM, not thousands.
  expect(await bodyRows(page).count()).toBeLessThan(100);
  // Older pages were dropped from memory: the grid can load them again above.
  await expect(gridStatus(page)).toContainText('(more above)');
  await expect(gridStatus(page)).toContainText('(more below)');
  // aria-rowindex follows the row's place in the whole result (header = 1, audit_id 0 = 2).
  const last = ids.at(-1) ?? 0;
  await expect(rowByKey(page, String(last))).toHaveAttribute('aria-rowindex', String(last + 2));

  // And back up: the dropped pages are fetched again.
  const firstBefore = ids[0] ?? 0;
  await page.mouse.wheel(0, -30_000);
  await expect.poll(async () => (await renderedIds(page))[0], { timeout: 10_000 }).toBeLessThan(firstBefore);
});

test('go to key 99000, then scroll to the last row of the table', async ({ page, server }) => {
  await goToKey(page, '99000');
  // The grid opens at the key (the page before it loads above), selected and shown in the details.
  await expect(rowByKey(page, '99000')).toHaveAttribute('aria-selected', 'true');
  await expect(rowByKey(page, '99000')).toBeInViewport();
  await expect(page.getByRole('heading', { name: 'Row 99000' })).toBeVisible();
  await expect(page.getByText('from key “99000”')).toBeVisible();
  await expect(gridStatus(page)).toContainText('(more below)');

  // Scroll down until there is nothing more below: the end of the table.
  const box = await grid(page).boundingBox();
  if (!box) throw new Error('grid not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let turn = 0; turn < 40; turn++) {
    if (!(await gridStatus(page).textContent())?.includes('more below')) break;
    await page.mouse.wheel(0, 8_000);
    await page.waitForTimeout(100);
  }
  await expect(gridStatus(page)).not.toContainText('more below');
  const ids = await renderedIds(page);
  // Every seeded entry is there (tests that write append more audit entries after them).
  expect(ids.at(-1)).toBeGreaterThanOrEqual(server.lastSeededAuditId);
  expect(ids.every((id) => id >= 99_000)).toBe(true);
  // 99,000 → ≥ 100,003 is over 1,000 rows: several pages were loaded on the way.
  expect(Number(/^([\d,]+) rows loaded/.exec((await gridStatus(page).textContent()) ?? '')?.[1]?.replace(/,/g, ''))).toBeGreaterThan(1_000);

  // Back to the start of the table.
  await page.getByRole('button', { name: 'Back to start' }).click();
  await expect.poll(async () => (await renderedIds(page))[0]).toBe(0);
});

test('a link to a key opens at that key, also when that key was shown before', async ({ page }) => {
  for (const visit of ['first visit', 'again (after a refresh and leaving)']) {
    await test.step(visit, async () => {
      await page.goto('/#/table/system.audit_log/at/50000');
      await expect(rowByKey(page, '50000')).toHaveAttribute('aria-selected', 'true');
      await expect(rowByKey(page, '50000')).toBeInViewport();
      await expect(page.getByRole('heading', { name: 'Row 50000' })).toBeVisible();
      // Refetch the pages (as a live update would), then leave.
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(gridStatus(page)).not.toContainText('loading');
      await openTable(page, 'users');
    });
  }
});
