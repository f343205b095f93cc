import { keepPreviousData, type QueryClient, skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { IndexInfo, TableListEntry } from '../../../shared/contract';
import type { DatabaseSample, JobBar, ScopeHealth, ScopeTotals, StorageOverview, TableTiers, UserDistribution } from '../../../shared/stats';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useGate } from '../app/gates';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { CaptionedTable } from '../components/CaptionedTable';
import { formatCount } from '../grid/cell-format';
import { formatBytes } from '../indexes/format';
import { formatElapsed, formatTime } from '../jobs/job-text';
import { Chart, type ChartOption } from './Chart';
import { ChartCard } from './ChartCard';
import { type ChartColors, useChartColors } from './chart-theme';

/** The database sizes are sampled every 10 s in the main process: the dashboard follows. */
const REFRESH_MS = 10_000;
/** Rows of a bar chart shown at once; more scroll with the zoom slider. */
const VISIBLE_BARS = 25;

const go = (href: string) => {
  window.location.hash = href;
};
const storageHref = (table: string) => routeHref({ view: 'storage', table });

function axisStyle(c: ChartColors) {
  return { axisLabel: { color: c.muted }, axisLine: { lineStyle: { color: c.border } }, splitLine: { lineStyle: { color: c.border } } };
}

function baseOption(c: ChartColors): ChartOption {
  return {
    textStyle: { color: c.text },
    legend: { textStyle: { color: c.text }, top: 0 },
    tooltip: { trigger: 'item', confine: true },
  };
}

