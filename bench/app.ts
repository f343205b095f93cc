/**
 * App suite: the built web mode on a real SQLite data directory, driven by real Chromium.
 *
 *   1. Contract round trip: engine.info through the typed oRPC client over loopback HTTP.
 *   2. Opening system.audit_log (1M rows) from the sidebar until its first rows are drawn,
 *      "go to key" deep in the table until that row is drawn, and `SELECT * FROM system.audit_log`
 *      run in the SQL console until its first rows are drawn.
 *   3. Scrolling continuously through 100k rows: long tasks, JS heap after GC, rows/s.
 *   4. Switching tabs: from system.users back to the audit_log tab until its first row is drawn.
 *   5. The command palette with 1,000 tables (its own data directory, bench/app/palette-dataset.ts):
 *      Ctrl+K until its first results are drawn, and a query typed until its first match is drawn.
 *
 * No mocks: a private build of the current sources (bench/app/server.ts), the data directory
 * seeded through the engine and cached in os.tmpdir() (bench/app/dataset.ts), Debian's Chromium
 * through Playwright, in-page timing with performance.now() (bench/app/probe.js).
 * Latencies are always wall time (--clock cpu does not apply to this suite).
 *
 * BENCH_APP_ONLY=tabs,palette runs only those parts (rpc, browse, tabs, scroll, palette); the other
 * figures are kept as bench/results/app.json has them. BENCH_APP_BEFORE=<git ref> also builds that
 * commit's sources (bench/app/earlier.ts) and serves them on copies of the data: the tab-switch and
 * palette trials then alternate between the two builds, pair by pair, and paired figures compare them.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { type Figure, pairedFigure, summaryFigure } from './lib/figures';
import { median, percentile } from './lib/stats';
import type { BenchContext } from './lib/suite';
import {
  heapAfterGc,
  launch,
  type LongTask,
  type Measured,
  probe,
  type ScrollResult,
  settle,
  sidebarReady,
  signedInPage,
  startTaskTrace,
  type TaskTrace,
  threadCpuMs,
} from './app/browser';
import { auditLogDataset } from './app/dataset';
import { paletteDataset, paletteTableName } from './app/palette-dataset';
import { contractRoundTrip } from './app/rpc';
import { earlierTree } from './app/earlier';
import { buildApp, type RunningServer, startServer } from './app/server';

/** Budgets from the brief. */
const OPEN_BUDGET_MS = 150;
const GO_TO_KEY_BUDGET_MS = 150;
const LONG_TASK_BUDGET_MS = 100;
const HEAP_BUDGET_MB = 300;
const TAB_SWITCH_BUDGET_MS = 50;
const PALETTE_BUDGET_MS = 50;

const TABLE = 'system.audit_log';
const TABLE_HREF = `#/table/${TABLE}`;
const STEP_TIMEOUT_MS = 30_000;

interface Sizes {
  rows: number;
  rpcWarmup: number;
  rpcCalls: number;
  openTrials: number;
  /** First opens in a new browser (a fresh renderer process). */
  coldTrials: number;
  seekTrials: number;
  scrollRows: number;
  tabTrials: number;
  paletteTrials: number;
}

const FULL: Sizes = {
  rows: 1_000_000,
  rpcWarmup: 300,
  rpcCalls: 2000,
  openTrials: 17,
  coldTrials: 7,
  seekTrials: 17,
  scrollRows: 100_000,
  tabTrials: 17,
  paletteTrials: 17,
};
const QUICK: Sizes = {
  rows: 100_000,
  rpcWarmup: 50,
  rpcCalls: 300,
  openTrials: 5,
  coldTrials: 2,
  seekTrials: 5,
  scrollRows: 5_000,
  tabTrials: 5,
  paletteTrials: 5,
};

function fmt(values: readonly number[]): string {
  return values.map((v) => v.toFixed(0)).join(' ');
}

/** Fresh document (cold query cache), app shell loaded and idle. */
async function reloadShell(page: Page, origin: string): Promise<void> {
  // Via about:blank: from /#/table/… a goto to /#/ would only change the hash (same document,
  // query cache kept).
  await page.goto('about:blank');
  await page.goto(`${origin}/#/`);
  await sidebarReady(page);
  await settle(page);
}

/** One timed navigation plus what it cost in CPU: the renderer's main thread (trace) and the server's. */
interface Trial extends Measured {
  readonly rendererCpu: number;
  readonly serverCpu: number;
}

