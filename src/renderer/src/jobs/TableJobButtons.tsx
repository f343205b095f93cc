import { useGate } from '../app/gates';
import { useStartJob } from './use-jobs';

/** The jobs a shared or user table's toolbar queues for that table (watch them on #/jobs). */
const TABLE_JOBS = [
  { type: 'flush', label: 'Flush to Parquet', title: "Write this table's hot rows to Parquet files in its storage" },
  { type: 'compact', label: 'Compact', title: "Merge this table's Parquet files into one per scope (faster reads)" },
] as const;

export function TableJobButtons({ table }: { table: string }) {
  const blocked = useGate({ write: true, right: 'manageJobs' });
  const { start, isPending } = useStartJob();
  return TABLE_JOBS.map((job) => (
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
  ));
}
