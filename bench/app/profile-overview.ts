/**
 * Profiling aid for the overview suite (not part of `npm run bench`):
 *
 *   npx tsx bench/app/profile-overview.ts [--trials 5] [--no-minify] [--no-profiler] [--no-build]
 *                                          [--top 40] [--js-flags=--no-lazy]
 *
 * Starts the web mode on the overview dataset (bench/app/overview-dataset.ts), opens the Schedules
 * page in Chromium, and clicks the sidebar's Overview link as the bench does: `--trials` times under
 * a light trace (each trial's wall time to drawn, and the renderer main thread's CPU time in that
 * window: steadier than wall time on a shared machine), then once under the CPU profiler (CDP
 * Profiler) and a fuller trace. Prints that trial's main-thread tasks with their phases, the
 * requests in the window, and per long task the functions by total time; writes the raw profile
 * and trace next to the build for DevTools.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CDPSession, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromium';
import { launch, type Measured, probe, settle, sidebarReady, signedInPage } from './browser';
import { type CpuProfile, type ProfileNode, RENDER_PHASES, type TraceEvent } from './cdp-types';
import { overviewDataset } from './overview-dataset';
import { buildApp, startServer } from './server';

const { values } = parseArgs({
  options: {
    'no-minify': { type: 'boolean', default: false },
    'no-profiler': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    trials: { type: 'string', default: '5' },
    top: { type: 'string', default: '40' },
    /** V8 flags for the browser (e.g. --no-lazy: what compiling everything up front would save). */
    'js-flags': { type: 'string' },
  },
});
const log = (m: string) => console.error(`  · ${m}`);

const dataset = await overviewDataset(log);
const buildDir = values['no-build']
  ? join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'kalam-bench-app', 'out')
  : buildApp(log, { minify: !values['no-minify'] });
const server = await startServer(buildDir, dataset.dataDir, join(buildDir, '..', 'logs'));
const browser = values['js-flags']
  ? await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--js-flags=${values['js-flags']}`] })
  : await launch();

async function fromSchedules(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${server.origin}/#/schedules`);
  await sidebarReady(page, 180_000);
  await settle(page);
}

/** Records a devtools.timeline trace around `run`; returns its events. */
async function traced(cdp: CDPSession, categories: string[], run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: object[] }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  return events;
}

/** The renderer main threads' top-level tasks in a trace (the app's page may be in another renderer than about:blank's). */
function mainTasks(events: TraceEvent[]): TraceEvent[] {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  return events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.has(`${e.pid}/${e.tid}`));
}

const TIMELINE = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

