import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { formatCount } from './cell-format';

/** Counting stops here: a table at least this big shows "≥ N rows". */
export const COUNT_CAP = 100_000;

export function rowCountOptions(table: string) {
  return orpc.rows.count.queryOptions({ input: { table, cap: COUNT_CAP } });
}

export function useRowCount(table: string) {
  return useQuery(rowCountOptions(table));
}

export function RowCount({ table }: { table: string }) {
  const count = useRowCount(table);
  if (count.isPending) return <span className="muted">counting…</span>;
  if (count.isError) return <span className="muted">count unavailable</span>;
  const { count: n, capped } = count.data;
  return (
    <span title={capped ? `Counting stopped at ${formatCount(n)}` : undefined}>
      {capped ? '≥ ' : ''}
      {formatCount(n)} {n === 1 && !capped ? 'row' : 'rows'}
    </span>
  );
}
