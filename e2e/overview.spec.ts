/**
 * The storage dashboard: the Overview finds a compaction candidate, its link leads to the table's
 * Storage tab, and the compaction's dry run says what the compaction then does. On this file's own
 * server: a table flushed twice through the CLI (two small segments: a candidate).
 */
import { expect, type Page } from '@playwright/test';
import { runCli, seedDemoData, testWithOwnServer } from './support/own-server';

const TABLE = 'load.items';

const test = testWithOwnServer({
  name: 'overview',
  prepare: (dataDir) => {
    seedDemoData(dataDir);
    runCli(dataDir, ['seed', TABLE, '--rows', '300']);
    runCli(dataDir, ['flush', TABLE]);
    runCli(dataDir, ['seed', TABLE, '--rows', '200']);
    runCli(dataDir, ['flush', TABLE]);
    runCli(dataDir, ['seed', TABLE, '--rows', '40']);
  },
});

/** The numbers of a sentence, in order ("2 segments … 1.5 KiB … 500 rows" → [2, 1.5, 500]). */
function numbers(text: string): number[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(',', '')));
}

async function card(page: Page, testId: string) {
  const c = page.getByTestId(testId);
  await expect(c).toBeVisible();
  return c;
}

test('follow a compaction candidate from the Overview to its Storage tab; the dry runs match what the jobs do', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/#/');

  await test.step('the Overview shows the tiers and the candidate, as charts and as tables', async () => {
    const tiers = await card(page, 'tiers-card');
    await expect(tiers.getByRole('img', { name: 'Hot and cold rows per table' })).toBeVisible();
    await tiers.getByRole('button', { name: 'Show as table' }).click();
    // Exact counts from the counters and the manifest: 40 hot rows, 500 flushed in two segments.
    await expect(tiers.getByRole('row', { name: new RegExp(`^${TABLE.replace('.', '\\.')} shared 40 0 .* 500 .* 2$`) })).toBeVisible();

    const segments = await card(page, 'segments-card');
    await expect(segments).toContainText('1 compaction candidate');
    await segments.getByRole('button', { name: 'Show as table' }).click();
    const row = segments.getByRole('row').filter({ hasText: TABLE });
    await expect(row).toContainText('2 segments smaller than 1 MB');
    await row.getByRole('link', { name: TABLE }).click();
  });

  await expect(page).toHaveURL(new RegExp(`#/storage/${TABLE}$`));
  const storage = page.getByTestId('storage-tab');
  await expect(storage.getByRole('table', { name: `Segments of ${TABLE}` }).getByRole('row')).toHaveCount(3);

  await test.step('compaction: the dry run names the segments and rows the job then merges and reads', async () => {
    const preview = storage.getByTestId('compact-preview');
    await expect(preview).toContainText(/Compact would merge 2 segments into one, saving about .+ and reading 500 rows\./);
    const [segments, , rows] = numbers((await preview.textContent()) ?? '');
    await storage.getByRole('button', { name: 'Compact now' }).click();
    const outcome = storage.getByTestId('outcome-compact');
    await expect(outcome).toContainText(/merged 2 segments into 1 file, saving .+ and reading 500 rows\./, { timeout: 30_000 });
    const done = numbers((await outcome.textContent()) ?? '');
    // CP-<digits…> comes first: the merge's numbers follow it.
    expect([done.at(-4), done.at(-1)]).toEqual([segments, rows]);
    await expect(preview).toHaveText('Compact would do nothing: no scope has two segments or more.');
    await expect(storage.getByRole('table', { name: `Segments of ${TABLE}` }).getByRole('row')).toHaveCount(2);
  });

  await test.step('flush: the dry run names the rows, files and hot rows the job then writes and removes', async () => {
    const preview = storage.getByTestId('flush-preview');
    await expect(preview).toContainText(/Flush now would write 40 rows into 1 file of about .+, and remove 40 hot rows\./);
    await storage.getByRole('button', { name: 'Flush now' }).click();
    await expect(storage.getByTestId('outcome-flush')).toContainText(/wrote 40 rows into 1 file \(.+\), and removed 40 hot rows\./, { timeout: 30_000 });
    await expect(preview).toHaveText('Flush now would write nothing: the table has no hot rows.');
  });

  await test.step('the manifest.json of the scope lists its segments', async () => {
    await expect(storage.getByTestId('manifest-json')).toContainText('"table": "load.items"');
  });
});

/**
 * A point (page coordinates) of the chart with this test id where the pointer is over a mark that
 * takes clicks: zrender shows the pointer cursor there. Rows across the plot are swept in the page,
 * 2 px apart (in the page: thousands of pointer moves).
 */
