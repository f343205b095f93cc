/**
 * Data directories suite: opening another data directory of 1M rows, from the click on Open until
 * that directory's Overview is drawn, in real Chromium against the built web mode.
 *
 * The app starts on a small demo directory; each trial fills the Start page's path with the 1M-row
 * directory (a snapshot of the app suite's audit_log dataset, so another run's server never holds
 * its lock), clicks Open and times, in epoch ms taken in the pages themselves, from the click (old
 * document) to the Overview drawn in the reloaded document (bench/app/probe.js overviewDrawnAt: every
 * card in, every chart's canvas, + the next frame). The main process meanwhile closes the demo
 * directory's engine and opens the big one. Then it switches back, untimed. One untimed trial first.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { dataDirLayout, Engine } from '../src/main/engine/engine';
import { seedDemo } from '../src/main/services/demo';
import { launch, settle, signedInPage } from './app/browser';
import { auditLogDataset } from './app/dataset';
import { buildApp, startServer } from './app/server';
import { type Figure, round, summaryFigure } from './lib/figures';
import { percentile } from './lib/stats';
import type { BenchContext } from './lib/suite';

/** The budget from the brief (issue 17): another data directory of 1M rows open to the Overview within 1 s. */
const BUDGET_MS = 1000;
const STEP_TIMEOUT_MS = 60_000;

/** Opens `dataDir` from the Start page; resolves with the click's epoch ms and the Overview's draw in the new document. */
async function switchTo(page: Page, dataDir: string, name: string): Promise<{ clicked: number; drawn: number }> {
  await page.goto(`${new URL(page.url()).origin}/#/start`);
  const form = page.getByRole('region', { name: 'Open data directory' });
  await form.getByRole('textbox', { name: 'Data directory (absolute path)' }).fill(dataDir);
  // A directory's saved tabs would bring back its last tab: each trial opens it as a first time does, on its Overview.
  await page.evaluate(`localStorage.removeItem(${JSON.stringify(`kalam.tabs.${dataDir}`)})`);
  await settle(page);
  const loaded = page.waitForEvent('load', { timeout: STEP_TIMEOUT_MS });
  // Clicked in the page, so the clock starts with the click itself (no CDP round trip inside).
  const clicked = await page.evaluate<number>(
    `(() => { document.querySelector('section[aria-labelledby="start-open"] button[type="submit"]').click(); return performance.timeOrigin + performance.now(); })()`,
  );
  await loaded;
  // A function, not a string: the app's CSP forbids eval.
  await page.waitForFunction(
    (title) => {
      const g = globalThis as unknown as { document: { title: string }; __kalamBench: { overviewDrawnAt?: number } };
      return g.document.title === title && g.__kalamBench.overviewDrawnAt !== undefined;
    },
    `${name} — Kalam Studio`,
    { timeout: STEP_TIMEOUT_MS },
  );
  const drawn = await page.evaluate<number>('window.__kalamBench.overviewDrawnAt');
  return { clicked, drawn };
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const trials = ctx.quick ? 2 : 9;
  const rows = ctx.quick ? 100_000 : 1_000_000;
  const log = (m: string) => ctx.log(m);
  const dataset = auditLogDataset(rows, log);
  const work = mkdtempSync(join(tmpdir(), 'kalam-bench-datadirs-'));
  // The recent list goes to the bench's own settings folder, never the user's.
  const settingsBefore = process.env['KALAM_SETTINGS_DIR'];
  process.env['KALAM_SETTINGS_DIR'] = join(work, 'settings');
  const small = join(work, 'demo');
  const big = join(work, 'big');
  const engine = Engine.openDataDir(small);
  try {
    seedDemo(engine);
  } finally {
    engine.close();
  }
  // A consistent copy through SQLite's backup API: another run's server may have the cached dataset open (and hold its lock).
  mkdirSync(big, { recursive: true });
  const source = Engine.open({ ...dataDirLayout(dataset.dataDir), sqlite: { readonly: true }, secondary: true });
  try {
    await source.backend.snapshotTo(dataDirLayout(big).databasePath);
  } finally {
    source.close();
  }
  log(`copied the ${rows.toLocaleString('en-US')}-row dataset to ${big}`);

  const buildDir = buildApp(log);
  const server = await startServer(buildDir, small, join(buildDir, '..', 'logs'));
  log(`web mode on ${server.origin} (pid ${server.pid}), server log ${server.logPath}`);
  const browser = await launch();
  try {
    const page = await signedInPage(browser, server.url);
    const loadBefore = loadavg()[0]!;
    const samples: number[] = [];
    for (let i = -1; i < trials; i++) {
      const { clicked, drawn } = await switchTo(page, big, 'big');
      if (i >= 0) samples.push(drawn - clicked);
      await switchTo(page, small, 'demo');
    }
    const loadAfter = loadavg()[0]!;
    log(`another data directory (${rows.toLocaleString('en-US')} rows) open to the Overview drawn after ${samples.map((s) => round(s, 0)).join(' ')} ms`);
    return [
      summaryFigure({
        name: `open another data directory (${rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`} rows) to the Overview drawn`,
        unit: 'ms',
        better: 'lower',
        clock: 'wall',
        statistic: 'median',
        samples,
        reference: { budget: BUDGET_MS },
        target: 1,
        note: `Start page Open click (old document) → the new directory's Overview drawn after the page reload (every card, every chart's canvas, + the next frame), epoch ms from both documents; the main process closes the demo directory (jobs, engine, lock) and opens the big one in between; ${samples.length} trials after 1 warm-up, switching back untimed; baseline = budget; p90 ${percentile(samples, 0.9).toFixed(0)} ms; 1-min load ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${availableParallelism()} cores`,
      }),
    ];
  } finally {
    await browser.close();
    await server.stop();
    if (settingsBefore === undefined) delete process.env['KALAM_SETTINGS_DIR'];
    else process.env['KALAM_SETTINGS_DIR'] = settingsBefore;
    rmSync(work, { recursive: true, force: true });
  }
}
