import { useMemo } from 'react';
import type { Row } from '../../../shared/browse';
import { formatCount } from '../grid/cell-format';
import { type LiveChange, liveRowCount } from './live-result';
import { resultColumns, resultRow } from './sql-result-rows';
import { type ConsoleRun, stopLive } from './sql-runs';
import { SqlRowsGrid } from './SqlRowsGrid';

type LiveRun = Extract<ConsoleRun, { status: 'live' }>;

const rowsText = (n: number) => `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;

/**
 * A SUBSCRIBE TO's result in the project's grid, kept current: inserted rows appear (last), updated
 * rows flash, deleted rows fade out and go (sql.css; none of it with reduced motion). A badge says
 * it is live, with its rows; Stop ends the subscription and leaves the rows as they were.
 */
export function LiveResultGrid({ tabId, run }: { tabId: string; run: LiveRun }) {
  const live = run.live;
  const liveColumns = live?.columns;
  const sample = live?.sample;
  // Typed from the result's first rows, once per result: the columns keep their sizes as rows change.
  const columns = useMemo(() => (liveColumns && sample ? resultColumns(liveColumns, sample) : []), [liveColumns, sample]);
  const infos = useMemo(() => columns.map((c) => c.info), [columns]);
  const liveRows = live?.rows;
  const { rows, changes } = useMemo(() => {
    const changes = new Map<string, LiveChange>();
    const rows: Row[] = (liveRows ?? []).map((r, i) => {
      // A changed row gets a key of its batch: the grid draws it anew, so its flash or fade plays again.
      const key = r.change ? `${r.key}@${r.batch}` : r.key;
      if (r.change) changes.set(key, r.change);
      return { ...resultRow(columns, r.cells, i), key, version: key };
    });
    return { rows, changes };
  }, [liveRows, columns]);

  if (!live) {
    return (
      <p className="sql-results__running" role="status">
        Subscribing… as {run.subject}
      </p>
    );
  }
  const count = liveRowCount(live);
  const active = run.stopped === undefined;
  return (
    <div className="sql-result sql-live">
      <div className="sql-live__head">
        <p className="sql-live__status" role="status">
          <span className={`sql-live__badge${active ? ' sql-live__badge--on' : ''}`}>{active ? 'Live' : run.stopped === 'stopped' ? 'Stopped' : 'Ended'}</span>{' '}
          {rowsText(count)}
          {live.truncated ? ` (the first ${rowsText(count)} only)` : ''}
        </p>
        <span className="muted">as {run.subject}</span>
        {active ? (
          <button type="button" className="button button--small button--danger-outline" onClick={() => stopLive(tabId)}>
            Stop
          </button>
        ) : null}
      </div>
      <div className="browser-grid sql-result__grid">
        <SqlRowsGrid
          label="Live result: SUBSCRIBE"
          columns={infos}
          rows={rows}
          rowChange={(row) => changes.get(row.key)}
          rowNote={(row) => (changes.get(row.key) === 'deleted' ? 'deleted' : undefined)}
        />
        {rows.length === 0 ? (
          <div className="grid-overlay" role="status">
            No rows yet.
          </div>
        ) : null}
      </div>
    </div>
  );
}