async function traced(page: Page, serverPid: number, action: () => Promise<Measured>): Promise<Trial> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const server0 = threadCpuMs(serverPid);
    const stop = await startTaskTrace(cdp);
    const m = await action();
    const trace = await stop();
    return { ...m, rendererCpu: trace.cpuTotal, serverCpu: threadCpuMs(serverPid) - server0 };
  } finally {
    await cdp.detach();
  }
}

async function openTableTrials(page: Page, origin: string, serverPid: number, trials: number, log: (m: string) => void): Promise<Trial[]> {
  const out: Trial[] = [];
  // One untimed visit first: the first navigation also pays for compiling the grid's code and the
  // server's first statements on the table (the cold case is measured by coldOpenTrials).
  for (let i = -1; i < trials; i++) {
    await reloadShell(page, origin);
    const m = await traced(page, serverPid, () => probe<Measured>(page, 'openTable', TABLE_HREF, STEP_TIMEOUT_MS));
    if (i >= 0) out.push(m);
  }
  log(`open ${TABLE}: drawn after ${fmt(out.map((m) => m.drawn))} ms (in DOM after ${fmt(out.map((m) => m.inserted))} ms)`);
  log(`open ${TABLE}: renderer main-thread CPU ${fmt(out.map((m) => m.rendererCpu))} ms; server CPU ${fmt(out.map((m) => m.serverCpu))} ms`);
  return out;
}

const SQL_HREF = '#/sql';
const SQL_QUERY = `SELECT * FROM ${TABLE}`;

/**
 * The same table's first page through the SQL console: `SELECT * FROM <table>` run from the
 * toolbar until its first row is drawn in the result grid, in a fresh document per trial (as the
 * open trials), so it compares with opening the table in the grid.
 */
async function sqlFirstPageTrials(page: Page, origin: string, serverPid: number, trials: number, log: (m: string) => void): Promise<Trial[]> {
  const out: Trial[] = [];
  for (let i = -1; i < trials; i++) {
    await reloadShell(page, origin);
    await page.locator(`nav[aria-label="Main"] a[href="${SQL_HREF}"]`).click();
    const editor = page.getByRole('textbox', { name: /^SQL of / });
    await editor.waitFor({ state: 'visible' });
    if (i < 0) {
      // The console keeps its tab's text across reloads: written once, before the warm-up.
      await editor.click();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.insertText(SQL_QUERY);
      await page.keyboard.press('ControlOrMeta+Home');
    }
    if ((await editor.textContent()) !== SQL_QUERY) throw new Error(`the console holds "${await editor.textContent()}", expected "${SQL_QUERY}"`);
    await settle(page);
    const m = await traced(page, serverPid, () => probe<Measured>(page, 'runSql', STEP_TIMEOUT_MS));
    if (i >= 0) out.push(m);
  }
  log(`console ${SQL_QUERY}: drawn after ${fmt(out.map((m) => m.drawn))} ms (in DOM after ${fmt(out.map((m) => m.inserted))} ms)`);
  log(`console ${SQL_QUERY}: renderer main-thread CPU ${fmt(out.map((m) => m.rendererCpu))} ms; server CPU ${fmt(out.map((m) => m.serverCpu))} ms`);
  return out;
}

/**
 * The first table opened after the app starts: each trial launches a new browser (a fresh renderer
 * process: no compiled code, no ICU data, nothing cached), loads the shell, then opens the table.
 */
async function coldOpenTrials(url: string, trials: number, log: (m: string) => void): Promise<Measured[]> {
  const out: Measured[] = [];
  for (let i = 0; i < trials; i++) {
    const browser = await launch();
    try {
      const page = await signedInPage(browser, url);
      await settle(page, 300);
      out.push(await probe<Measured>(page, 'openTable', TABLE_HREF, STEP_TIMEOUT_MS));
    } finally {
      await browser.close();
    }
  }
  log(`open ${TABLE} first in a new browser: drawn after ${fmt(out.map((m) => m.drawn))} ms (in DOM after ${fmt(out.map((m) => m.inserted))} ms)`);
  return out;
}

function seekKeys(rows: number, trials: number): string[] {
  // The first is audit_id 777777 on the 1M table (the same depth on smaller ones); the others are
  // different keys nearby, so no trial is answered from the previous one's cached page.
  const base = Math.floor(rows * 0.777777);
  const spacing = Math.max(1000, Math.floor((rows * 0.2) / (trials + 1)));
  return Array.from({ length: trials + 1 }, (_, i) => String(base + i * spacing));
}

