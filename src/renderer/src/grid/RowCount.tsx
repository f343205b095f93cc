import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { orpc } from '../api/client';
import { formatCount } from './cell-format';

/** Counting stops here: a table at least this big shows "≥ N rows". */
export const COUNT_CAP = 100_000;

/** "Count rows" counts this far: every table the engine holds in practice. */
const EXACT_CAP = 100_000_000;

export function rowCountOptions(table: string, cap = COUNT_CAP) {
  return orpc.rows.count.queryOptions({ input: { table, cap } });
}

const totalOf = (c: { count: number; capped: boolean }) => (c.capped ? undefined : c.count);

/**
 * The exact number of rows once RowCount has counted them (undefined while counting, or when the
 * count stopped at its cap). Does not start the count, and re-renders only when that number changes.
 */
export function useTotalRows(table: string): number | undefined {
  return useQuery({ ...rowCountOptions(table), enabled: false, select: totalOf }).data;
}

/** Runs `run` once the next frame has been drawn (or after a moment, where no frames come: a hidden tab). */
function afterNextPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    clearTimeout(timer);
    timer = setTimeout(run, 0);
  });
  timer = setTimeout(() => {
    cancelAnimationFrame(frame);
    run();
  }, 300);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** The table's row count: counted up to COUNT_CAP on its own, exactly on demand ("Count rows") beyond it. */
export function RowCount({ table }: { table: string }) {
  // Counted once the view has been drawn: counting a big table takes the engine longer than a page
  // of rows, and its answer would otherwise re-render the view before its first rows are painted.
  const [started, setStarted] = useState(false);
  const [exactAsked, setExactAsked] = useState(false);
  useEffect(() => afterNextPaint(() => setStarted(true)), []);
  const count = useQuery({ ...rowCountOptions(table), enabled: started });
  const exact = useQuery({ ...rowCountOptions(table, EXACT_CAP), enabled: exactAsked });
  if (count.isPending || (exactAsked && exact.isPending)) return <span className="muted">counting…</span>;
  if (count.isError || exact.isError) return <span className="muted">count unavailable</span>;
  const { count: n, capped } = exact.data ?? count.data;
  return (
    <>
      <span title={capped ? `Counting stopped at ${formatCount(n)}` : undefined}>
        {capped ? '≥ ' : ''}
        {formatCount(n)} {n === 1 && !capped ? 'row' : 'rows'}
      </span>
      {capped && !exactAsked ? (
        <button type="button" className="button button--small button--ghost row-count__exact" onClick={() => setExactAsked(true)}>
          Count rows
        </button>
      ) : null}
    </>
  );
}
