import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { orpc } from '../api/client';
import type { Filter, QuickSearch, Row, Sort } from '../../../shared/browse';
import { FIRST_PAGE, firstRowIndex, nextPageParam, type PageParam, previousPageParam } from './row-positions';

export const PAGE_SIZE = 200;
/**
 * The first page of a result is smaller: it is what opening a table (or going to a key) waits for,
 * and a screenful of rows with some to spare is enough until the user scrolls.
 */
export const FIRST_PAGE_SIZE = 100;
/** Pages kept while scrolling: older ones are dropped (and fetched again when scrolled back to). */
const MAX_PAGES = 10;
/** With filters, pages can be short or empty (the engine bounds each scan), so keep more of them. */
const MAX_PAGES_FILTERED = 50;

export interface RowQuery {
  table: string;
  sort?: Sort;
  filters: readonly Filter[];
  search?: QuickSearch;
  /** "Go to key": the first page starts at this key. */
  seek?: string;
}

/** Query options of a table's row pages (shared by the grid and TableBrowser's early fetch). */
export function rowPagesOptions(q: RowQuery) {
  return orpc.rows.page.infiniteOptions({
    input: (p: PageParam) => ({
      table: q.table,
      request: {
        limit: p.cursor === undefined ? FIRST_PAGE_SIZE : PAGE_SIZE,
        ...(p.cursor !== undefined ? { cursor: p.cursor, direction: p.direction ?? 'forward' } : q.seek !== undefined ? { seek: q.seek } : {}),
        ...(q.sort ? { sort: q.sort } : {}),
        ...(q.filters.length > 0 ? { filters: [...q.filters] } : {}),
        ...(q.search ? { search: q.search } : {}),
      },
    }),
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (last, _all, lastParam) => nextPageParam(last, lastParam),
    getPreviousPageParam: (first, _all, firstParam) => previousPageParam(first, firstParam),
    maxPages: q.filters.length > 0 || q.search ? MAX_PAGES_FILTERED : MAX_PAGES,
    // A "go to key" result is only right as first fetched: a refetch restarts from its top page
    // (so no page starts at the key any more), and cached pages reopen scrolled to the rows above
    // the key. Forget it once nothing shows it, so going to a key always opens at that key.
    ...(q.seek !== undefined ? { gcTime: 0 } : {}),
  });
}

/**
 * Rows of a table by server-side keyset paging: pages are fetched as the grid scrolls either way,
 * never the whole table.
 */
export function useRowPages(q: RowQuery) {
  const query = useInfiniteQuery(rowPagesOptions(q));

  const rows = useMemo<Row[]>(() => query.data?.pages.flatMap((p) => p.rows) ?? [], [query.data]);
  const scanned = useMemo(() => query.data?.pages.reduce((n, p) => n + p.scanned, 0) ?? 0, [query.data]);
  const firstIndex = firstRowIndex(query.data);
  return { query, rows, scanned, firstIndex };
}
