import { useCallback, useMemo, useRef, useState } from 'react';
import type { Row } from '../../../shared/browse';
import type { ViewAs } from '../../../shared/contract';
import type { SqlOutcome, SqlPage } from '../../../shared/sql/sql-results';
import { client } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { formatCount } from '../grid/cell-format';
import { PAGE_SIZE } from '../grid/use-row-pages';
import { resultColumns, resultRow, rowsAsTsv } from './sql-result-rows';
import { SqlRowsGrid } from './SqlRowsGrid';
import { useToast } from '../components/toast-context';
import { ExportDialog } from '../io/ExportDialog';

type RowsOutcome = Extract<SqlOutcome, { kind: 'rows' }>;

/**
 * The pages of a query's result, read forward with its cursor as the grid scrolls (the cursor only
 * goes forward, so every page read stays: the user scrolls as far as they want, no further).
 */
function useResultPages(outcome: RowsOutcome, as: { as: ViewAs | undefined }) {
  const [pages, setPages] = useState<readonly SqlPage[]>([outcome.page]);
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const inFlight = useRef(false);
  const next = pages.at(-1)?.next;
  const fetchNext = useCallback(() => {
    if (next === undefined || inFlight.current) return;
    inFlight.current = true;
    setFetching(true);
    client.sql
      .page({ cursor: next, pageSize: PAGE_SIZE, ...as })
      .then((page) => setPages((p) => [...p, page]))
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => {
        inFlight.current = false;
        setFetching(false);
      });
  }, [next, as]);
  return { pages, fetching, error, hasNext: next !== undefined && error === undefined, fetchNext };
}

/**
 * A query's result in the project's virtual grid, paged by the result's cursor. `sql`, the
 * statement's text, is what Export runs again (whole) as an export job.
 */
export function ResultGrid({ outcome, as, label, sql }: { outcome: RowsOutcome; as: { as: ViewAs | undefined }; label: string; sql: string }) {
  const [exporting, setExporting] = useState(false);
  const { pages, fetching, error, hasNext, fetchNext } = useResultPages(outcome, as);
  const columns = useMemo(() => resultColumns(outcome.columns, outcome.page.rows), [outcome]);
  const infos = useMemo(() => columns.map((c) => c.info), [columns]);
  // Rows are made once per page (a page's rows keep their identity as later pages arrive).
  const pageRows = useMemo(() => {
    let position = 0;
    return pages.map((page) =>
      page.rows.map((cells) => {
        const row = resultRow(columns, cells, position);
        position += 1;
        return row;
      }),
    );
  }, [pages, columns]);
  const rows = useMemo<Row[]>(() => pageRows.flat(), [pageRows]);
  const toast = useToast();
  const copy = () => {
    const all = pages.flatMap((p) => p.rows);
    navigator.clipboard.writeText(rowsAsTsv(columns, all)).then(
      () =>
        toast.show({ kind: 'success', message: `Copied ${formatCount(all.length)} ${all.length === 1 ? 'row' : 'rows'} (tab-separated, with a header line).` }),
      (e: unknown) => toast.error(e, 'Could not copy'),
    );
  };

  return (
    <div className="sql-result">
      <div className="browser-grid sql-result__grid">
        <SqlRowsGrid label={label} columns={infos} rows={rows} paging={{ hasNext, fetching, fetchNext }} />
        {rows.length === 0 ? (
          <div className="grid-overlay" role="status">
            No rows.
          </div>
        ) : null}
      </div>
      <div className="sql-result__bar">
        <p className="sql-result__status" role="status">
          {formatCount(rows.length)} {rows.length === 1 ? 'row' : 'rows'} loaded{hasNext ? ' (more below)' : ''}
          {fetching ? ' · loading more…' : ''}
        </p>
        <button type="button" className="button button--small" onClick={copy} disabled={rows.length === 0} title="The rows loaded so far">
          Copy rows
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => setExporting(true)}
          title="The whole result, to CSV, JSON Lines or Parquet, as a job"
        >
          Export…
        </button>
      </div>
      {exporting ? <ExportDialog query={{ sql, as }} columns={infos} onClose={() => setExporting(false)} /> : null}
      {error !== undefined ? (
        <Alert kind="error" title="More rows could not be read">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}