async function markPoint(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const el = document.querySelector('[data-testid="${testId}"]');
    const root = el.firstElementChild;
    const box = el.getBoundingClientRect();
    for (const fy of [0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8]) {
      for (let x = box.left + 1; x < box.right; x += 2) {
        const y = box.top + box.height * fy;
        root.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
        if (root.style.cursor === 'pointer') return { x, y };
      }
    }
    return null;
  })()`);
  expect(point, 'a mark to click in the chart').not.toBeNull();
  return point!;
}

test('a bar of the job timeline opens its job', async ({ page }) => {
  await page.goto('/#/');
  const jobs = await card(page, 'jobs-card');
  // The timeline is below the fold: its chart is set up once scrolled to.
  await jobs.scrollIntoViewIfNeeded();
  const chart = jobs.getByTestId('jobs-chart');
  await expect(chart.locator('canvas')).toHaveCount(1);
  const { x, y } = await markPoint(page, 'jobs-chart');
  // The tooltip names the job under the pointer; the click opens that one.
  await page.mouse.move(x, y);
  // "<id> <kind> <table>: <status>, …" (the CLI's flushes of load.items at least).
  const tip = /([A-Z]{2}-[\w-]+) (\w+) ([\w.]+): /;
  await expect(chart).toContainText(tip);
  const [, id, kind, table] = tip.exec((await chart.textContent()) ?? '')!;
  await page.mouse.click(x, y);
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  const details = page.getByRole('table', { name: `Job ${id}` });
  await expect(details).toBeVisible();
  await expect(details).toContainText(new RegExp(`${kind} ${table!.replace('.', '\\.')}`, 'i'));
});

test("a point of the database's sizes over time opens that sample's exact sizes in the card's table", async ({ page }) => {
  await page.goto('/#/');
  const database = await card(page, 'database-card');
  await database.scrollIntoViewIfNeeded();
  const chart = database.getByTestId('database-chart');
  await expect(chart.locator('canvas')).toHaveCount(1);
  const box = (await chart.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
  // The card now shows its table, with the sample clicked picked out and focused.
  await expect(database.getByRole('button', { name: 'Show chart' })).toHaveAttribute('aria-pressed', 'true');
  const picked = database.locator('tbody tr[aria-current="true"]');
  await expect(picked).toHaveCount(1);
  await expect(picked).toBeFocused();
  await expect(picked.getByRole('cell')).toHaveText([/\d:\d{2}/, /^\d+(\.\d+)? (B|KiB|MiB|GiB)$/, /B$/, /B$/]);
});

test('the rows-per-user request goes out before the charts on screen are set up, not behind them', async ({ page }) => {
  // Before the app: note when stats.users is first asked for, and when a chart first puts a canvas in the page.
  await page.addInitScript(`(() => {
    const marks = {};
    window.__marks = marks;
    const fetch = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/rpc/stats/users')) marks.usersAt ??= performance.now();
      return fetch(input, init);
    };
    const appendChild = Node.prototype.appendChild;
    Node.prototype.appendChild = function (child) {
      if (child instanceof HTMLCanvasElement) marks.canvasAt ??= performance.now();
      return appendChild.call(this, child);
    };
  })()`);
  // A new document, so the script above runs in it (the page is signed in on this origin already).
  await page.goto('about:blank');
  await page.goto('/#/');
  const users = await card(page, 'users-card');
  await expect(users).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.getByTestId('tiers-chart').locator('canvas')).toHaveCount(1);
  const marks = await page.evaluate<{ usersAt?: number; canvasAt?: number }>('window.__marks');
  expect(marks.usersAt, 'stats.users asked for').toBeDefined();
  expect(marks.canvasAt, 'a chart set up').toBeDefined();
  expect(marks.usersAt!).toBeLessThan(marks.canvasAt!);
});

test('opened from another page, the Overview asks for rows per user alongside the overview, not after its answer', async ({ page }) => {
  // Before the app: note when stats.users is first asked for, and when the first stats.overview is answered.
  await page.addInitScript(`(() => {
    const marks = {};
    window.__marks = marks;
    const fetch = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/rpc/stats/users')) marks.usersAt ??= performance.now();
      const answer = fetch(input, init);
      if (url.includes('/rpc/stats/overview')) void answer.then(() => (marks.overviewAt ??= performance.now()));
      return answer;
    };
  })()`);
  await page.goto('about:blank');
  await page.goto('/#/schedules');
  // The sidebar's table list is in (it names the first user table).
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await expect(sidebar.locator('a[href^="#/table/"]').first()).toBeVisible();
  await sidebar.locator('a[href="#/"]').click();
  const users = await card(page, 'users-card');
  await expect(users).not.toHaveAttribute('aria-busy', 'true');
  await expect(users.getByRole('img', { name: /^Rows per user of / })).toBeVisible();
  const marks = await page.evaluate<{ usersAt?: number; overviewAt?: number }>('window.__marks');
  expect(marks.overviewAt, 'stats.overview answered').toBeDefined();
  expect(marks.usersAt, 'stats.users asked for').toBeDefined();
  expect(marks.usersAt!).toBeLessThan(marks.overviewAt!);
});
