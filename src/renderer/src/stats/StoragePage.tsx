import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { Job } from '../../../shared/system/jobs';
import type { TableStorage } from '../../../shared/stats';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useGate } from '../app/gates';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { CaptionedTable } from '../components/CaptionedTable';
import { formatCount } from '../grid/cell-format';
import { formatBytes } from '../indexes/format';
import { formatTime } from '../jobs/job-text';
import { useStartJob } from '../jobs/use-jobs';
import { Chart, type ChartOption } from './Chart';
import { ChartCard } from './ChartCard';
import { type ChartColors, useChartColors } from './chart-theme';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'skipped']);
const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The Rows / Storage tabs of a table (links: each is its own address). */
export function TableTabs({ table, current }: { table: string; current: 'rows' | 'storage' }) {
  return (
    <nav className="table-tabs" aria-label={`${table} views`}>
      <a className="table-tabs__tab" href={routeHref({ view: 'table', table })} aria-current={current === 'rows' ? 'page' : undefined}>
        Rows
      </a>
      <a className="table-tabs__tab" href={routeHref({ view: 'storage', table })} aria-current={current === 'storage' ? 'page' : undefined}>
        Storage
      </a>
    </nav>
  );
}

/** A job this page started, followed until it ends (its result is what the dry run is compared with). */
function useFollowedJob(id: string | undefined) {
  return useQuery({
    ...orpc.jobs.get.queryOptions({ input: { id: id ?? '' } }),
    enabled: id !== undefined,
    refetchInterval: (q) => (q.state.data && ENDED.has(q.state.data.status) ? false : 500),
  });
}

function numberOf(job: Job | undefined, key: string): number {
  const r = job?.result;
  const v = r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : 0;
}

function JobOutcome({ job, describe }: { job: Job | undefined; describe: (job: Job) => string }) {
  if (!job) return null;
  const link = <a href={routeHref({ view: 'jobs', job: job.job_id })}>{job.job_id}</a>;
  if (!ENDED.has(job.status))
    return (
      <p role="status">
        {link}: {job.status}…
      </p>
    );
  if (job.status !== 'completed') {
    return (
      <p role="status" className="stats-outcome stats-outcome--bad">
        {link}: {job.status}
        {job.error ? ` (${job.error})` : job.message ? ` (${job.message})` : ''}
      </p>
    );
  }
  return (
    <p role="status" className="stats-outcome" data-testid={`outcome-${job.job_type}`}>
      {link}: {describe(job)}
    </p>
  );
}

function DryRuns({ table, data }: { table: string; data: TableStorage }) {
  const blocked = useGate({ write: true, right: 'manageJobs' });
  const { start, isPending } = useStartJob();
  const [flushJob, setFlushJob] = useState<string>();
  const [compactJob, setCompactJob] = useState<string>();
  const flushed = useFollowedJob(flushJob).data;
  const compacted = useFollowedJob(compactJob).data;
  // A job that ended changed the numbers above: read them again.
  const queryClient = useQueryClient();
  const ended = [flushed, compacted].filter((j) => j && ENDED.has(j.status)).length;
  useEffect(() => {
    if (ended > 0) void queryClient.invalidateQueries({ queryKey: orpc.stats.key() });
  }, [ended, queryClient]);
  const { flush, compact } = data;
  const run = (type: 'flush' | 'compact', set: (id: string) => void) => start({ type, table }, (jobs) => set(jobs[0]!.job_id));
  return (
    <section className="card" aria-labelledby="storage-dry-runs">
      <h2 id="storage-dry-runs" className="card__title">
        Maintenance dry runs
      </h2>
      <div className="dry-run">
        <p data-testid="flush-preview">
          {flush.rows === 0
            ? 'Flush now would write nothing: the table has no hot rows.'
            : `Flush now would write ${plural(flush.rows, 'row')} into ${plural(flush.files, 'file')} of about ${formatBytes(flush.estimatedBytes / Math.max(1, flush.files))}, and remove ${plural(flush.removeHotRows, 'hot row')}.`}
        </p>
        <button
          type="button"
          className="button button--small"
          disabled={blocked !== undefined || isPending || flush.rows === 0}
          title={blocked}
          onClick={() => run('flush', setFlushJob)}
        >
          Flush now
        </button>
        <JobOutcome
          job={flushed}
          describe={(j) =>
            `wrote ${plural(numberOf(j, 'rows') + numberOf(j, 'tombstones'), 'row')} into ${plural(numberOf(j, 'files'), 'file')} (${formatBytes(numberOf(j, 'bytes'))}), and removed ${plural(numberOf(j, 'removedFromHot'), 'hot row')}.`
          }
        />
      </div>
      <div className="dry-run">
        <p data-testid="compact-preview">
          {compact.segments === 0
            ? 'Compact would do nothing: no scope has two segments or more.'
            : `Compact would merge ${plural(compact.segments, 'segment')} into ${compact.scopes === 1 ? 'one' : `one per scope (${formatCount(compact.scopes)})`}, saving about ${formatBytes(compact.estimatedSaving)} and reading ${plural(compact.rowsRead, 'row')}.`}
        </p>
        <button
          type="button"
          className="button button--small"
          disabled={blocked !== undefined || isPending || compact.segments === 0}
          title={blocked}
          onClick={() => run('compact', setCompactJob)}
        >
          Compact now
        </button>
        <JobOutcome
          job={compacted}
          describe={(j) =>
            `merged ${plural(numberOf(j, 'segmentsBefore'), 'segment')} into ${plural(numberOf(j, 'scopes'), 'file')}, saving ${formatBytes(numberOf(j, 'bytesBefore') - numberOf(j, 'bytes'))} and reading ${plural(numberOf(j, 'rowsRead'), 'row')}.`
          }
        />
      </div>
    </section>
  );
}

