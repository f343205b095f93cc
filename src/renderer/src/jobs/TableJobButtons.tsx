import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { useGate } from '../app/gates';
import { routeHref } from '../app/routes';
import { formatTime } from './job-text';
import { useStartJob } from './use-jobs';

/** The jobs a shared or user table's toolbar queues for that table (watch them on #/jobs). */
const TABLE_JOBS = [
  { type: 'flush', label: 'Flush to Parquet', title: "Write this table's hot rows to Parquet files in its storage" },
  { type: 'compact', label: 'Compact', title: "Merge this table's Parquet files into one per scope (faster reads)" },
] as const;

/** Says so when the table's flush policy is paused after failed flushes (the scheduler backs off). */
function FlushPaused({ table }: { table: string }) {
  const schedule = useQuery(orpc.jobs.flushSchedule.queryOptions());
  const paused = schedule.data?.paused.find((p) => p.table === table);
  if (!paused) return null;
  const next = paused.next_try_at > Date.now() ? `next try at ${formatTime(paused.next_try_at)}` : 'it tries again at its next check';
  return (
    <span className="flush-paused" role="status" title={paused.last_error ?? undefined}>
      Automatic flush paused after {paused.failures} failure{paused.failures === 1 ? '' : 's'}; {next}
      {paused.last_error ? ` (last error: ${paused.last_error})` : ''}
    </span>
  );
}

export function TableJobButtons({ table }: { table: string }) {
  const blocked = useGate({ write: true, right: 'manageJobs' });
  const mayReadJobs = useGate({ right: 'readJobs' }) === undefined;
  const { start, isPending } = useStartJob();
  return (
    <>
      {TABLE_JOBS.map((job) => (
        <button
          key={job.type}
          type="button"
          className="button button--small"
          disabled={blocked !== undefined || isPending}
          title={blocked ?? job.title}
          onClick={() => start({ type: job.type, table })}
        >
          {job.label}
        </button>
      ))}
      <a
        className="button button--small"
        href={routeHref({ view: 'storage', table })}
        title="Hot and cold tiers, segments, manifest.json and maintenance dry runs"
      >
        Storage
      </a>
      {mayReadJobs ? <FlushPaused table={table} /> : null}
    </>
  );
}
