/**
 * Profiling aid for the app suite (not part of `npm run bench`):
 *
 *   npx tsx bench/app/profile.ts [--mode scroll|open|seek|tab|palette|query] [--rows 100000] [--scroll 5000] [--no-minify]
 *
 * Starts the web mode on the cached dataset, opens system.audit_log in Chromium, and records a
 * CPU profile (CDP Profiler) and a performance trace (CDP Tracing, devtools.timeline) while it
 * scrolls (--mode open: while it opens the table; --mode seek: while it goes to a key 77.7% deep;
 * --mode tab: while it switches back to the audit_log's tab from system.users'; --mode palette:
 * while Ctrl+K opens the command palette, on the palette bench's 1,000 tables; --mode query: while
 * a table's name is typed into the open palette).
 * Prints the long tasks, the top functions
 * by self time inside long tasks, and the trace's time per event type inside long tasks; writes
 * the raw profile and trace next to the build for DevTools.
 * --no-minify builds the renderer unminified so function names are readable.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, type LongTask, type Measured, probe, settle, sidebarReady, signedInPage } from './browser';
import { type CpuProfile, RENDER_PHASES, type TraceEvent } from './cdp-types';
import { auditLogDataset } from './dataset';
import { paletteDataset, paletteTableName } from './palette-dataset';
import { buildApp, startServer } from './server';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    scroll: { type: 'string', default: '5000' },
    mode: { type: 'string', default: 'scroll' },
    'no-minify': { type: 'boolean', default: false },
    /** Trace only (the sampling profiler slows JavaScript down). */
    'no-profiler': { type: 'boolean', default: false },
    /** --mode open: open the table once and reload first, so the traced open runs on a warm renderer. */
    warm: { type: 'boolean', default: false },
    /** Tasks at least this long (ms) are the "long" ones analysed below (5 suits the short palette and tab modes). */
    'task-ms': { type: 'string', default: '50' },
  },
});
const log = (m: string) => console.error(`  · ${m}`);

