/* global window, document, requestAnimationFrame, MutationObserver, KeyboardEvent, HTMLInputElement */
/**
 * In-page half of the app bench, installed with page.addInitScript before the app's own scripts.
 * Exposes window.__kalamBench. All times are performance.now() in the page (no CDP round trips
 * inside a measured interval).
 *
 * - Long tasks are recorded from the start with PerformanceObserver({ type: 'longtask' }).
 * - measure(action, ready): starts the clock, runs the action (a click, a form submit), and watches
 *   the DOM with a MutationObserver; `ready()` is checked after every mutation batch (React's
 *   commit). "inserted" is when the awaited element first exists and is inside the grid's visible
 *   area; "drawn" is after the next frame: requestAnimationFrame, then a MessageChannel task, which
 *   runs once that frame's style, layout and paint have been done.
 */
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task support: the list stays empty.
  }

  /** Resolves after the next frame has been produced, with performance.now() at that point. */
  function afterNextFrame() {
    return new Promise((resolve) => {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      });
    });
  }

  function grid() {
    return document.querySelector('[role="grid"]');
  }

  /** The data rows' rowgroup (the second rowgroup of the grid; the first is the header). */
  function body(g) {
    const groups = g.querySelectorAll(':scope > [role="rowgroup"]');
    return groups[1] ?? null;
  }

  /** Height of the grid's sticky header row. */
  function headerHeight(g) {
    const head = g.querySelector(':scope > [role="rowgroup"]');
    return head ? head.getBoundingClientRect().height : 0;
  }

  /** True if el has a size and lies (at least partly) in the grid's visible body area. */
  function inView(el, g) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const gr = g.getBoundingClientRect();
    const top = gr.top + headerHeight(g);
    return r.bottom > top && r.top < gr.bottom && r.right > gr.left && r.left < gr.right;
  }

  /** The first data cell in view of the grid (of the one labelled `label` when given: another may still be on its way out). */
  function firstDataCell(label) {
    const g = label === undefined ? grid() : document.querySelector(`[role="grid"][aria-label="${label}"]`);
    const b = g && body(g);
    const cell = b && b.querySelector('[role="row"] [role="gridcell"]');
    return cell && inView(cell, g) && cell.textContent !== '' ? cell : null;
  }

  function rowWithKey(key) {
    const g = grid();
    const b = g && body(g);
    if (!b) return null;
    for (const row of b.querySelectorAll(':scope > [role="row"]')) {
      const cell = row.querySelector('[role="gridcell"]');
      if (cell && cell.textContent.trim() === key && inView(cell, g)) return cell;
    }
    return null;
  }

  function measure(action, ready, timeoutMs) {
    return new Promise((resolve, reject) => {
      let done = false;
      let t0 = 0;
      const observer = new MutationObserver(() => check());
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        observer.disconnect();
        reject(new Error(`not drawn within ${timeoutMs} ms`));
      }, timeoutMs);
      function check() {
        if (done || !ready()) return;
        done = true;
        const inserted = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        void afterNextFrame().then((drawn) => resolve({ start: t0, inserted: inserted - t0, drawn: drawn - t0 }));
      }
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });
      t0 = performance.now();
      action();
      check();
    });
  }

  /** Clicks the sidebar link to a table and waits for its first data row to be drawn. */
  function openTable(href, timeoutMs) {
    const link = document.querySelector(`nav[aria-label="Main"] a[href="${href}"]`);
    if (!link) return Promise.reject(new Error(`no sidebar link ${href}`));
    return measure(
      () => link.click(),
      () => firstDataCell() !== null,
      timeoutMs,
    );
  }

  /** True if el lies (at least partly) inside the window's viewport. */
  function onScreen(el) {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  }

  /** The Overview's charts: how many there are, how many are on screen and drawn (canvas), and in all. */
  function overviewCharts() {
    const charts = [...document.querySelectorAll('[data-testid="storage-dashboard"] .chart')];
    const shown = charts.filter(onScreen);
    return { charts: charts.length, onScreen: shown.length, drawn: charts.filter((c) => c.querySelector('canvas') !== null).length };
  }

  /**
   * Clicks the sidebar's Overview link and waits until the storage dashboard is drawn: its cards up
   * to the last one (the job timeline) and the index sizes are in, no card is still loading (rows
   * per user come in their own request), and every chart on screen has its canvas (ECharts draws
   * in the same effect that creates it; the next frame shows it). Charts below the fold are set up
   * when scrolled to (Chart.tsx), so they are not waited for; overviewCharts() counts them.
   */
  function overviewReady() {
    const dashboard = document.querySelector('[data-testid="storage-dashboard"]');
    if (!dashboard || !dashboard.querySelector('[data-testid="jobs-card"]') || !dashboard.querySelector('[data-testid="indexes-card"]')) return false;
    // A card still asking for its data (rows per user) says so.
    if (dashboard.querySelector('[aria-busy="true"]')) return false;
    // Charts are set up once on screen (Chart.tsx): each one in the viewport must be drawn.
    const charts = [...dashboard.querySelectorAll('.chart')].filter(onScreen);
    return charts.length > 0 && charts.every((c) => c.querySelector('canvas') !== null);
  }

  function openOverview(timeoutMs) {
    const link = document.querySelector('nav[aria-label="Main"] a[href="#/"]');
    if (!link) return Promise.reject(new Error('no sidebar link to the Overview'));
    return measure(() => link.click(), overviewReady, timeoutMs);
  }

  /**
   * From the start of every document: when the Overview was first drawn in it (next frame after
   * overviewReady), as epoch ms (performance.timeOrigin + now), in `overviewDrawnAt`. Times a
   * page load that lands on the Overview (a switch of data directory reloads the page there).
   */
  const firstOverview = new MutationObserver(() => {
    if (!overviewReady()) return;
    firstOverview.disconnect();
    void afterNextFrame().then((drawn) => {
      window.__kalamBench.overviewDrawnAt = performance.timeOrigin + drawn;
    });
  });
  firstOverview.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'aria-busy'] });

  /**
   * Clicks the tab strip's tab showing `href` and waits for the first data row of that table's grid
   * (`Rows of <table>`) to be drawn: the other tab's grid is in the page until then.
   */
  function switchTab(href, table, timeoutMs) {
    const link = document.querySelector(`nav[aria-label="Open tabs"] a[href="${href}"]`);
    if (!link) return Promise.reject(new Error(`no tab ${href}`));
    return measure(
      () => link.click(),
      () => firstDataCell(`Rows of ${table}`) !== null,
      timeoutMs,
    );
  }

  /** The command palette's options (its listbox), or an empty list when it is not open. */
  function paletteOptions() {
    const dialog = document.querySelector('dialog[open]');
    return dialog ? [...dialog.querySelectorAll('[role="listbox"] [role="option"]')] : [];
  }

  /** Ctrl+K (as the keyboard sends it) until the palette's first results are drawn. */
  function openPalette(timeoutMs) {
    if (paletteOptions().length > 0) return Promise.reject(new Error('the palette is already open'));
    return measure(
      () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', code: 'KeyK', ctrlKey: true, bubbles: true, cancelable: true })),
      () => paletteOptions().length > 0,
      timeoutMs,
    );
  }

  /** Types `text` into the open palette (one input event, as a paste) until its first result is `expected`. */
  function paletteQuery(text, expected, timeoutMs) {
    const input = document.querySelector('dialog[open] [role="combobox"]');
    if (!input) return Promise.reject(new Error('the palette is not open'));
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    return measure(
      () => {
        setValue.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      () => {
        const first = paletteOptions()[0];
        const label = first && first.querySelector('.palette__label');
        return label !== null && label !== undefined && label.textContent === expected;
      },
      timeoutMs,
    );
  }

  /** Resolves once the palette is gone from the page (after Escape). */
  function paletteClosed(timeoutMs) {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const poll = () => {
        if (document.querySelector('[role="listbox"][aria-label="Results"]') === null) resolve(null);
        else if (performance.now() - t0 > timeoutMs) reject(new Error(`the palette is still open after ${timeoutMs} ms`));
        else requestAnimationFrame(poll);
      };
      poll();
    });
  }

  /**
   * Submits the go-to-key form (its input must already hold `key`) and waits for the row with that
   * key to be drawn in view.
   */
  function goToKey(key, timeoutMs) {
    const form = document.querySelector('form[aria-label="Go to key"]');
    const input = form && form.querySelector('input');
    if (!form || !input) return Promise.reject(new Error('no go-to-key form'));
    if (input.value !== key) return Promise.reject(new Error(`the go-to-key box holds "${input.value}", expected "${key}"`));
    return measure(
      () => form.requestSubmit(),
      () => rowWithKey(key) !== null,
      timeoutMs,
    );
  }

  /**
   * Clicks the SQL console's "Run statement" (the editor must already hold the query, with the
   * cursor in it) and waits for the first data row of its result grid to be drawn.
   */
  function runSql(timeoutMs) {
    const button = [...document.querySelectorAll('[role="toolbar"][aria-label="Console actions"] button')].find((b) => b.textContent === 'Run statement');
    if (!button) return Promise.reject(new Error('no "Run statement" button'));
    if (grid()) return Promise.reject(new Error('a result grid is already shown'));
    return measure(
      () => button.click(),
      () => firstDataCell() !== null,
      timeoutMs,
    );
  }

  /** Data-row indexes (0-based, from aria-rowindex) of the rendered rows in view: [min, max]. */
  function shownRange(g) {
    const b = body(g);
    let min = Infinity;
    let max = -Infinity;
    if (!b) return { min, max };
    const gr = g.getBoundingClientRect();
    const top = gr.top + headerHeight(g);
    for (const row of b.querySelectorAll(':scope > [role="row"]')) {
      const r = row.getBoundingClientRect();
      if (r.bottom <= top || r.top >= gr.bottom) continue;
      const index = Number(row.getAttribute('aria-rowindex')) - 2;
      if (index < min) min = index;
      if (index > max) max = index;
    }
    return { min, max };
  }

  /** True when rendered rows cover the whole visible body of the grid (no blank band). */
  function covered(g) {
    const b = body(g);
    if (!b) return false;
    const gr = g.getBoundingClientRect();
    const top = gr.top + headerHeight(g);
    const bottom = Math.min(gr.bottom, b.getBoundingClientRect().bottom);
    const spans = [];
    for (const row of b.querySelectorAll(':scope > [role="row"]')) {
      const r = row.getBoundingClientRect();
      if (r.bottom > top && r.top < bottom) spans.push([r.top, r.bottom]);
    }
    spans.sort((a, c) => a[0] - c[0]);
    let reach = top;
    for (const [s, e] of spans) {
      if (s > reach + 0.5) return false;
      reach = Math.max(reach, e);
    }
    return reach >= bottom - 0.5;
  }

  /**
   * Scrolls the grid down one visible body height at a time (setting scrollTop of its scroll
   * container), and after each step waits until rows cover the view again; when the view is at the
   * end of the loaded rows it waits for the next page. Stops once a row with data index >=
   * `targetIndex` is in view.
   */
  async function scrollThrough(targetIndex, timeoutMs) {
    const g = grid();
    if (!g) throw new Error('no grid');
    const start = performance.now();
    const first = shownRange(g);
    let steps = 0;
    let frames = 0;
    let stalledFrames = 0;
    let uncoveredFrames = 0;
    let maxFrameGap = 0;
    let last = start;
    let shown = first.max;
    const frame = async () => {
      const now = await afterNextFrame();
      frames += 1;
      maxFrameGap = Math.max(maxFrameGap, now - last);
      last = now;
    };
    while (shown < targetIndex) {
      if (performance.now() - start > timeoutMs) throw new Error(`scroll: only reached row ${shown} of ${targetIndex} within ${timeoutMs} ms`);
      const step = Math.max(30, g.clientHeight - headerHeight(g));
      const before = g.scrollTop;
      g.scrollTop = before + step;
      steps += 1;
      await frame();
      while (!covered(g)) {
        uncoveredFrames += 1;
        if (performance.now() - start > timeoutMs) throw new Error('scroll: rows never covered the view');
        await frame();
      }
      if (g.scrollTop <= before + 0.5) {
        // At the end of the loaded rows: the next page is on its way.
        stalledFrames += 1;
      }
      shown = Math.max(shown, shownRange(g).max);
    }
    const end = performance.now();
    return { start, end, firstShown: first.max, lastShown: shown, steps, frames, stalledFrames, uncoveredFrames, maxFrameGap };
  }

  window.__kalamBench = {
    longTasks,
    openTable,
    openOverview,
    overviewDrawnAt: undefined,
    overviewCharts,
    goToKey,
    switchTab,
    openPalette,
    paletteQuery,
    paletteClosed,
    runSql,
    scrollThrough,
    shownRange: () => {
      const g = grid();
      return g ? shownRange(g) : null;
    },
    longTasksBetween: (from, to) => longTasks.filter((t) => t.start >= from && t.start <= to),
  };
})();
