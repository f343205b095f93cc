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
  readonly testId?: string | undefined;
}

/**
 * One ECharts instance on a canvas, set up once and updated with each new option (notMerge: an
 * option is the whole chart). Resizes with its box. Its accessible name is `label`; every chart
 * also shows its data as a table (ChartCard).
 */
export function Chart({ label, option, height, onClick, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current!;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (p) => {
      const e = p as { seriesIndex?: number; dataIndex?: number };
      if (e.seriesIndex !== undefined && e.dataIndex !== undefined) click.current?.({ seriesIndex: e.seriesIndex, dataIndex: e.dataIndex });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    // ECharts' aria module names the container (role img); the name is ours, the numbers are in the card's table.
    chart.current?.setOption({ aria: { enabled: true, label: { description: label } }, animation: false, ...option }, { notMerge: true });
  }, [option, label]);

  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} data-testid={testId} />;
}
