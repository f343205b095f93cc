/**
 * The seeded 100k-row audit_log through the virtualized grid: the count is capped ("≥ 100,000"),
 * pages load as the grid scrolls (and old ones are dropped), go-to-key jumps near the end, and
 * scrolling on from there reaches the very last row.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { bodyRows, goToKey, grid, gridStatus, openTable, renderedIds, rowByKey, waitForRows } from './support/app';

/**
 * Each rendered row's aria-rowindex against its audit_id (audit_id n is the n-th row: index n + 2),
 * read in one go from the DOM as it is, without retrying: a render that numbered its rows with a
 * stale offset shows here.
 */
async function expectRowIndexesMatchIds(page: Page): Promise<void> {
  // (The e2e code is typed without the DOM library: the elements' shape is spelled out.)
  type RowElement = { querySelector(selector: string): { textContent: string | null } | null; getAttribute(name: string): string | null };
  const rows = await bodyRows(page).evaluateAll((els: RowElement[]) =>
    els.map((el) => ({ id: Number(el.querySelector('[role="gridcell"]')?.textContent), index: Number(el.getAttribute('aria-rowindex')) })),
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.index !== r.id + 2)).toEqual([]);
}

/**
 * Scrolls the grid down with the mouse wheel, a turn at a time, until `done` holds for the rendered
 * ids, checking the rows' aria-rowindex after every turn. Dropping pages above never moves the
 * scroll position, so a turn is not cut short; a turn that moves nothing (the next page still on
 * its way on a slow machine) is repeated, five in a row fail the test.
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
    await expectRowIndexesMatchIds(page);
    ids = await renderedIds(page);
  }
  return ids;
}

test.beforeEach(async ({ page }) => {
  await openTable(page, 'audit_log');
  // audit_log opens newest first; these tests page it in key order.
  await page.getByRole('button', { name: 'Clear sort' }).click();
  await waitForRows(page);
});

test('a capped count, then scrolling a long way loads pages on demand with a small DOM', async ({ page }) => {
  // Some 60 wheel turns, each waiting for rows (and now and then a page): slow on a busy 2-core box.
  test.setTimeout(90_000);
  await expect(page.getByRole('main').getByText('≥ 100,000 rows')).toBeVisible();
  await expect(page.getByRole('main').getByText('≥ 100,000 rows')).toHaveAttribute('title', 'Counting stopped at 100,000');
  // aria-rowcount -1: the number of rows is not known (the count stopped at its cap).
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '-1');
  // The first page is a short one (100 rows); later pages have 200.
  await expect(gridStatus(page)).toHaveText('100 rows loaded (more below)');

  expect((await renderedIds(page))[0]).toBe(0);
  // 3,000 rows: past the 10 pages (1,900 rows: a first page of 100, then 200 each) the grid keeps, so the first pages get dropped.
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
  // Until the last page is in and the view is at its end (the last page may arrive after the
  // wheel turn that reached the previous end).
  const atEnd = async () =>
    !(await gridStatus(page).textContent())?.includes('more below') && ((await renderedIds(page)).at(-1) ?? 0) >= server.lastSeededAuditId;
  await expect(async () => {
    await page.mouse.wheel(0, 8_000);
    expect(await atEnd()).toBe(true);
  }).toPass({ intervals: [100], timeout: 30_000 });
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