function TiersChart({ data, colors }: { data: TableStorage; colors: ChartColors }) {
  const { hot, cold } = data.tiers;
  const option = useMemo<ChartOption>(
    () => ({
      textStyle: { color: colors.text },
      legend: { textStyle: { color: colors.text }, top: 0 },
      tooltip: { trigger: 'item', confine: true },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border } } },
      yAxis: { type: 'category', data: ['Rows', 'Bytes'], axisLabel: { color: colors.muted } },
      series: [
        {
          name: 'Hot (SQLite)',
          type: 'bar',
          stack: 't',
          color: colors.hot,
          data: [hot.rows / Math.max(1, hot.rows + cold.rows), hot.bytes / Math.max(1, hot.bytes + cold.bytes)].map((v) => Math.round(v * 100)),
        },
        {
          name: 'Cold (Parquet)',
          type: 'bar',
          stack: 't',
          color: colors.cold,
          data: [cold.rows / Math.max(1, hot.rows + cold.rows), cold.bytes / Math.max(1, hot.bytes + cold.bytes)].map((v) => Math.round(v * 100)),
        },
      ],
    }),
    [colors, hot, cold],
  );
  return (
    <ChartCard
      title="Hot and cold"
      testId="storage-tiers"
      hint="Share of the table's stored rows and bytes in each tier, in percent."
      chart={<Chart label="Share of rows and bytes hot and cold" option={option} height={130} />}
      table={() => (
        <CaptionedTable className="stats-table" caption="Hot and cold tiers" headers={['Tier', 'Rows', 'Bytes', 'Detail']}>
          <tr>
            <td>Hot (SQLite)</td>
            <td className="num">{formatCount(hot.rows)}</td>
            <td className="num">{formatBytes(hot.bytes)}</td>
            <td>{plural(hot.tombstones, 'delete')}</td>
          </tr>
          <tr>
            <td>Cold (Parquet)</td>
            <td className="num">{formatCount(cold.rows)}</td>
            <td className="num">{formatBytes(cold.bytes)}</td>
            <td>{plural(cold.segments, 'segment')}</td>
          </tr>
        </CaptionedTable>
      )}
    />
  );
}

function Manifests({ data }: { data: TableStorage }) {
  const [index, setIndex] = useState(0);
  const current = data.manifests[Math.min(index, data.manifests.length - 1)];
  return (
    <section className="card" aria-labelledby="storage-manifest">
      <header className="stats-card__header">
        <h2 id="storage-manifest" className="card__title">
          manifest.json
        </h2>
        {data.manifests.length > 1 ? (
          <label className="stats-card__control">
            Scope{' '}
            <select className="select select--compact" value={index} onChange={(e) => setIndex(Number(e.target.value))}>
              {data.manifests.map((m, i) => (
                <option key={m.path} value={i}>
                  {m.user ?? 'shared'}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      {current ? (
        <>
          <p className="stats-card__hint">
            <code>{current.path}</code>
          </p>
          <pre className="manifest-json" tabIndex={0} data-testid="manifest-json">
            {current.text ?? 'This scope folder has no manifest.json.'}
          </pre>
        </>
      ) : (
        <p className="muted">Nothing flushed yet: no scope has a manifest.</p>
      )}
    </section>
  );
}

/** A table's Storage tab: tiers, segments, manifest.json and dry runs of its maintenance. */
export function StoragePage({ table }: { table: string }) {
  const refused = useGate({ right: 'readStatistics' });
  const storage = useQuery({ ...orpc.stats.table.queryOptions({ input: { table } }), enabled: refused === undefined });
  const colors = useChartColors();
  return (
    <div className="view view--padded">
      <header className="view__header">
        <h1 className="view__title">{table}</h1>
        <TableTabs table={table} current="storage" />
      </header>
      {refused !== undefined ? <p className="muted">{refused}</p> : null}
      {storage.isError ? (
        <Alert kind="error" title="The table's storage could not be read">
          {errorMessage(storage.error)}
        </Alert>
      ) : null}
      {storage.data ? (
        <div className="stats-grid" data-testid="storage-tab">
          <TiersChart data={storage.data} colors={colors} />
          <DryRuns table={table} data={storage.data} />
          <section className="card stats-grid__wide" aria-labelledby="storage-segments">
            <h2 id="storage-segments" className="card__title">
              Segments
            </h2>
            {storage.data.segments.length === 0 ? (
              <p className="muted">No segments: nothing has been flushed.</p>
            ) : (
              <CaptionedTable
                className="stats-table"
                caption={`Segments of ${table}`}
                headers={['File', 'Scope', 'Rows', 'Bytes', 'Min key', 'Max key', 'Row groups', 'Created', 'Created by']}
              >
                {storage.data.segments.map((s) => (
                  <tr key={s.file}>
                    <td>
                      <code>{s.file}</code>
                    </td>
                    <td>{s.user ?? 'shared'}</td>
                    <td className="num">{formatCount(s.rows)}</td>
                    <td className="num">{formatBytes(s.bytes)}</td>
                    <td>{s.minKey ?? '—'}</td>
                    <td>{s.maxKey ?? '—'}</td>
                    <td className="num">{s.rowGroups ?? '—'}</td>
                    <td>{formatTime(s.createdAt)}</td>
                    <td>{s.createdBy ? <a href={routeHref({ view: 'jobs', job: s.createdBy })}>{s.createdBy}</a> : '—'}</td>
                  </tr>
                ))}
              </CaptionedTable>
            )}
          </section>
          <Manifests data={storage.data} />
        </div>
      ) : null}
    </div>
  );
}