const paletteMode = values.mode === 'palette' || values.mode === 'query';
const dataDir = paletteMode ? paletteDataset(log).dataDir : auditLogDataset(Number(values.rows), log).dataDir;
const buildDir = buildApp(log, { minify: !values['no-minify'] });
const server = await startServer(buildDir, dataDir, join(buildDir, '..', 'logs'));
// Warm the server (JIT, SQLite cache) in a throwaway browser, so the profiled browser's first
// navigation shows the renderer's cold start only.
if (!paletteMode) {
  const warm = await launch();
  const page = await signedInPage(warm, server.url);
  await probe<Measured>(page, 'openTable', '#/table/system.audit_log', 30_000);
  await warm.close();
}
const browser = await launch();
try {
  const page = await signedInPage(browser, server.url);
  const cdp = await page.context().newCDPSession(page);
  const mode = values.mode;
  const seekKey = String(Math.floor(Number(values.rows) * 0.777777));
  if ((mode !== 'open' && !paletteMode) || values.warm) await probe<Measured>(page, 'openTable', '#/table/system.audit_log', 30_000);
  if (mode === 'open' && values.warm) {
    await page.goto('about:blank');
    await page.goto(new URL('/#/', server.url).href);
    await sidebarReady(page);
  }
  if (mode === 'seek') {
    // A warm-up at another key, then the key to profile in the box.
    const box = page.getByRole('searchbox', { name: 'Go to key' });
    await box.fill(String(Number(seekKey) + 5000));
    await probe<Measured>(page, 'goToKey', String(Number(seekKey) + 5000), 30_000);
    await box.fill(seekKey);
  }
  const users = '#/table/system.users';
  if (mode === 'tab') {
    // The users tab in front, and one untimed round trip (the first switch compiles the restore path).
    await probe<Measured>(page, 'openTable', users, 30_000);
    await settle(page, 200);
    await probe<Measured>(page, 'switchTab', '#/table/system.audit_log', 'system.audit_log', 30_000);
    await settle(page, 200);
    await probe<Measured>(page, 'switchTab', users, 'system.users', 30_000);
  }
  const queried = paletteTableName(7, 58);
  if (paletteMode) {
    // One untimed round (opens, a query, closes); --mode query leaves the palette open.
    await probe<Measured>(page, 'openPalette', 30_000);
    await settle(page, 200);
    await probe<Measured>(page, 'paletteQuery', paletteTableName(3, 21), paletteTableName(3, 21), 30_000);
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    if (mode === 'query') {
      await settle(page, 200);
      await probe<Measured>(page, 'openPalette', 30_000);
    }
  }
  await settle(page, 500);

  const traceEvents: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: object[] }) => void traceEvents.push(...(e.value as TraceEvent[])));
  const traceDone = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
  const profiling = !values['no-profiler'];
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }

  let from: number;
  let to: number;
  let steps = 0;
  if (mode !== 'scroll') {
    const m =
      mode === 'open'
        ? await probe<Measured>(page, 'openTable', '#/table/system.audit_log', 30_000)
        : mode === 'seek'
          ? await probe<Measured>(page, 'goToKey', seekKey, 30_000)
          : mode === 'tab'
            ? await probe<Measured>(page, 'switchTab', '#/table/system.audit_log', 'system.audit_log', 30_000)
            : mode === 'palette'
              ? await probe<Measured>(page, 'openPalette', 30_000)
              : await probe<Measured>(page, 'paletteQuery', queried, queried, 30_000);
    await settle(page, 300);
    from = m.start;
    to = m.start + m.drawn + 300;
    log(`${mode}: in DOM ${m.inserted.toFixed(0)} ms, drawn ${m.drawn.toFixed(0)} ms`);
  } else {
    const s = await probe<{ start: number; end: number; lastShown: number; steps: number }>(page, 'scrollThrough', Number(values.scroll), 300_000);
    from = s.start;
    to = s.end;
    steps = s.steps;
    log(`scrolled to row ${s.lastShown} in ${((s.end - s.start) / 1000).toFixed(1)} s`);
  }
  const profile: CpuProfile = profiling
    ? ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
    : { nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] };
  await cdp.send('Tracing.end');
  await traceDone;
  const tasks = await probe<LongTask[]>(page, 'longTasksBetween', from - 50, to);
  console.log(`long tasks: ${tasks.length}; ${tasks.map((t) => t.duration.toFixed(0)).join(' ')} ms`);

  // performance.now() in the page and the trace/profile clocks differ by a constant: align on the
  // trace's timeOrigin-less timestamps via the profile, which uses the same monotonic clock as trace.
  const out = join(buildDir, '..');
  writeFileSync(join(out, 'profile.cpuprofile'), JSON.stringify(profile));
  writeFileSync(join(out, 'trace.json'), JSON.stringify({ traceEvents }));
  log(`wrote ${join(out, 'profile.cpuprofile')} and ${join(out, 'trace.json')}`);

  // Long tasks in the trace: RunTask events on the renderer main thread longer than 50 ms.
  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mainTid = main?.tid;
  const taskMs = Number(values['task-ms']);
  const runTasks = traceEvents.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.tid === mainTid && (e.dur ?? 0) > taskMs * 1000);
  console.log(`trace: ${runTasks.length} RunTask > ${taskMs} ms on the main thread: ${runTasks.map((e) => ((e.dur ?? 0) / 1000).toFixed(0)).join(' ')} ms`);
  const inLong = (ts: number) => runTasks.some((t) => ts >= t.ts && ts <= t.ts + (t.dur ?? 0));

  // Time per trace event name inside long tasks (nested events counted in each).
  const byName = new Map<string, number>();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.tid !== mainTid || e.name === 'RunTask' || !inLong(e.ts)) continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  console.log('trace events inside long tasks (ms, nested counted in each):');
  for (const [n, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${ms.toFixed(1).padStart(9)}  ${n}`);

  // Main-thread CPU (thread time) per rendering phase over the whole window, top-level events only.
  const top = traceEvents.filter((e) => e.ph === 'X' && e.tid === mainTid && e.name === 'RunTask');
  const phases: readonly string[] = RENDER_PHASES;
  const cpuBy = new Map<string, number>();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.tid !== mainTid || !phases.includes(e.name)) continue;
    // Count an event only if no other listed phase encloses it (so nested work is not counted twice).
    const ancestors = traceEvents.filter(
      (p) => p !== e && p.ph === 'X' && p.tid === mainTid && phases.includes(p.name) && p.ts <= e.ts && p.ts + (p.dur ?? 0) >= e.ts + (e.dur ?? 0),
    );
    if (ancestors.length) continue;
    const cpu = e.tdur ?? e.dur ?? 0;
    cpuBy.set(e.name, (cpuBy.get(e.name) ?? 0) + cpu / 1000);
  }
  const taskCpu = top.reduce((n, e) => n + (e.tdur ?? 0) / 1000, 0);
  console.log(
    `main thread: ${top.length} tasks, ${taskCpu.toFixed(0)} ms CPU${steps ? ` (${(taskCpu / steps).toFixed(1)} ms per scroll step, ${steps} steps)` : ''}; by top-level phase (ms CPU):`,
  );
  for (const [n, ms] of [...cpuBy].sort((a, b) => b[1] - a[1])) console.log(`  ${ms.toFixed(1).padStart(9)}  ${n}`);

  // Self time per function from the CPU profile, inside long tasks and overall.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const selfLong = new Map<string, number>();
  let ts = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i] ?? 0;
    const n = nodes.get(profile.samples[i]!);
    if (!n) continue;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + dt);
    if (inLong(ts)) selfLong.set(key, (selfLong.get(key) ?? 0) + dt);
  }
  const topFns = (m: Map<string, number>, title: string) => {
    console.log(title);
    for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(1).padStart(9)}  ${k}`);
  };
  if (profiling) {
    topFns(selfLong, 'CPU profile, self time inside long tasks (ms):');
    topFns(self, 'CPU profile, self time overall (ms):');
  }
} finally {
  await browser.close();
  await server.stop();
}