try {
  const page = await signedInPage(browser, server.url, 180_000);
  const cdp = await page.context().newCDPSession(page);
  // Each trial under a light trace: the main thread's CPU time from the click to the drawn frame
  // (thread time, steadier than wall time on a shared machine), and its longest task.
  const rows: string[] = [];
  for (let i = 0; i < Number(values.trials); i++) {
    await fromSchedules(page);
    let m: Measured | undefined;
    const events = await traced(cdp, TIMELINE, async () => {
      m = await probe<Measured>(page, 'openOverview', 60_000);
    });
    const click = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.['type'] === 'click');
    const from = click?.ts ?? 0;
    const to = from + m!.drawn * 1000;
    const tasks = mainTasks(events).filter((e) => e.ts >= from - 1000 && e.ts <= to);
    const cpu = tasks.reduce((n, e) => n + (e.tdur ?? 0), 0) / 1000;
    const longest = Math.max(...tasks.map((e) => (e.tdur ?? 0) / 1000));
    rows.push(`drawn ${m!.drawn.toFixed(1)} ms wall, main thread ${cpu.toFixed(1)} ms CPU, longest task ${longest.toFixed(1)} ms CPU`);
  }
  for (const r of rows) log(r);
  await fromSchedules(page);

  // Then one trial under the sampling profiler (it slows JavaScript down) and a fuller trace.
  const profiling = !values['no-profiler'];
  let m: Measured | undefined;
  let profile: CpuProfile = { nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] };
  const traceEvents = await traced(cdp, [...TIMELINE, 'v8.execute', 'blink.user_timing'], async () => {
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    m = await probe<Measured>(page, 'openOverview', 60_000);
    await settle(page, 300);
    if (profiling) profile = ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile;
  });
  log(`profiled trial: in DOM ${m!.inserted.toFixed(1)} ms, drawn ${m!.drawn.toFixed(1)} ms`);
  const out = join(buildDir, '..');
  writeFileSync(join(out, 'overview.cpuprofile'), JSON.stringify(profile));
  writeFileSync(join(out, 'overview-trace.json'), JSON.stringify({ traceEvents }));
  log(`wrote ${join(out, 'overview.cpuprofile')} and ${join(out, 'overview-trace.json')}`);

  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mainTid = main?.tid;
  const mainPid = main?.pid;
  // The click: the EventDispatch of type click on the main thread; the window runs to the drawn time.
  const click = traceEvents.find((e) => e.tid === mainTid && e.name === 'EventDispatch' && e.args?.data?.['type'] === 'click');
  const t0 = click?.ts ?? 0;
  const t1 = t0 + m!.drawn * 1000;
  const inWindow = (e: TraceEvent) => e.ts >= t0 - 1000 && e.ts <= t1;
  const rel = (ts: number) => ((ts - t0) / 1000).toFixed(1);

  // Timeline of top-level tasks on the main thread in the window.
  const tasks = traceEvents.filter((e) => e.ph === 'X' && e.tid === mainTid && e.pid === mainPid && e.name === 'RunTask' && inWindow(e));
  console.log(`main thread: ${tasks.length} tasks in the ${m!.drawn.toFixed(0)} ms window`);
  const phases = new Set<string>([
    ...RENDER_PHASES,
    'ParseHTML',
    'EvaluateScript',
    'v8.compile',
    'MajorGC',
    'MinorGC',
    'V8.GCScavenger',
    'V8.GCFinalizeMC',
    'XHRReadyStateChange',
    'XHRLoad',
    'ResourceReceiveResponse',
  ]);
  for (const t of tasks) {
    if ((t.dur ?? 0) < 1000) continue;
    const inner = traceEvents
      .filter((e) => e.ph === 'X' && e.tid === mainTid && e.pid === mainPid && phases.has(e.name) && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0))
      .filter((e) => (e.dur ?? 0) >= 500)
      .map((e) => `${e.name}${e.name === 'FunctionCall' || e.name === 'EvaluateScript' ? '' : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`);
    console.log(
      `  @${rel(t.ts).padStart(7)} ms  task ${((t.dur ?? 0) / 1000).toFixed(1).padStart(6)} ms (cpu ${((t.tdur ?? 0) / 1000).toFixed(1)}): ${inner.join(', ')}`,
    );
  }
  // Network: resource send / finish in the window.
  const requests = new Map<unknown, string>();
  for (const e of traceEvents) {
    if (!inWindow(e)) continue;
    const data = e.args?.data as { url?: string; requestId?: string } | undefined;
    if (e.name === 'ResourceSendRequest') {
      const path = (data?.url ?? '').replace(server.origin, '');
      requests.set(data?.requestId, path);
      console.log(`  @${rel(e.ts).padStart(7)} ms  request ${path}`);
    }
    if (e.name === 'ResourceFinish') console.log(`  @${rel(e.ts).padStart(7)} ms  finished ${requests.get(data?.requestId) ?? data?.requestId ?? ''}`);
  }

  if (profiling) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;
    /** Adds a sample's time to its function (self) and to every function on its stack (total, once each). */
    const account = (sample: number, dt: number, selfMap: Map<string, number>, totalMap: Map<string, number>) => {
      let n = nodes.get(sample);
      if (!n) return;
      selfMap.set(key(n), (selfMap.get(key(n)) ?? 0) + dt);
      const seen = new Set<string>();
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        n = nodes.get(id)!;
        const k = key(n);
        if (seen.has(k)) continue;
        seen.add(k);
        totalMap.set(k, (totalMap.get(k) ?? 0) + dt);
      }
    };
    // Profile timestamps share the trace's clock (microseconds).
    const perTask = tasks.filter((t) => (t.dur ?? 0) >= 8000).map((t) => ({ t, total: new Map<string, number>() }));
    let ts = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      ts += profile.timeDeltas[i] ?? 0;
      if (ts < t0 || ts > t1) continue;
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      account(profile.samples[i]!, dt, self, total);
      const task = perTask.find(({ t }) => ts >= t.ts && ts <= t.ts + (t.dur ?? 0));
      if (task) account(profile.samples[i]!, dt, new Map(), task.total);
    }
    for (const { t, total: tt } of perTask) {
      console.log(`task @${rel(t.ts)} ms (${((t.dur ?? 0) / 1000).toFixed(1)} ms), total time per function:`);
      for (const [k, ms] of [...tt].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${ms.toFixed(1).padStart(9)}  ${k}`);
    }
    const topFns = (mp: Map<string, number>, title: string, count: number) => {
      console.log(title);
      for (const [k, ms] of [...mp].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`  ${ms.toFixed(1).padStart(9)}  ${k}`);
    };
    topFns(self, 'CPU profile in the window, self time (ms):', 30);
    topFns(total, 'CPU profile in the window, total time (ms):', 60);
  }
} finally {
  await browser.close();
  await server.stop();
}
