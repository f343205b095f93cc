import type { SqlCell, SqlColumn, SqlLiveEvent } from '../../../shared/sql/sql-results';

type ResultEvent = Extract<SqlLiveEvent, { type: 'result' }>;
type ChangesEvent = Extract<SqlLiveEvent, { type: 'changes' }>;

/** What the last change did to a row: it appeared, its values changed, or it went (shown fading until removed). */
export type LiveChange = 'inserted' | 'updated' | 'deleted';

export interface LiveRow {
  /** Stable while the row lives (the grid's row key). */
  readonly key: string;
  readonly cells: readonly SqlCell[];
  /** What the last batch of changes did to it; none for rows it did not touch. */
  readonly change?: LiveChange;
  /** The batch that set `change` (odd/even restarts the flash of a row updated twice in a row). */
  readonly batch: number;
}

/** A SUBSCRIBE TO's result as the console shows it: the rows, with the last changes marked. */
export interface LiveResult {
  readonly liveQueryIds: readonly string[];
  readonly columns: readonly SqlColumn[];
  /** The first rows, which type the columns that have no declared type. */
  readonly sample: readonly (readonly SqlCell[])[];
  readonly keyColumns: readonly number[];
  readonly rows: readonly LiveRow[];
  readonly truncated: boolean;
  /** Batches of changes applied so far. */
  readonly batch: number;
  /** The next row key to give. */
  readonly nextKey: number;
}

/** How a row is known from one result to the next: its key columns, or the whole row (as the engine knows it). */
function identity(cells: readonly SqlCell[], keyColumns: readonly number[]): string {
  return JSON.stringify(keyColumns.length > 0 ? keyColumns.map((i) => cells[i]) : cells);
}

/** The result as it starts (or starts over, when the query's columns changed): no row marked. */
export function startLive(event: ResultEvent): LiveResult {
  return {
    liveQueryIds: event.liveQueryIds,
    columns: event.columns,
    sample: event.rows,
    keyColumns: event.keyColumns,
    rows: event.rows.map((cells, i) => ({ key: `l${i}`, cells, batch: 0 })),
    truncated: event.truncated,
    batch: 0,
    nextKey: event.rows.length,
  };
}

/**
 * Applies a batch of changes: rows deleted by an earlier batch go; the marks of the last batch are
 * cleared; updated rows take their new values and deleted ones stay, marked, until `dropDeleted`
 * (so they can fade) or the next batch; inserted rows come last. Repeated identities pair in order.
 */
export function applyChanges(state: LiveResult, changes: ChangesEvent): LiveResult {
  const batch = state.batch + 1;
  const rows: LiveRow[] = state.rows.filter((r) => r.change !== 'deleted').map((r) => (r.change ? { key: r.key, cells: r.cells, batch: r.batch } : r));
  const byIdentity = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const id = identity(r.cells, state.keyColumns);
    const list = byIdentity.get(id);
    if (list) list.push(i);
    else byIdentity.set(id, [i]);
  });
  const take = (cells: readonly SqlCell[]) => byIdentity.get(identity(cells, state.keyColumns))?.shift();
  for (const cells of changes.deleted) {
    const i = take(cells);
    if (i !== undefined) rows[i] = { ...rows[i]!, change: 'deleted', batch };
  }
  for (const cells of changes.updated) {
    const i = take(cells);
    if (i !== undefined) rows[i] = { key: rows[i]!.key, cells, change: 'updated', batch };
  }
  let nextKey = state.nextKey;
  for (const cells of changes.inserted) {
    rows.push({ key: `l${nextKey}`, cells, change: 'inserted', batch });
    nextKey += 1;
  }
  return { ...state, rows, truncated: changes.truncated, batch, nextKey };
}

/** Removes the rows a batch deleted (once they faded out); the same state when there are none. */
export function dropDeleted(state: LiveResult, batch: number): LiveResult {
  if (!state.rows.some((r) => r.change === 'deleted' && r.batch === batch)) return state;
  return { ...state, rows: state.rows.filter((r) => !(r.change === 'deleted' && r.batch === batch)) };
}

/** Rows in the result now (those fading out are gone already). */
export function liveRowCount(state: LiveResult): number {
  return state.rows.filter((r) => r.change !== 'deleted').length;
}