/** Horizontal bars, one category per row; a zoom slider when there are many. */
function barRows(c: ChartColors, categories: string[], xFormatter: (v: number) => string): ChartOption {
  const zoom = categories.length > VISIBLE_BARS;
  return {
    ...baseOption(c),
    grid: { left: 8, right: zoom ? 40 : 16, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', ...axisStyle(c), axisLabel: { color: c.muted, formatter: xFormatter } },
    yAxis: { type: 'category', data: categories, inverse: true, ...axisStyle(c) },
    dataZoom: zoom ? [{ type: 'slider', yAxisIndex: 0, right: 4, width: 16, startValue: 0, endValue: VISIBLE_BARS - 1 }] : [],
  };
}

const barsHeight = (n: number) => Math.max(140, 40 + Math.min(n, VISIBLE_BARS) * 24);

// ----- tiers ---------------------------------------------------------------------------------

type Metric = 'rows' | 'bytes';
type TierSort = 'size' | 'name' | 'hot';

function TiersCard({ tables, colors }: { tables: TableTiers[]; colors: ChartColors }) {
  const [metric, setMetric] = useState<Metric>('rows');
  const [sort, setSort] = useState<TierSort>('size');
  const sorted = useMemo(() => {
    const total = (t: TableTiers) => t.hot[metric] + t.cold[metric];
    return [...tables].sort((a, b) =>
      sort === 'name' ? a.table.localeCompare(b.table) : sort === 'hot' ? b.hot[metric] - a.hot[metric] : total(b) - total(a),
    );
  }, [tables, metric, sort]);
  const fmt = metric === 'rows' ? formatCount : formatBytes;
  const option = useMemo<ChartOption>(
    () => ({
      ...barRows(
        colors,
        sorted.map((t) => t.table),
        fmt,
      ),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      series: [
        { name: 'Hot (SQLite)', type: 'bar', stack: 'tier', color: colors.hot, data: sorted.map((t) => t.hot[metric]) },
        { name: 'Cold (Parquet)', type: 'bar', stack: 'tier', color: colors.cold, data: sorted.map((t) => t.cold[metric]) },
      ],
    }),
    [colors, sorted, metric, fmt],
  );
  return (
    <ChartCard
      title="Tiers per table"
      testId="tiers-card"
      hint="Hot rows live in SQLite until a flush writes them to Parquet segments (cold). Stored rows: every version, deletes included. Click a bar for the table's storage."
      controls={
        <>
          <label className="stats-card__control">
            Show{' '}
            <select className="select select--compact" value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
              <option value="rows">rows</option>
              <option value="bytes">bytes</option>
            </select>
          </label>
          <label className="stats-card__control">
            Sort by{' '}
            <select className="select select--compact" value={sort} onChange={(e) => setSort(e.target.value as TierSort)}>
              <option value="size">total</option>
              <option value="hot">hot</option>
              <option value="name">name</option>
            </select>
          </label>
        </>
      }
      chart={
        tables.length === 0 ? (
          <p className="muted">No data tables yet.</p>
        ) : (
          <Chart
            label={`Hot and cold ${metric} per table`}
            option={option}
            height={barsHeight(sorted.length)}
            onClick={({ dataIndex }) => go(storageHref(sorted[dataIndex]!.table))}
            testId="tiers-chart"
          />
        )
      }
      table={() => (
        <CaptionedTable
          className="stats-table"
          caption="Hot and cold tiers per table"
          headers={['Table', 'Type', 'Hot rows', 'Deletes', 'Hot bytes', 'Cold rows', 'Cold bytes', 'Segments']}
        >
          {sorted.map((t) => (
            <tr key={t.table}>
              <td>
                <a href={storageHref(t.table)}>{t.table}</a>
              </td>
              <td>{t.type}</td>
              <td className="num">{formatCount(t.hot.rows)}</td>
              <td className="num">{formatCount(t.hot.tombstones)}</td>
              <td className="num">{formatBytes(t.hot.bytes)}</td>
              <td className="num">{formatCount(t.cold.rows)}</td>
              <td className="num">{formatBytes(t.cold.bytes)}</td>
              <td className="num">{formatCount(t.cold.segments)}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

// ----- users ---------------------------------------------------------------------------------

const usersOptions = (table: string) => orpc.stats.users.queryOptions({ input: { table } });

/**
 * Starts asking for the rows per user of the card's first table while the overview is on its way:
 * the card only learns its tables from the overview, and its own request would then come after
 * it. The sidebar's table list, when it is in, names the same first user table (both list the
 * data tables in the engine's order); without it the card asks when it mounts.
 */
function prefetchFirstUsers(queryClient: QueryClient): void {
  const list = queryClient.getQueryData<TableListEntry[]>(orpc.tables.list.queryKey({ input: {} }));
  const first = list?.find((t) => t.kind === 'user')?.table;
  if (first === undefined) return;
  const options = usersOptions(first);
  if (queryClient.getQueryState(options.queryKey) === undefined) void queryClient.prefetchQuery(options);
}

/** Rows per user of the user table picked (the first by default), asked for that table alone. */
function UsersCard({ tables, colors }: { tables: string[]; colors: ChartColors }) {
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const table = tables.find((t) => t === picked) ?? tables[0];
  const users = useQuery({
    ...(table === undefined ? orpc.stats.users.queryOptions({ input: skipToken }) : usersOptions(table)),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const current: UserDistribution | undefined = users.data?.table === table ? users.data : undefined;
  const option = useMemo<ChartOption | undefined>(() => {
    if (!current) return undefined;
    const top = current.top;
    const buckets = current.histogram;
    return {
      ...baseOption(colors),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      grid: [
        { left: 8, right: '54%', top: 40, bottom: 8, containLabel: true },
        { left: '54%', right: 8, top: 40, bottom: 8, containLabel: true },
      ],
      title: [
        { text: `Top users of ${current.table}`, left: 0, top: 0, textStyle: { color: colors.muted, fontSize: 12 } },
        { text: 'Users by row count', left: '54%', top: 0, textStyle: { color: colors.muted, fontSize: 12 } },
      ],
      legend: { show: false },
      xAxis: [
        { type: 'value', gridIndex: 0, ...axisStyle(colors) },
        { type: 'category', gridIndex: 1, data: buckets.map((b) => `${formatCount(b.from)}–${formatCount(b.to - 1)}`), ...axisStyle(colors) },
      ],
      yAxis: [
        { type: 'category', gridIndex: 0, data: top.map((u) => u.userId), inverse: true, ...axisStyle(colors) },
        { type: 'value', gridIndex: 1, minInterval: 1, ...axisStyle(colors) },
      ],
      series: [
        { name: 'Hot rows', type: 'bar', stack: 'u', xAxisIndex: 0, yAxisIndex: 0, color: colors.hot, data: top.map((u) => u.hot) },
        { name: 'Cold rows', type: 'bar', stack: 'u', xAxisIndex: 0, yAxisIndex: 0, color: colors.cold, data: top.map((u) => u.cold) },
        { name: 'Users', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, color: colors.neutral, data: buckets.map((b) => b.users) },
      ],
    };
  }, [current, colors]);
  if (table === undefined) return null;
  const controls =
    tables.length > 1 ? (
      <label className="stats-card__control">
        Table{' '}
        <select className="select select--compact" value={table} onChange={(e) => setPicked(e.target.value)}>
          {tables.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
    ) : null;
  if (!current) {
    return (
      <section className="card stats-card" data-testid="users-card" aria-busy={!users.isError}>
        <h2 className="card__title">Rows per user</h2>
        {controls}
        {users.isError ? <Alert kind="error">{errorMessage(users.error)}</Alert> : <p className="muted">Counting the rows of each user of {table}…</p>}
      </section>
    );
  }
  return (
    <ChartCard
      title="Rows per user"
      testId="users-card"
      hint={`${formatCount(current.users)} users hold rows of ${current.table}. Click a mark for the table's storage.`}
      controls={controls}
      chart={
        <Chart
          label={`Rows per user of ${current.table}`}
          option={option!}
          height={barsHeight(Math.max(current.top.length, 4)) + 20}
          onClick={() => go(storageHref(current.table))}
        />
      }
      table={() => (
        <>
          <CaptionedTable className="stats-table" caption={`Top users of ${current.table}`} headers={['User', 'Hot rows', 'Cold rows']}>
            {current.top.map((u) => (
              <tr key={u.userId}>
                <td>{u.userId}</td>
                <td className="num">{formatCount(u.hot)}</td>
                <td className="num">{formatCount(u.cold)}</td>
              </tr>
            ))}
          </CaptionedTable>
          <CaptionedTable className="stats-table" caption={`Users of ${current.table} by row count`} headers={['Rows', 'Users']}>
            {current.histogram.map((b) => (
              <tr key={b.from}>
                <td>
                  {formatCount(b.from)}–{formatCount(b.to - 1)}
                </td>
                <td className="num">{formatCount(b.users)}</td>
              </tr>
            ))}
          </CaptionedTable>
        </>
      )}
    />
  );
}

// ----- segment health ------------------------------------------------------------------------

const scopeName = (s: ScopeHealth) => (s.user === null ? s.table : `${s.table} / ${s.user}`);

function SegmentsCard({ scopes: shown, totals, colors }: { scopes: ScopeHealth[]; totals: ScopeTotals; colors: ChartColors }) {
  // The server sends the most pressing scopes first, at most SCOPES_LISTED; the totals count them all.
  const more = totals.scopes - shown.length;
  const option = useMemo<ChartOption>(
    () => ({
      ...barRows(colors, shown.map(scopeName), (v) => String(v)),
      xAxis: { type: 'value', minInterval: 1, ...axisStyle(colors) },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      series: [
        {
          name: 'Segments',
          type: 'bar',
          data: shown.map((s) => ({ value: s.segments, itemStyle: { color: s.candidate ? colors.warning : colors.cold } })),
        },
      ],
    }),
    [colors, shown],
  );
  return (
    <ChartCard
      title="Segment health"
      testId="segments-card"
      hint={
        <>
          {totals.candidates === 0
            ? 'No scope needs compaction.'
            : `${formatCount(totals.candidates)} compaction candidate${totals.candidates === 1 ? '' : 's'} (highlighted): many or small segments, about ${formatBytes(totals.estimatedGain)} to gain. Click a bar for the table's storage and its compaction dry run.`}
          {more > 0
            ? ` Showing the ${formatCount(shown.length)} scopes most in need of compaction of ${formatCount(totals.scopes)} (${formatCount(totals.segments)} segments); each table's Storage tab lists all of its segments.`
            : ''}
        </>
      }
      chart={
        shown.length === 0 ? (
          <p className="muted">Nothing flushed yet.</p>
        ) : (
          <Chart
            label="Segments per scope; compaction candidates highlighted"
            option={option}
            height={barsHeight(shown.length)}
            onClick={({ dataIndex }) => go(storageHref(shown[dataIndex]!.table))}
            testId="segments-chart"
          />
        )
      }
      table={() => (
        <CaptionedTable
          className="stats-table"
          caption="Segments per scope"
          headers={['Scope', 'Segments', 'Rows', 'Bytes', 'Smallest', 'Median', 'Largest', 'Candidate', 'Estimated gain']}
        >
          {shown.map((s) => (
            <tr key={scopeName(s)}>
              <td>
                <a href={storageHref(s.table)}>{scopeName(s)}</a>
              </td>
              <td className="num">{formatCount(s.segments)}</td>
              <td className="num">{formatCount(s.rows)}</td>
              <td className="num">{formatBytes(s.bytes)}</td>
              <td className="num">{formatBytes(s.smallest)}</td>
              <td className="num">{formatBytes(s.median)}</td>
              <td className="num">{formatBytes(s.largest)}</td>
              <td>{s.candidate ?? '—'}</td>
              <td className="num">{s.candidate ? formatBytes(s.estimatedGain) : '—'}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

// ----- flush policy --------------------------------------------------------------------------

function FlushPolicyCard({ tables, now, colors }: { tables: TableTiers[]; now: number; colors: ChartColors }) {
  const withPolicy = tables.filter((t) => t.policy !== null);
  const rowsPct = (t: TableTiers) => (t.policy?.rowLimit ? Math.min(100, (100 * t.policy.hotRows) / t.policy.rowLimit) : null);
  const timePct = (t: TableTiers) =>
    t.policy?.intervalSeconds && t.policy.hotRows > 0 && t.policy.lastFlushAt !== null
      ? Math.min(100, (100 * (now - t.policy.lastFlushAt)) / (t.policy.intervalSeconds * 1000))
      : null;
  const option = useMemo<ChartOption>(
    () => ({
      ...barRows(
        colors,
        withPolicy.map((t) => t.table),
        (v) => `${v}%`,
      ),
      xAxis: { type: 'value', max: 100, ...axisStyle(colors), axisLabel: { color: colors.muted, formatter: '{value}%' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${Math.round(v)}%` : '—'),
      },
      series: [
        { name: 'Rows toward the row limit', type: 'bar', color: colors.hot, data: withPolicy.map(rowsPct) },
        { name: 'Time toward the interval', type: 'bar', color: colors.cold, data: withPolicy.map(timePct) },
      ],
    }),
    [colors, withPolicy, now],
  );
  return (
    <ChartCard
      title="Flush policy"
      testId="policy-card"
      hint="Progress toward each table's next automatic flush: hot rows against the row limit, time since the last flush against the interval (once there are hot rows)."
      chart={
        withPolicy.length === 0 ? (
          <p className="muted">No table has a flush policy.</p>
        ) : (
          <Chart
            label="Progress toward the next automatic flush per table"
            option={option}
            height={barsHeight(withPolicy.length)}
            onClick={({ dataIndex }) => go(storageHref(withPolicy[dataIndex]!.table))}
          />
        )
      }
      table={() => (
        <CaptionedTable className="stats-table" caption="Flush policy state per table" headers={['Table', 'Hot rows', 'Row limit', 'Last flush', 'Interval']}>
          {withPolicy.map((t) => (
            <tr key={t.table}>
              <td>
                <a href={storageHref(t.table)}>{t.table}</a>
              </td>
              <td className="num">{formatCount(t.policy!.hotRows)}</td>
              <td className="num">{t.policy!.rowLimit === null ? '—' : formatCount(t.policy!.rowLimit)}</td>
              <td>{t.policy!.lastFlushAt === null ? 'never' : `${formatElapsed(now - t.policy!.lastFlushAt)} ago`}</td>
              <td>{t.policy!.intervalSeconds === null ? '—' : formatElapsed(t.policy!.intervalSeconds * 1000)}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

// ----- database ------------------------------------------------------------------------------

/** The sample nearest to time `at` (samples are in time order). */
function nearestSample(samples: readonly DatabaseSample[], at: number): DatabaseSample | undefined {
  let best: DatabaseSample | undefined;
  for (const s of samples) if (!best || Math.abs(s.at - at) < Math.abs(best.at - at)) best = s;
  return best;
}

/**
 * A click on the sizes over time opens the sample it points at as the card's table row (its time
 * and exact bytes, picked out and focused): a point of this chart shows the database at one moment,
 * and those numbers are what the chart rounds off. Anywhere in the plot counts, as an hour of
 * samples is drawn without symbols to click.
 */
function DatabaseCard({ database, colors }: { database: StorageOverview['database']; colors: ChartColors }) {
  const samples = database.samples;
  const [asTable, setAsTable] = useState(false);
  const [picked, setPicked] = useState<number | null>(null);
  const pickedRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (!asTable || picked === null) return;
    pickedRow.current?.scrollIntoView({ block: 'nearest' });
    pickedRow.current?.focus();
  }, [asTable, picked]);
  const option = useMemo<ChartOption>(
    () => ({
      ...baseOption(colors),
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: unknown) => (typeof v === 'number' ? formatBytes(v) : '') },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'time', ...axisStyle(colors) },
      yAxis: { type: 'value', ...axisStyle(colors), axisLabel: { color: colors.muted, formatter: (v: number) => formatBytes(v) } },
      series: [
        { name: 'Database file', type: 'line', showSymbol: samples.length < 30, color: colors.cold, data: samples.map((s) => [s.at, s.fileBytes]) },
        { name: 'WAL', type: 'line', showSymbol: samples.length < 30, color: colors.hot, data: samples.map((s) => [s.at, s.walBytes]) },
        { name: 'Free pages', type: 'line', showSymbol: samples.length < 30, color: colors.neutral, data: samples.map((s) => [s.at, s.freeBytes]) },
      ],
    }),
    [colors, samples],
  );
  const open = (at: number) => {
    const sample = nearestSample(samples, at);
    if (!sample) return;
    setPicked(sample.at);
    setAsTable(true);
  };
  return (
    <ChartCard
      title="Database"
      testId="database-card"
      hint={`File, WAL and free-page sizes, sampled every 10 s while the app runs (the last hour). Page size ${formatBytes(database.pageSize)}. Click a point for that sample's exact sizes.`}
      asTable={asTable}
      onAsTable={setAsTable}
      chart={<Chart label="Database file, WAL and free-page sizes over time" option={option} height={220} onPlotClick={open} testId="database-chart" />}
      table={() => (
        <CaptionedTable className="stats-table" caption="Database sizes over time" headers={['Time', 'Database file', 'WAL', 'Free pages']}>
          {samples.map((s) => (
            <tr
              key={s.at}
              ref={s.at === picked ? pickedRow : undefined}
              tabIndex={s.at === picked ? -1 : undefined}
              aria-current={s.at === picked ? 'true' : undefined}
              className={s.at === picked ? 'stats-table__picked' : undefined}
            >
              <td>{formatTime(s.at)}</td>
              <td className="num">{formatBytes(s.fileBytes)}</td>
              <td className="num">{formatBytes(s.walBytes)}</td>
              <td className="num">{formatBytes(s.freeBytes)}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

function IndexesCard({ indexes, colors }: { indexes: IndexInfo[]; colors: ChartColors }) {
  const sorted = useMemo(() => [...indexes].sort((a, b) => b.bytes - a.bytes), [indexes]);
  const name = (i: IndexInfo) => `${i.table}.${i.name}`;
  const option = useMemo<ChartOption>(
    () => ({
      ...barRows(colors, sorted.map(name), formatBytes),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? formatBytes(v) : ''),
      },
      series: [{ name: 'Index size', type: 'bar', color: colors.cold, data: sorted.map((i) => i.bytes) }],
    }),
    [colors, sorted],
  );
  return (
    <ChartCard
      title="Index sizes"
      testId="indexes-card"
      hint="Keys and values stored per secondary index. Click a bar to inspect the index."
      chart={
        <Chart
          label="Index sizes"
          option={option}
          height={barsHeight(sorted.length)}
          onClick={({ dataIndex }) => go(routeHref({ view: 'indexes', table: sorted[dataIndex]!.table, index: sorted[dataIndex]!.name }))}
        />
      }
      table={() => (
        <CaptionedTable className="stats-table" caption="Index sizes" headers={['Index', 'Entries', 'Bytes']}>
          {sorted.map((i) => (
            <tr key={name(i)}>
              <td>
                <a href={routeHref({ view: 'indexes', table: i.table, index: i.name })}>{name(i)}</a>
              </td>
              <td className="num">{formatCount(i.entries)}</td>
              <td className="num">{formatBytes(i.bytes)}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

// ----- jobs ----------------------------------------------------------------------------------

const KINDS = ['flush', 'compact', 'backup', 'restore', 'evict', 'index_rebuild', 'index_verify'];

function statusColor(status: JobBar['status'], c: ChartColors): string {
  if (status === 'failed') return c.danger;
  if (status === 'cancelled' || status === 'skipped') return c.neutral;
  if (status === 'completed') return c.success;
  return c.warning;
}

function JobsCard({ jobs, colors }: { jobs: JobBar[]; colors: ChartColors }) {
  const kinds = useMemo(() => {
    const seen = new Set(jobs.map((j) => j.kind));
    return [...KINDS.filter((k) => seen.has(k as JobBar['kind'])), ...[...seen].filter((k) => !KINDS.includes(k))];
  }, [jobs]);
  const failed = jobs.filter((j) => j.status === 'failed').length;
  const option = useMemo<ChartOption>(
    () => ({
      ...baseOption(colors),
      legend: { show: false },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { dataIndex: number }) => {
          const j = jobs[p.dataIndex]!;
          const rate = j.rowsPerSecond === null ? '' : `, ${formatCount(j.rowsPerSecond)} rows/s`;
          return `${j.id} ${j.kind}${j.table ? ` ${j.table}` : ''}: ${j.status}, ${formatElapsed(j.durationMs)}${rate}`;
        },
      },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'time', ...axisStyle(colors) },
      yAxis: { type: 'category', data: kinds, ...axisStyle(colors) },
      series: [
        {
          type: 'custom',
          name: 'Jobs',
          encode: { x: [1, 2], y: 0 },
          data: jobs.map((j) => ({
            value: [kinds.indexOf(j.kind), j.startedAt, j.startedAt + Math.max(j.durationMs, 1)],
            itemStyle: { color: statusColor(j.status, colors) },
          })),
          renderItem: (
            params: unknown,
            api: { value(i: number): number; coord(p: number[]): number[]; size(p: number[]): number[]; visual(k: 'color'): string },
          ) => {
            void params;
            const y = api.value(0);
            const start = api.coord([api.value(1), y]);
            const end = api.coord([api.value(2), y]);
            const height = api.size([0, 1])[1]! * 0.6;
            return {
              type: 'rect',
              shape: { x: start[0]!, y: start[1]! - height / 2, width: Math.max(3, end[0]! - start[0]!), height },
              // The item's colour alone: api.style() builds a whole text and shadow style per bar, a
              // third of the chart's time with a thousand jobs.
              style: { fill: api.visual('color') },
            };
          },
        },
      ],
    }),
    [colors, jobs, kinds],
  );
  return (
    <ChartCard
      title="Jobs over time"
      testId="jobs-card"
      hint={`${formatCount(jobs.length)} jobs${failed ? `, ${failed} failed (in red)` : ''}. Green completed, amber running or queued, grey cancelled. Click a bar to open the job.`}
      chart={
        jobs.length === 0 ? (
          <p className="muted">No job has run yet.</p>
        ) : (
          <Chart
            label="Jobs over time by kind, coloured by status"
            option={option}
            height={Math.max(140, 40 + kinds.length * 36)}
            onClick={({ dataIndex }) => go(routeHref({ view: 'jobs', job: jobs[dataIndex]!.id }))}
            testId="jobs-chart"
          />
        )
      }
      table={() => (
        <CaptionedTable className="stats-table" caption="Jobs over time" headers={['Job', 'Kind', 'Table', 'Status', 'Started', 'Duration', 'Rows', 'Rows/s']}>
          {jobs.map((j) => (
            <tr key={j.id} className={j.status === 'failed' ? 'stats-table__failed' : undefined}>
              <td>
                <a href={routeHref({ view: 'jobs', job: j.id })}>{j.id}</a>
              </td>
              <td>{j.kind}</td>
              <td>{j.table ?? '—'}</td>
              <td>{j.status}</td>
              <td>{formatTime(j.startedAt)}</td>
              <td className="num">{formatElapsed(j.durationMs)}</td>
              <td className="num">{j.rows === null ? '—' : formatCount(j.rows)}</td>
              <td className="num">{j.rowsPerSecond === null ? '—' : formatCount(j.rowsPerSecond)}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
    />
  );
}

/** The storage dashboard of the Overview page. */
export function OverviewDashboard() {
  const refused = useGate({ right: 'readStatistics' });
  const queryClient = useQueryClient();
  const overview = useQuery({ ...orpc.stats.overview.queryOptions(), enabled: refused === undefined, refetchInterval: REFRESH_MS });
  // Once, while the overview is asked for (as TanStack's usePrefetchQuery does, in render).
  if (refused === undefined && !overview.data) prefetchFirstUsers(queryClient);
  const indexes = useQuery({ ...orpc.indexes.list.queryOptions(), enabled: refused === undefined });
  const colors = useChartColors();
  const data = overview.data;
  const userTables = useMemo(() => (data ? data.tables.filter((t) => t.type === 'user').map((t) => t.table) : []), [data]);
  if (refused !== undefined) return <p className="muted">Storage statistics: {refused}</p>;
  if (overview.isError) {
    return (
      <Alert kind="error" title="Storage statistics are unavailable">
        {errorMessage(overview.error)}
      </Alert>
    );
  }
  if (!data) return <p className="muted">Collecting storage statistics…</p>;
  return (
    <div className="stats-grid" data-testid="storage-dashboard">
      <TiersCard tables={data.tables} colors={colors} />
      <SegmentsCard scopes={data.scopes} totals={data.scopeTotals} colors={colors} />
      <FlushPolicyCard tables={data.tables} now={data.at} colors={colors} />
      <UsersCard tables={userTables} colors={colors} />
      <DatabaseCard database={data.database} colors={colors} />
      {indexes.data ? <IndexesCard indexes={indexes.data} colors={colors} /> : null}
      <JobsCard jobs={data.jobs} colors={colors} />
    </div>
  );
}
