/**
 * Overview suite: the storage dashboard drawn in real Chromium against the built web mode, on a
 * data directory of 200 tables, 10,000 Parquet segments and 5,000 jobs (bench/app/overview-dataset.ts).
 *
 * Each trial starts from a fresh document on the Schedules page (cold query cache, app shell
 * loaded and idle), clicks the sidebar's Overview link, and times until every card is in and each
 * chart on screen drawn (bench/app/probe.js openOverview: in-page performance.now,
 * MutationObserver, then the next frame). One untimed trial first.
 *
 * BENCH_OVERVIEW_BEFORE=<git ref> also builds that commit's sources (bench/app/earlier.ts) and
 * serves them on a copy of the data directory; trials then alternate between the two builds, pair
 * by pair (order alternating), with the same probe, and a paired figure compares them.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { launch, type Measured, probe, settle, sidebarReady, signedInPage } from './app/browser';
import { earlierTree } from './app/earlier';
import { overviewDataset } from './app/overview-dataset';
import { buildApp, type RunningServer, startServer } from './app/server';
import { type Figure, pairedFigure, round, summaryFigure } from './lib/figures';
import { percentile } from './lib/stats';
import type { BenchContext } from './lib/suite';

/** The budget from the brief (issue 16): the Overview draws within 300 ms, p50. */
const BUDGET_MS = 300;
const STEP_TIMEOUT_MS = 60_000;
/** Loading the app shell before a trial (untimed): an earlier build lists 200 tables slowly on a busy machine. */
const SHELL_TIMEOUT_MS = 180_000;

interface Side {
  readonly name: string;
  readonly server: RunningServer;
  readonly page: Page;
  readonly samples: Measured[];
  readonly charts: { charts: number; onScreen: number; drawn: number }[];
}

async function trial(side: Side, keep: boolean): Promise<void> {
  try {
    await timedTrial(side, keep);
  } catch (e) {
    const log = existsSync(side.server.logPath) ? readFileSync(side.server.logPath, 'utf8').slice(-2000) : '';
    throw new Error(`overview trial on ${side.name} (${side.server.origin}) failed; its server log ends:\n${log}`, { cause: e });
  }
}

async function timedTrial(side: Side, keep: boolean): Promise<void> {
  const { page, server } = side;
  // Via about:blank: a fresh document, so the statistics are fetched again (no cached query).
  await page.goto('about:blank');
  await page.goto(`${server.origin}/#/schedules`);
  await sidebarReady(page, SHELL_TIMEOUT_MS);
  await settle(page);
  const m = await probe<Measured>(page, 'openOverview', STEP_TIMEOUT_MS);
  if (!keep) return;
  side.samples.push(m);
  side.charts.push(await probe(page, 'overviewCharts'));
}

const drawn = (s: Side) => s.samples.map((m) => m.drawn);

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const trials = ctx.quick ? 3 : 15;
  const log = (m: string) => ctx.log(m);
  const dataset = await overviewDataset(log);
  const beforeRef = process.env['BENCH_OVERVIEW_BEFORE'];
  const buildDir = buildApp(log);
  const servers: RunningServer[] = [];
  let browser: Browser | undefined;
  let beforeData: string | undefined;
  try {
    if (beforeRef) {
      // A data directory is one process's (app.lock): the earlier build gets a copy, made before either server opens it.
      beforeData = join(tmpdir(), `kalam-bench-overview-before-${process.pid}`);
      cpSync(dataset.dataDir, beforeData, { recursive: true });
    }
    const sides: Side[] = [];
    browser = await launch();
    const server = await startServer(buildDir, dataset.dataDir, join(buildDir, '..', 'logs'));
    servers.push(server);
    log(`web mode on ${server.origin} (pid ${server.pid}), server log ${server.logPath}`);
    sides.push({ name: 'this tree', server, page: await signedInPage(browser, server.url, SHELL_TIMEOUT_MS), samples: [], charts: [] });
    let beforeSha: string | undefined;
    if (beforeRef) {
      const tree = earlierTree(beforeRef, log);
      beforeSha = tree.sha.slice(0, 12);
      const out = join(tree.root, 'out');
      const built = existsSync(join(out, 'main', 'web.js')) ? out : buildApp(log, { root: tree.root, outDir: out });
      const before = await startServer(built, beforeData!, join(beforeData!, 'bench-logs'));
      servers.push(before);
      log(`${beforeRef} (${beforeSha}) in web mode on ${before.origin} (pid ${before.pid})`);
      sides.push({ name: beforeRef, server: before, page: await signedInPage(browser, before.url, SHELL_TIMEOUT_MS), samples: [], charts: [] });
    }
    const loadBefore = loadavg()[0]!;
    for (const side of sides) await trial(side, false);
    for (let i = 0; i < trials; i++) {
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await trial(side, true);
    }
    const loadAfter = loadavg()[0]!;
    for (const side of sides) {
      log(
        `${side.name}: overview drawn after ${drawn(side)
          .map((d) => round(d, 1))
          .join(' ')} ms (in DOM after ${side.samples.map((m) => round(m.inserted, 1)).join(' ')} ms)`,
      );
      const c = side.charts.at(-1)!;
      log(`${side.name}: ${c.onScreen} of ${c.charts} charts on screen, ${c.drawn} drawn when the trial ended`);
    }
    const load = `1-min load ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${availableParallelism()} cores`;
    const ours = sides[0]!;
    const c = ours.charts.at(-1)!;
    const name = `Overview drawn (${dataset.tables} tables, ${dataset.segments.toLocaleString('en-US')} segments, ${dataset.jobs.toLocaleString('en-US')} jobs)`;
    const figures: Figure[] = [
      summaryFigure({
        name,
        unit: 'ms',
        better: 'lower',
        clock: 'wall',
        statistic: 'median',
        samples: drawn(ours),
        reference: { budget: BUDGET_MS },
        target: 1,
        note: `click on the sidebar's Overview link → every card in and every chart on screen drawn (${c.onScreen} of ${c.charts}; the others are set up when scrolled to), + the next frame; fresh document per trial, ${trials} trials after 1 warm-up${
          sides.length > 1 ? `, alternating with ${beforeRef}` : ''
        }; baseline = budget; p90 ${percentile(drawn(ours), 0.9).toFixed(0)} ms; ${load}`,
      }),
    ];
    const before = sides[1];
    if (before) {
      const bc = before.charts.at(-1)!;
      figures.push(
        pairedFigure({
          name: `${name}: this tree vs ${beforeRef} (${beforeSha})`,
          unit: 'ms',
          better: 'lower',
          clock: 'wall',
          ours: drawn(ours),
          baseline: drawn(before),
          note: `the same probe and data (a copy) on both builds, trials alternating pair by pair; ${beforeRef} drew ${bc.drawn} of ${bc.charts} charts (${bc.onScreen} on screen), this tree ${c.onScreen} on screen; ${load}`,
        }),
      );
    }
    return figures;
  } finally {
    await browser?.close();
    for (const s of servers) await s.stop();
    if (beforeData) rmSync(beforeData, { recursive: true, force: true });
  }
}
