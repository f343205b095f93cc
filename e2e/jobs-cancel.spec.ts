/**
 * Cancelling a long job from the UI. Runs its own web-mode server on its own data directory, seeded
 * with a large stream table whose rows have all expired, so the eviction runs long enough (in a
 * worker thread) to be cancelled half way; the shared server's data is left alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/main/engine/engine';
import { seedExpiredStream } from '../src/main/engine/testing/expired-stream.test-support';
import { TableIdKey } from '../src/shared/keys/table-id';
import { expect, signIn, test } from './fixtures';
import { startWebMode, stopWebMode } from './support/web-mode';

const USERS = 40;
const ROWS_PER_USER = 10_000;
const TOTAL = USERS * ROWS_PER_USER;

test('cancel a running eviction: it stops at a batch boundary and can be retried', async ({ browser }) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'kalam-e2e-cancel-'));
  const dataDir = join(dir, 'data');
  let pid: number | undefined;
  try {
    await test.step(`seed ${TOTAL.toLocaleString('en-US')} expired stream rows`, () => {
      seedExpiredStream(dataDir, 'load', USERS, ROWS_PER_USER);
    });

    const server = await startWebMode(dataDir, join(dir, 'server.log'), ['--no-demo']);
    pid = server.pid;
    const context = await browser.newContext({ baseURL: new URL(server.url).origin });
    const page = await context.newPage();
    await signIn(page, { url: server.url, origin: new URL(server.url).origin, lastSeededAuditId: 0 });

    await test.step('start the eviction and cancel it while it runs', async () => {
      await page.goto('/#/jobs');
      await page.getByRole('group', { name: 'Start a job' }).getByRole('button', { name: 'Evict expired rows' }).click();
      const row = page.getByRole('table', { name: 'Jobs, newest first' }).getByRole('row').filter({ hasText: 'Evict expired stream rows' }).first();
      await expect(row.getByText('Running', { exact: true })).toBeVisible({ timeout: 20_000 });
      // Live progress: the phase and a count, streamed from the worker.
      await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuetext', /evicting load\.events: [\d,]+/, { timeout: 20_000 });
      await row.getByRole('button', { name: /^Cancel / }).click();
      await expect(row.getByText('Cancelled', { exact: true })).toBeVisible({ timeout: 20_000 });
      await expect(row).toContainText('cancelled');
      await expect(page.getByRole('banner').getByRole('link', { name: 'No jobs running' })).toBeVisible();
    });

    await test.step('retry it as a new job, which finishes the work', async () => {
      const cancelled = page.getByRole('table', { name: 'Jobs, newest first' }).getByRole('row').filter({ hasText: 'Cancelled' }).first();
      await cancelled.getByRole('button', { name: /^Retry / }).click();
      const rows = page.getByRole('table', { name: 'Jobs, newest first' }).getByRole('row').filter({ hasText: 'Evict expired stream rows' });
      await expect(rows).toHaveCount(2);
      await expect(rows.first().getByText('Completed', { exact: true })).toBeVisible({ timeout: 60_000 });
    });
    await context.close();
    await stopWebMode(pid);
    pid = undefined;

    // The cancelled pass removed whole batches and stopped; the retry removed the rest.
    const engine = Engine.openDataDir(dataDir);
    try {
      const jobs = engine.system.jobs.list({ limit: 10 }).items;
      expect(jobs.map((j) => j.status)).toEqual(['completed', 'cancelled']);
      const [done, cancelled] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
      const first = cancelled.progress?.done ?? 0;
      const second = (done.result as { evicted: number }).evicted;
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(0);
      expect(engine.backend.count(engine.data.stream(TableIdKey.parse('load.events')).partition)).toBe(0);
      expect(TOTAL - second).toBeGreaterThanOrEqual(first);
      expect((TOTAL - second) % 1000).toBe(0);
    } finally {
      engine.close();
    }
  } finally {
    if (pid !== undefined) await stopWebMode(pid);
    rmSync(dir, { recursive: true, force: true });
  }
});