async function goToKeyTrials(
  page: Page,
  origin: string,
  serverPid: number,
  rows: number,
  trials: number,
  log: (m: string) => void,
): Promise<{ key: string; results: Trial[] }> {
  await reloadShell(page, origin);
  await probe<Measured>(page, 'openTable', TABLE_HREF, STEP_TIMEOUT_MS);
  const keys = seekKeys(rows, trials);
  const out: Trial[] = [];
  const box = page.getByRole('searchbox', { name: 'Go to key' });
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    await box.fill(key);
    await settle(page, 100);
    const m = await traced(page, serverPid, () => probe<Measured>(page, 'goToKey', key, STEP_TIMEOUT_MS));
    // The first key is also the warm-up of this path; it is reported in the log, not in the p50.
    if (i > 0) out.push(m);
    else log(`go to key ${key} (warm-up): drawn after ${m.drawn.toFixed(0)} ms`);
  }
  log(`go to key: drawn after ${fmt(out.map((m) => m.drawn))} ms (in DOM after ${fmt(out.map((m) => m.inserted))} ms)`);
  log(`go to key: renderer main-thread CPU ${fmt(out.map((m) => m.rendererCpu))} ms; server CPU ${fmt(out.map((m) => m.serverCpu))} ms`);
  return { key: keys[0]!, results: out };
}

const OTHER_TABLE = 'system.users';
const OTHER_HREF = `#/table/${OTHER_TABLE}`;

/** One build's web mode in the tab-switch and palette trials: this tree, or BENCH_APP_BEFORE's. */
interface Side {
  readonly name: string;
  readonly origin: string;
  readonly url: string;
  readonly serverPid: number;
}

interface TabRun {
  readonly back: Trial[];
  readonly away: Measured[];
}

/**
 * Two table tabs, the audit_log and system.users: each trial goes to the users tab (untimed, its
 * first row drawn), settles, then clicks the audit_log's tab until its first row is drawn. The tab
 * comes back with its kept view from the query cache (no request is needed for its first page).
 * With two sides (this tree and an earlier build, each on its own page), trials alternate between
 * them pair by pair, the order alternating.
 */
async function tabSwitchTrials(browser: Browser, sides: readonly Side[], trials: number, log: (m: string) => void): Promise<TabRun[]> {
  const pages: Page[] = [];
  for (const side of sides) {
    const page = await signedInPage(browser, side.url);
    await reloadShell(page, side.origin);
    await probe<Measured>(page, 'openTable', TABLE_HREF, STEP_TIMEOUT_MS);
    await probe<Measured>(page, 'openTable', OTHER_HREF, STEP_TIMEOUT_MS);
    pages.push(page);
  }
  const runs = sides.map(() => ({ back: [] as Trial[], away: [] as Measured[] }));
  // One untimed round first (the first switch compiles the restore path).
  for (let i = -1; i < trials; i++) {
    const order = i % 2 === 0 ? sides.map((_, k) => k) : sides.map((_, k) => k).reverse();
    for (const k of order) {
      const page = pages[k]!;
      await settle(page, 100);
      const m = await traced(page, sides[k]!.serverPid, () => probe<Measured>(page, 'switchTab', TABLE_HREF, TABLE, STEP_TIMEOUT_MS));
      await settle(page, 100);
      const a = await probe<Measured>(page, 'switchTab', OTHER_HREF, OTHER_TABLE, STEP_TIMEOUT_MS);
      if (i >= 0) {
        runs[k]!.back.push(m);
        runs[k]!.away.push(a);
      }
    }
  }
  for (const page of pages) await page.context().close();
  sides.forEach((side, k) => {
    const { back, away } = runs[k]!;
    log(`${side.name}: switch to the ${TABLE} tab: drawn after ${fmt(back.map((m) => m.drawn))} ms (in DOM after ${fmt(back.map((m) => m.inserted))} ms)`);
    log(`${side.name}: switch to the ${TABLE} tab: renderer main-thread CPU ${fmt(back.map((m) => m.rendererCpu))} ms`);
    log(`${side.name}: switch to the ${OTHER_TABLE} tab: drawn after ${fmt(away.map((m) => m.drawn))} ms`);
  });
  return runs;
}

interface PaletteRun {
  readonly open: Measured[];
  readonly query: Measured[];
}

