import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  CustomChart,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  AriaComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** What a click on a mark says: its series and its index in that series' data. */
export interface ChartClick {
  readonly seriesIndex: number;
  readonly dataIndex: number;
}

interface ChartProps {
  /** The chart's accessible name (its role is img; the data table beside it carries the numbers). */
  readonly label: string;
  readonly option: ChartOption;
  readonly height: number;
  readonly onClick?: ((click: ChartClick) => void) | undefined;
  /**
   * A click anywhere inside the plot area (the first grid), with its x in data terms (a time on a
   * time axis): for lines whose points are too many to draw as symbols one can click.
   */
  readonly onPlotClick?: ((x: number) => void) | undefined;
  readonly testId?: string | undefined;
}

/** A chart is set up when its box comes within this distance of the viewport. */
const AHEAD_PX = 100;

function inView(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.bottom > -AHEAD_PX && r.top < window.innerHeight + AHEAD_PX;
}

/**
 * Calls `show` once the element is in view, in the next frame (before it is painted): now-ish if it
 * already is, else when it is scrolled to. Not in the effect itself: the commit that mounts a chart
 * also mounts what asks for data (a card's own query subscribes in its effect, after the charts
 * before it), and a chart's setup takes tens of ms, which those requests would wait behind.
 * Returns what stops waiting.
 */
function whenInView(el: Element, show: () => void): () => void {
  if (inView(el)) {
    const frame = requestAnimationFrame(show);
    return () => cancelAnimationFrame(frame);
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      show();
    },
    { rootMargin: `${AHEAD_PX}px 0px` },
  );
  observer.observe(el);
  return () => observer.disconnect();
}

/**
 * One ECharts instance on a canvas, updated with each new option (notMerge: an option is the whole
 * chart). It is set up only once its box is in view: a dashboard draws the charts on screen first,
 * and each other one when it is scrolled to (laying a chart out costs tens of ms, a thousand
 * marks more). Resizes with its box. Its accessible name is `label`; every chart also shows its
 * data as a table (ChartCard).
 */
export function Chart({ label, option, height, onClick, onPlotClick, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const click = useRef(onClick);
  click.current = onClick;
  const plotClick = useRef(onPlotClick);
  plotClick.current = onPlotClick;
  const latest = useRef({ option, label });
  latest.current = { option, label };
  /** What the instance shows, so an option is drawn once whichever effect gets to it first. */
  const shown = useRef<{ option: ChartOption; label: string } | undefined>(undefined);
  const draw = (instance: echarts.ECharts) => {
    const want = latest.current;
    if (shown.current?.option === want.option && shown.current.label === want.label) return;
    shown.current = want;
    // ECharts' aria module names the container (role img); the name is ours, the numbers are in the card's table.
    instance.setOption({ aria: { enabled: true, label: { description: want.label } }, animation: false, ...want.option }, { notMerge: true });
  };

  useEffect(() => {
    const el = box.current!;
    let observer: ResizeObserver | undefined;
    const stopWaiting = whenInView(el, () => {
      const instance = echarts.init(el, undefined, { renderer: 'canvas' });
      chart.current = instance;
      instance.on('click', (p) => {
        const e = p as { seriesIndex?: number; dataIndex?: number };
        if (e.seriesIndex !== undefined && e.dataIndex !== undefined) click.current?.({ seriesIndex: e.seriesIndex, dataIndex: e.dataIndex });
      });
      instance.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
        const at = [e.offsetX, e.offsetY];
        if (!plotClick.current || !instance.containPixel({ gridIndex: 0 }, at)) return;
        const [x] = instance.convertFromPixel({ gridIndex: 0 }, at);
        if (x !== undefined && Number.isFinite(x)) plotClick.current(x);
      });
      draw(instance);
      // ResizeObserver reports the box once when observing starts: a resize then would lay the
      // chart out a second time for nothing. Only a change of size calls for one.
      let size = { width: el.clientWidth, height: el.clientHeight };
      observer = new ResizeObserver(() => {
        const now = { width: el.clientWidth, height: el.clientHeight };
        if (now.width === size.width && now.height === size.height) return;
        size = now;
        instance.resize();
      });
      observer.observe(el);
    });
    return () => {
      stopWaiting();
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
      shown.current = undefined;
    };
    // Set up once; draw reads the latest option through refs.
  }, []);

  useEffect(() => {
    if (chart.current) draw(chart.current);
  }, [option, label]);

  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} data-testid={testId} />;
}
