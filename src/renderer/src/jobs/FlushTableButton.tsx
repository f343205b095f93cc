import { useReadOnly } from '../app/engine';
import { useStartJob } from './use-jobs';

/** "Flush" in a shared or user table's toolbar: queues a flush of that table (watch it on #/jobs). */
export function FlushTableButton({ table }: { table: string }) {
  const readOnly = useReadOnly();
  const { start, isPending } = useStartJob();
  return (
    <button
      type="button"
      className="button button--small"
      disabled={readOnly || isPending}
      title="Write this table's hot rows to Parquet files in its storage"
      onClick={() => start({ type: 'flush', table })}
    >
      Flush to Parquet
    </button>
  );
}