/**
 * The command palette over 1,000 data tables (a web mode per side on the palette's data directory):
 * each trial opens it with Ctrl+K until its first results are drawn, then types a table's name
 * (a different one each trial) until that table is the first result drawn, then closes it. With
 * two sides, trials alternate between them pair by pair, the order alternating.
 */
async function paletteTrials(browser: Browser, sides: readonly Side[], trials: number, log: (m: string) => void): Promise<PaletteRun[]> {
  const pages: Page[] = [];
  for (const side of sides) pages.push(await signedInPage(browser, side.url));
  const runs = sides.map(() => ({ open: [] as Measured[], query: [] as Measured[] }));
  for (let i = -1; i < trials; i++) {
    const order = i % 2 === 0 ? sides.map((_, k) => k) : sides.map((_, k) => k).reverse();
    const name = paletteTableName((i + 11) % 10, (i * 37 + 58 + 100) % 100);
    for (const k of order) {
      const page = pages[k]!;
      await settle(page, 100);
      const o = await probe<Measured>(page, 'openPalette', STEP_TIMEOUT_MS);
      await settle(page, 100);
      const q = await probe<Measured>(page, 'paletteQuery', name, name, STEP_TIMEOUT_MS);
      await page.keyboard.press('Escape');
      await probe(page, 'paletteClosed', STEP_TIMEOUT_MS);
      if (i >= 0) {
        runs[k]!.open.push(o);
        runs[k]!.query.push(q);
      }
    }
  }
  for (const page of pages) await page.context().close();
  sides.forEach((side, k) => {
    const { open, query } = runs[k]!;
    log(`${side.name}: palette open: drawn after ${fmt(open.map((m) => m.drawn))} ms; query: drawn after ${fmt(query.map((m) => m.drawn))} ms`);
  });
  return runs;
}

interface ScrollRun {
  scroll: ScrollResult;
  tasks: LongTask[];
  trace: TaskTrace;
  heapBeforeMb: number;
  heapAfterMb: number;
}

async function scrollRun(browser: Browser, url: string, scrollRows: number, log: (m: string) => void): Promise<ScrollRun> {
  const page = await signedInPage(browser, url);
  try {
    const cdp = await page.context().newCDPSession(page);
    await probe<Measured>(page, 'openTable', TABLE_HREF, STEP_TIMEOUT_MS);
    await settle(page, 500);
    const heapBeforeMb = (await heapAfterGc(cdp)) / 2 ** 20;
    const stopTrace = await startTaskTrace(cdp);
    const scroll = await probe<ScrollResult>(page, 'scrollThrough', scrollRows, Math.max(120_000, scrollRows * 10));
    const trace = await stopTrace();
    const tasks = await probe<LongTask[]>(page, 'longTasksBetween', scroll.start, scroll.end);
    await settle(page, 500);
    const heapAfterMb = (await heapAfterGc(cdp)) / 2 ** 20;
    const seconds = (scroll.end - scroll.start) / 1000;
    log(
      `scroll: rows ${scroll.firstShown} → ${scroll.lastShown} in ${seconds.toFixed(1)} s, ${scroll.steps} steps, ${scroll.frames} frames ` +
        `(${scroll.stalledFrames} waiting for a page, ${scroll.uncoveredFrames} with a blank band), longest frame gap ${scroll.maxFrameGap.toFixed(0)} ms; ` +
        `${tasks.length} long tasks (longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms); heap ${heapBeforeMb.toFixed(1)} → ${heapAfterMb.toFixed(1)} MB`,
    );
    log(
      `scroll trace: ${trace.tasks} main-thread tasks; longest ${trace.longestWall.wall.toFixed(0)} ms wall of which ${trace.longestWall.cpu.toFixed(0)} ms CPU; ` +
        `most CPU in one task ${trace.maxCpu.toFixed(0)} ms; > 50 ms: ${trace.over50Wall} by wall time, ${trace.over50Cpu} by CPU time`,
    );
    return { scroll, tasks, trace, heapBeforeMb, heapAfterMb };
  } finally {
    await page.context().close();
  }
}

/** Parts of the suite, for BENCH_APP_ONLY (comma-separated). */
const PARTS = ['rpc', 'browse', 'tabs', 'scroll', 'palette'] as const;
type Part = (typeof PARTS)[number];

