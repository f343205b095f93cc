import { randomUUID } from 'node:crypto';
import type { SqlCell, SqlError, SqlLiveEvent } from '../../shared/sql/sql-results';
import type { ServiceDeps } from './deps';
import { registerLiveQueries } from './live-changes';
import type { LiveQuery, LiveSnapshot, SqlExecutor } from './sql-executor';

type Rows = SqlCell[][];

/** How a row is known from one result to the next: its key columns, or the whole row. */
function identity(row: readonly SqlCell[], keyColumns: readonly number[]): string {
  return JSON.stringify(keyColumns.length > 0 ? keyColumns.map((i) => row[i]) : row);
}

/**
 * What changed from one result to the next: rows of an identity only `after` has (inserted), only
 * `before` has (deleted), and both have with other values (updated). Identities may repeat (a result
 * without its key): the repeats pair up in order.
 */
export function resultChanges(before: Rows, after: Rows, keyColumns: readonly number[]): { inserted: Rows; updated: Rows; deleted: Rows } {
  const old = new Map<string, Rows>();
  for (const row of before) {
    const k = identity(row, keyColumns);
    const list = old.get(k);
    if (list) list.push(row);
    else old.set(k, [row]);
  }
  const inserted: Rows = [];
  const updated: Rows = [];
  for (const row of after) {
    const list = old.get(identity(row, keyColumns));
    const was = list?.shift();
    if (!was) inserted.push(row);
    else if (JSON.stringify(was) !== JSON.stringify(row)) updated.push(row);
  }
  const deleted = [...old.values()].flat();
  return { inserted, updated, deleted };
}

const sameColumns = (a: LiveSnapshot, b: LiveSnapshot) => JSON.stringify([a.columns, a.keyColumns]) === JSON.stringify([b.columns, b.keyColumns]);

/**
 * A SUBSCRIBE TO: the result, then what changes in it each time rows of the tables it reads change
 * (the query runs again, in the query worker when there is one; changes that arrive while it runs
 * make one more run), until `signal` aborts or the services close. Its tables are rows of
 * system.live_queries meanwhile, with the statement as their filter. A statement that failed to
 * parse (`error`) is the one event.
 */
export async function* liveResult(
  deps: ServiceDeps,
  executor: SqlExecutor,
  live: { query: LiveQuery } | { error: SqlError },
  options: { connectionId: string; limit: number; signal: AbortSignal | undefined },
): AsyncGenerator<SqlLiveEvent, void, undefined> {
  if ('error' in live) {
    yield { type: 'error', error: live.error };
    return;
  }
  const { query } = live;
  const watched = new Set(query.tables);
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  let dirty = false;
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const holdChanges = deps.dataChanges.acquire();
  // Listening before the first run: a change made while it runs makes another run.
  const events = deps.bus.stream(stop.signal);
  const pump = (async () => {
    for await (const e of events) {
      if (e.type === 'reset' || (e.type === 'change' && watched.has(e.table))) {
        dirty = true;
        poke();
      }
    }
    ended = true;
    poke();
  })();
  let rows: { ids: string[]; release: () => void } | undefined;
  try {
    let current: LiveSnapshot;
    try {
      current = await executor.snapshot(query, options.limit);
      rows = registerLiveQueries(deps.engine, deps.bus, deps.liveQueries, {
        user: query.user,
        connectionId: options.connectionId,
        streamId: `sql:${randomUUID()}`,
        tables: query.tables.map((t) => deps.data.parseRef(t)),
        filter: query.statement.text,
      });
    } catch (e) {
      yield { type: 'error', error: executor.liveError(query, e) };
      return;
    }
    const result = (s: LiveSnapshot): SqlLiveEvent => ({ type: 'result', liveQueryIds: rows!.ids, ...s });
    yield result(current);
    for (;;) {
      if (!dirty && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (ended) return;
      dirty = false;
      let next: LiveSnapshot;
      try {
        next = await executor.snapshot(query, options.limit);
      } catch (e) {
        yield { type: 'error', error: executor.liveError(query, e) };
        return;
      }
      if (!sameColumns(current, next)) yield result(next);
      else {
        const changes = resultChanges(current.rows, next.rows, next.keyColumns);
        if (changes.inserted.length + changes.updated.length + changes.deleted.length > 0 || next.truncated !== current.truncated)
          yield { type: 'changes', ...changes, truncated: next.truncated };
      }
      current = next;
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
    stop.abort();
    await pump;
    holdChanges();
    rows?.release();
  }
}
