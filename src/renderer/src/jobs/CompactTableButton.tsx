import { useReadOnly } from '../app/engine';
import { useStartJob } from './use-jobs';

/** "Compact" in a shared or user table's toolbar: queues a merge of its Parquet segments (one per scope). */
export function CompactTableButton({ table }: { table: string }) {
  const readOnly = useReadOnly();
  const { start, isPending } = useStartJob();
  return (
    <button
      type="button"
      className="button button--small"
      disabled={readOnly || isPending}
      title="Merge this table's Parquet files into one per scope (faster reads)"
      onClick={() => start({ type: 'compact', table })}
    >
      Compact
    </button>
  );
}