function selectedParts(): ReadonlySet<Part> {
  const only = process.env['BENCH_APP_ONLY'];
  if (!only) return new Set(PARTS);
  const names = only.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_APP_ONLY: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  return new Set(names as Part[]);
}

/**
 * The figures of the parts not run this time, as the results file has them (their notes name the
 * run they come from), so a partial run rewrites only its own figures.
 */
function keptFigures(path: string, measured: readonly Figure[]): Figure[] {
  if (!existsSync(path)) return [];
  const names = new Set(measured.map((f) => f.name));
  const { figures } = JSON.parse(readFileSync(path, 'utf8')) as { figures: Figure[] };
  // A paired figure of a part that ran but without BENCH_APP_BEFORE this time would be stale.
  const rerun = (f: Figure) => measured.some((m) => f.name.startsWith(m.name));
  return figures.filter((f) => !names.has(f.name) && !rerun(f));
}

const load = () => `${loadavg()[0]!.toFixed(2)}`;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const sizes = ctx.quick ? QUICK : FULL;
  const parts = selectedParts();
  const beforeRef = process.env['BENCH_APP_BEFORE'];
  const log = (m: string) => ctx.log(m);
  const rowsLabel = sizes.rows >= 1_000_000 ? `${sizes.rows / 1_000_000}M` : `${sizes.rows / 1000}k`;
  const scrollLabel = `${sizes.scrollRows / 1000}k`;

  const dataset = auditLogDataset(sizes.rows, log);
  const buildDir = buildApp(log);
  // BENCH_APP_BEFORE: an earlier commit's build, each of its servers on a copy of the data made
  // before any server opens it (a data directory is one process's: app.lock).
  let before: { name: string; sha: string; buildDir: string } | undefined;
  if (beforeRef && (parts.has('tabs') || parts.has('palette'))) {
    const tree = earlierTree(beforeRef, log);
    const out = join(tree.root, 'out');
    const built = existsSync(join(out, 'main', 'web.js')) ? out : buildApp(log, { root: tree.root, outDir: out });
    before = { name: beforeRef, sha: tree.sha.slice(0, 12), buildDir: built };
  }
  const copies: string[] = [];
  const copyData = (dataDir: string, tag: string): string => {
    const copy = join(tmpdir(), `kalam-bench-app-before-${tag}-${process.pid}`);
    copies.push(copy);
    cpSync(dataDir, copy, { recursive: true });
    return copy;
  };
  const auditCopy = before && parts.has('tabs') ? copyData(dataset.dataDir, 'audit') : undefined;
  const servers: RunningServer[] = [];
  const beforeSide = async (copy: string): Promise<Side> => {
    const s = await startServer(before!.buildDir, copy, join(copy, 'bench-logs'));
    servers.push(s);
    log(`${before!.name} (${before!.sha}) in web mode on ${s.origin} (pid ${s.pid})`);
    return { name: before!.name, origin: s.origin, url: s.url, serverPid: s.pid };
  };
  const server = await startServer(buildDir, dataset.dataDir, join(buildDir, '..', 'logs')).catch((e: unknown) => {
    for (const c of copies) rmSync(c, { recursive: true, force: true });
    throw e;
  });
  servers.push(server);
  log(`web mode on ${server.origin} (pid ${server.pid}), server log ${server.logPath}`);
  const ours: Side = { name: 'this tree', origin: server.origin, url: server.url, serverPid: server.pid };
  let browser: Browser | undefined;
  try {
    const drawn = (ms: readonly Measured[]) => ms.map((m) => m.drawn);
    // Latencies here are always wall time (see the header).
    const ms = { unit: 'ms', better: 'lower', clock: 'wall' } as const;
    const figures: Figure[] = [];

    // 1. Contract round trip.
    if (parts.has('rpc')) {
      const rpc = await contractRoundTrip(server.origin, server.token, sizes.rpcWarmup, sizes.rpcCalls);
      const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      log(
        `rpc engine.info: p50 ${percentile(rpc.ours, 0.5).toFixed(3)} ms, p99 ${percentile(rpc.ours, 0.99).toFixed(3)} ms, mean ${mean(rpc.ours).toFixed(3)} ms over ${rpc.ours.length} calls; ` +
          `bare HTTP p50 ${percentile(rpc.raw, 0.5).toFixed(3)} ms, p99 ${percentile(rpc.raw, 0.99).toFixed(3)} ms`,
      );
      figures.push(
        summaryFigure({
          name: 'rpc round trip p50',
          ...ms,
          statistic: 'p50',
          samples: rpc.ours,
          reference: { statistic: 'p50', samples: rpc.raw },
          note: `engine.info via @orpc/client fetch RPCLink (Bearer token), ${sizes.rpcCalls} sequential calls after ${sizes.rpcWarmup} warm-up; baseline: the same request and response bytes to a bare node:http server (own process) with the same fetch, after ours`,
        }),
        summaryFigure({
          name: 'rpc round trip p99',
          ...ms,
          statistic: 'p99',
          samples: rpc.ours,
          reference: { statistic: 'p99', samples: rpc.raw },
          note: 'same calls as p50',
        }),
      );
    }

    browser = await launch();
    // 2. Open the table; go to a key; the console's first rows; the first open in a new browser.
    if (parts.has('browse')) {
      const page = await signedInPage(browser, server.url);
      const open = await openTableTrials(page, server.origin, server.pid, sizes.openTrials, log);
      const seek = await goToKeyTrials(page, server.origin, server.pid, sizes.rows, sizes.seekTrials, log);
      const sqlFirst = await sqlFirstPageTrials(page, server.origin, server.pid, sizes.openTrials, log);
      await page.context().close();
      const cold = await coldOpenTrials(server.url, sizes.coldTrials, log);
      figures.push(
        summaryFigure({
          name: `open audit_log (${rowsLabel} rows): first rows drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(open),
          reference: { budget: OPEN_BUDGET_MS },
          target: 1,
          note: `click on the sidebar link → first data cell in view, + the next frame (in-page performance.now, MutationObserver, rAF + MessageChannel); fresh document per trial (cold query cache), ${open.length} trials after 1 warm-up; baseline = budget; p90 ${percentile(drawn(open), 0.9).toFixed(0)} ms`,
        }),
        summaryFigure({
          name: `open audit_log: renderer + server CPU, p50`,
          ...ms,
          statistic: 'median',
          samples: open.map((m) => m.rendererCpu + m.serverCpu),
          note: `per open trial: renderer main-thread CPU (sum of its tasks' thread time in a Chromium trace, p50 ${median(open.map((m) => m.rendererCpu)).toFixed(0)} ms) + web-mode server main-thread CPU (/proc/<pid>/schedstat, p50 ${median(open.map((m) => m.serverCpu)).toFixed(0)} ms); the two overlap only partly, so the sum is roughly what the open would take on an idle machine`,
        }),
        summaryFigure({
          name: `SQL console ${SQL_QUERY} (${rowsLabel} rows): first rows drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(sqlFirst),
          reference: { budget: OPEN_BUDGET_MS },
          target: 1,
          note: `click on "Run statement" → first data cell of the result grid in view, + the next frame (same method as the open); fresh document per trial, ${sqlFirst.length} trials after 1 warm-up; baseline = budget (the grid's open budget); the same table opened in the grid in this run: p50 ${median(drawn(open)).toFixed(1)} ms; renderer CPU p50 ${median(sqlFirst.map((m) => m.rendererCpu)).toFixed(0)} ms, server CPU p50 ${median(sqlFirst.map((m) => m.serverCpu)).toFixed(0)} ms`,
        }),
        summaryFigure({
          name: `open audit_log (${rowsLabel} rows), first in a new browser: p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(cold),
          reference: { budget: OPEN_BUDGET_MS },
          note: `same measure, but the first table opened in a newly launched browser (cold renderer: code not yet compiled, nothing cached), ${cold.length} trials; not the budgeted figure (the one above is); baseline = the budget for comparison`,
        }),
        summaryFigure({
          name: `go to key ${seek.key} (${rowsLabel} rows): row drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(seek.results),
          reference: { budget: GO_TO_KEY_BUDGET_MS },
          target: 1,
          note: `form submit → the row with that key in view, + the next frame (same method); ${seek.results.length} trials at different keys near ${seek.key} after it as warm-up; baseline = budget; p90 ${percentile(drawn(seek.results), 0.9).toFixed(0)} ms`,
        }),
        summaryFigure({
          name: `go to key: renderer + server CPU, p50`,
          ...ms,
          statistic: 'median',
          samples: seek.results.map((m) => m.rendererCpu + m.serverCpu),
          note: `as for open: renderer main-thread CPU p50 ${median(seek.results.map((m) => m.rendererCpu)).toFixed(0)} ms + server CPU p50 ${median(seek.results.map((m) => m.serverCpu)).toFixed(0)} ms`,
        }),
      );
    }

    // 4. Switching tabs.
    if (parts.has('tabs')) {
      const sides = auditCopy ? [ours, await beforeSide(auditCopy)] : [ours];
      const load0 = load();
      const [tabs, old] = await tabSwitchTrials(browser, sides, sizes.tabTrials, log);
      const loadNote = `1-min load ${load0} → ${load()} on ${availableParallelism()} cores`;
      if (!tabs) throw new Error('no tab-switch trials');
      figures.push(
        summaryFigure({
          name: `switch tabs to audit_log (${rowsLabel} rows): first row drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(tabs.back),
          reference: { budget: TAB_SWITCH_BUDGET_MS },
          target: 1,
          note: `click on the audit_log's tab in the tab strip (from the ${OTHER_TABLE} tab) → first data cell of its grid in view, + the next frame (same method as the open); the tab comes back with its kept view; ${tabs.back.length} trials after 1 warm-up; baseline = budget; p90 ${percentile(drawn(tabs.back), 0.9).toFixed(0)} ms; renderer CPU p50 ${median(tabs.back.map((m) => m.rendererCpu)).toFixed(0)} ms, server CPU p50 ${median(tabs.back.map((m) => m.serverCpu)).toFixed(0)} ms; the other way (to ${OTHER_TABLE}, untimed by the trace) p50 ${median(drawn(tabs.away)).toFixed(1)} ms; ${loadNote}`,
        }),
      );
      if (old)
        figures.push(
          pairedFigure({
            name: `switch tabs to audit_log (${rowsLabel} rows): first row drawn, p50: this tree vs ${before!.name} (${before!.sha})`,
            ...ms,
            ours: drawn(tabs.back),
            baseline: drawn(old.back),
            note: `the same probe and trials on both builds (each on its own copy of the data, in its own page of one browser), alternating pair by pair, the order alternating; ${before!.name}: p50 ${median(drawn(old.back)).toFixed(1)} ms, renderer CPU p50 ${median(old.back.map((m) => m.rendererCpu)).toFixed(0)} ms; ${loadNote}`,
          }),
        );
    }

    // 3. Scroll.
    if (parts.has('scroll')) {
      const sc = await scrollRun(browser, server.url, sizes.scrollRows, log);
      const scrolled = sc.scroll.lastShown - sc.scroll.firstShown;
      const rowsPerSecond = scrolled / ((sc.scroll.end - sc.scroll.start) / 1000);
      const longTasks = sc.tasks.map((t) => t.duration);
      figures.push(
        summaryFigure({
          name: `scroll ${scrollLabel} rows: longest task`,
          ...ms,
          statistic: 'max',
          samples: longTasks,
          // No long task at all: none was over 50 ms.
          value: Math.max(0, ...longTasks),
          reference: { budget: LONG_TASK_BUDGET_MS },
          target: 1,
          note: `PerformanceObserver longtask entries (tasks over 50 ms) while scrolling (scrollTop += one view per step, waiting for rows to cover the view and for pages); samples: every long task; baseline = budget`,
        }),
        summaryFigure({
          name: `scroll ${scrollLabel} rows: tasks > 50 ms`,
          unit: 'tasks',
          better: 'lower',
          clock: 'wall',
          statistic: 'count',
          samples: longTasks.filter((d) => d > 50),
          note: `long tasks (> 50 ms) during the scroll, samples their durations in ms; by main-thread CPU time (trace) instead of wall time: ${sc.trace.over50Cpu}`,
        }),
        summaryFigure({
          name: `scroll ${scrollLabel} rows: most CPU in one task`,
          ...ms,
          statistic: 'max',
          samples: sc.trace.topCpu,
          value: sc.trace.maxCpu,
          note: `main-thread CPU (thread time) of the most expensive task, from a Chromium trace of the scroll (RunTask tdur): what the app's own work costs, without the time other processes held the CPU; samples: the ${sc.trace.topCpu.length} most expensive of its ${sc.trace.tasks} tasks; the longest task by wall time (${sc.trace.longestWall.wall.toFixed(0)} ms) used ${sc.trace.longestWall.cpu.toFixed(0)} ms of CPU`,
        }),
        summaryFigure({
          name: `scroll ${scrollLabel} rows: JS heap after GC`,
          unit: 'MB',
          better: 'lower',
          clock: 'wall',
          statistic: 'single run',
          samples: [sc.heapAfterMb],
          reference: { budget: HEAP_BUDGET_MB },
          target: 1,
          note: `CDP Performance.getMetrics JSHeapUsedSize after HeapProfiler.collectGarbage, after the scroll (before it: ${sc.heapBeforeMb.toFixed(1)} MB); baseline = budget`,
        }),
        summaryFigure({
          name: `scroll ${scrollLabel} rows: throughput`,
          unit: 'rows/s',
          better: 'higher',
          clock: 'wall',
          statistic: 'single run',
          samples: [rowsPerSecond],
          note: `rows ${sc.scroll.firstShown} → ${sc.scroll.lastShown} in view in ${((sc.scroll.end - sc.scroll.start) / 1000).toFixed(1)} s; ${sc.scroll.steps} steps, ${(sc.scroll.frames / sc.scroll.steps).toFixed(2)} frames per step, ${sc.scroll.stalledFrames} frames waiting for a page`,
        }),
      );
    }

    // 5. The command palette with 1,000 tables.
    if (parts.has('palette')) {
      const pd = paletteDataset(log);
      const palCopy = before ? copyData(pd.dataDir, 'palette') : undefined;
      const palServer = await startServer(buildDir, pd.dataDir, join(buildDir, '..', 'logs-palette'));
      servers.push(palServer);
      const sides = [
        { name: 'this tree', origin: palServer.origin, url: palServer.url, serverPid: palServer.pid },
        ...(palCopy ? [await beforeSide(palCopy)] : []),
      ];
      const load0 = load();
      const [pal, old] = await paletteTrials(browser, sides, sizes.paletteTrials, log);
      const loadNote = `1-min load ${load0} → ${load()} on ${availableParallelism()} cores`;
      if (!pal) throw new Error('no palette trials');
      const tables = pd.tables;
      figures.push(
        summaryFigure({
          name: `command palette (${tables} tables): first results drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(pal.open),
          reference: { budget: PALETTE_BUDGET_MS },
          target: 1,
          note: `Ctrl+K (a keydown on the window) → the palette's first options in the DOM, + the next frame; ${pal.open.length} trials after 1 warm-up, in a web mode on a data directory of ${tables} data tables; baseline = budget; p90 ${percentile(drawn(pal.open), 0.9).toFixed(0)} ms; ${loadNote}`,
        }),
        summaryFigure({
          name: `command palette (${tables} tables): typed query → first match drawn, p50`,
          ...ms,
          statistic: 'median',
          samples: drawn(pal.query),
          reference: { budget: PALETTE_BUDGET_MS },
          target: 1,
          note: `a table's full name set in the open palette's box (one input event) → that table drawn as the first option (fuzzysort over every table, page, job and command), + the next frame; a different table each trial; ${pal.query.length} trials after 1 warm-up; baseline = budget; p90 ${percentile(drawn(pal.query), 0.9).toFixed(0)} ms; ${loadNote}`,
        }),
      );
      if (old)
        figures.push(
          pairedFigure({
            name: `command palette (${tables} tables): first results drawn, p50: this tree vs ${before!.name} (${before!.sha})`,
            ...ms,
            ours: drawn(pal.open),
            baseline: drawn(old.open),
            note: `the same probe and trials on both builds (each on its own copy of the data, in its own page of one browser), alternating pair by pair, the order alternating; ${before!.name}: p50 ${median(drawn(old.open)).toFixed(1)} ms; ${loadNote}`,
          }),
          pairedFigure({
            name: `command palette (${tables} tables): typed query → first match drawn, p50: this tree vs ${before!.name} (${before!.sha})`,
            ...ms,
            ours: drawn(pal.query),
            baseline: drawn(old.query),
            note: `as above; ${before!.name}: p50 ${median(drawn(old.query)).toFixed(1)} ms; ${loadNote}`,
          }),
        );
    }

    if (parts.size === PARTS.length) return figures;
    // A partial run: the other parts' figures as the results file has them, in their order.
    const kept = keptFigures(join(ctx.resultsDir, `app${ctx.quick ? '.quick' : ''}.json`), figures);
    log(`BENCH_APP_ONLY=${[...parts].join(',')}: ${kept.length} figures of the other parts kept from the results file`);
    return [...kept, ...figures];
  } finally {
    await browser?.close();
    for (const s of servers) await s.stop();
    for (const c of copies) rmSync(c, { recursive: true, force: true });
  }
}
