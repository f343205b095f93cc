/**
 * Real Chromium (Debian's /usr/bin/chromium through Playwright) against the running web mode.
 * The measuring is done in the page by probe.js; this side loads pages, types, and reads results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromium';

const PROBE = join(import.meta.dirname, 'probe.js');

export interface Measured {
  /** performance.now() in the page when the action started. */
  readonly start: number;
  /** ms from the action to the awaited element being in the DOM and in view. */
  readonly inserted: number;
  /** ms from the action to the end of the next frame after that (the row drawn). */
  readonly drawn: number;
}

export interface ScrollResult {
  readonly start: number;
  readonly end: number;
  readonly firstShown: number;
  readonly lastShown: number;
  readonly steps: number;
  readonly frames: number;
  readonly stalledFrames: number;
  readonly uncoveredFrames: number;
  readonly maxFrameGap: number;
}

export interface LongTask {
  readonly start: number;
  readonly duration: number;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Calls window.__kalamBench[method](...args) in the page and returns its (awaited) result. */
export async function probe<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  const call = `window.__kalamBench.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
  const result: unknown = await page.evaluate(call);
  return result as T;
}

/** A signed-in page: the launch URL hands the page its token; the probe is installed before the app runs. */
export async function signedInPage(browser: Browser, url: string, timeoutMs?: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
  await context.addInitScript({ path: PROBE });
  // Every document starts without the workspace's tabs of an earlier one: the app would otherwise
  // bring back the last tab on its own (a table left open by the previous trial), and a trial that
  // opens a table would find it open and its rows fetched already.
  await context.addInitScript(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('kalam.tabs.')) localStorage.removeItem(key);
  });
  const page = await context.newPage();
  await page.goto(url);
  await sidebarReady(page, timeoutMs);
  return page;
}

/** Waits for the sidebar's table links (the app shell is loaded and tables.list answered). */
export async function sidebarReady(page: Page, timeoutMs?: number): Promise<void> {
  await page
    .locator('nav[aria-label="Main"] a[href^="#/table/"]')
    .first()
    .waitFor({ state: 'visible', ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}) });
}

/** Waits until the page has been idle (no frame gap, requestIdleCallback fired) for a moment. */
export async function settle(page: Page, ms = 250): Promise<void> {
  await page.evaluate(`new Promise((r) => setTimeout(() => requestIdleCallback(() => r(null), { timeout: 2000 }), ${ms}))`);
}

/** JS heap in use by the page after a full garbage collection (CDP), in bytes. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
  if (used === undefined) throw new Error('Performance.getMetrics has no JSHeapUsedSize');
  return used;
}

export interface TaskTrace {
  /** Renderer main-thread tasks (RunTask) seen while tracing. */
  readonly tasks: number;
  /** Longest task by wall time, and its main-thread CPU time (ms). */
  readonly longestWall: { readonly wall: number; readonly cpu: number };
  /** Largest main-thread CPU time of any task (ms). */
  readonly maxCpu: number;
  /** The main-thread CPU times of the most expensive tasks (ms), largest first: at most TOP_TASKS. */
  readonly topCpu: readonly number[];
  /** Tasks over 50 ms of wall time / of CPU time. */
  readonly over50Wall: number;
  readonly over50Cpu: number;
  /** Sum of the tasks' CPU time and of their wall time (ms). */
  readonly cpuTotal: number;
  readonly wallTotal: number;
}

/** How many of the most expensive tasks a trace keeps (a long scroll runs thousands). */
const TOP_TASKS = 20;

interface RawTraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Records a Chromium performance trace with only the `disabled-by-default-devtools.timeline`
 * category (which carries every task, RunTask, with its wall and thread CPU time) and keeps just
 * a summary of the renderer main thread's tasks, so a long run does not pile up events. It tells
 * a task that was long because of its own work from one that was long because the machine's
 * other processes held the CPU.
 */
export async function startTaskTrace(cdp: CDPSession): Promise<() => Promise<TaskTrace>> {
  interface ThreadStats {
    tasks: number;
    longestWall: { wall: number; cpu: number };
    maxCpu: number;
    topCpu: number[];
    over50Wall: number;
    over50Cpu: number;
    cpuTotal: number;
    wallTotal: number;
  }
  const threads = new Map<string, ThreadStats>();
  const names = new Map<string, string>();
  const onData = (e: { value: object[] }) => {
    for (const ev of e.value as RawTraceEvent[]) {
      const id = `${ev.pid}:${ev.tid}`;
      if (ev.ph === 'M' && ev.name === 'thread_name' && ev.args?.name) names.set(id, ev.args.name);
      if (ev.ph !== 'X' || ev.name !== 'RunTask') continue;
      let t = threads.get(id);
      if (!t)
        threads.set(id, (t = { tasks: 0, longestWall: { wall: 0, cpu: 0 }, maxCpu: 0, topCpu: [], over50Wall: 0, over50Cpu: 0, cpuTotal: 0, wallTotal: 0 }));
      const wall = (ev.dur ?? 0) / 1000;
      const cpu = (ev.tdur ?? 0) / 1000;
      t.tasks += 1;
      t.cpuTotal += cpu;
      t.wallTotal += wall;
      if (wall > t.longestWall.wall) t.longestWall = { wall, cpu };
      if (cpu > t.maxCpu) t.maxCpu = cpu;
      if (t.topCpu.length < TOP_TASKS || cpu > t.topCpu[t.topCpu.length - 1]!) {
        t.topCpu.push(cpu);
        t.topCpu.sort((a, b) => b - a);
        t.topCpu.length = Math.min(t.topCpu.length, TOP_TASKS);
      }
      if (wall > 50) t.over50Wall += 1;
      if (cpu > 50) t.over50Cpu += 1;
    }
  };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline'], excludedCategories: ['*'] },
    transferMode: 'ReportEvents',
  });
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', onData);
    // The page's main thread: the busiest thread named CrRendererMain.
    const main = [...threads.entries()].filter(([id]) => names.get(id) === 'CrRendererMain').sort((a, b) => b[1].tasks - a[1].tasks)[0]?.[1];
    if (!main) throw new Error('the trace has no renderer main thread');
    return { ...main };
  };
}

/** CPU time a process's main thread has run so far, in ms (Linux /proc/<pid>/schedstat, ns resolution). */
export function threadCpuMs(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/schedstat`, 'utf8');
    return Number(text.split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}
