import type { QueryClient } from '@tanstack/react-query';
import { orpc } from '../api/client';
import type { TableListEntry } from '../../../shared/contract';
import { defaultSort } from './browse-view';
import { rowPagesOptions } from './use-row-pages';

/**
 * The queries a table view needs before it can draw: the table's description and its first page
 * of rows. Asked for together (one round trip, not two) and, from the sidebar, as soon as the
 * user points at or focuses a table's link.
 */
export function describeOptions(table: string) {
  return orpc.tables.describe.queryOptions({ input: { table } });
}

/** The grid's first query when a table opens: no sort, no filter, maybe a "go to key". */
export function firstRowsOptions(table: string, seek: string | undefined) {
  const sort = defaultSort(table);
  return rowPagesOptions({ table, filters: [], ...(sort ? { sort } : {}), ...(seek !== undefined ? { seek } : {}) });
}

/**
 * Whether a table is readable in a table list already fetched (the sidebar's). Only then are its
 * rows asked for before its description is in: a table that does not exist (a stale link) or that
 * the "view as" subject may not read then costs one error, not one per query.
 */
export function isListedTable(queryClient: QueryClient, table: string): boolean {
  const list = queryClient.getQueryData<TableListEntry[]>(orpc.tables.list.queryKey({ input: {} }));
  return list?.some((t) => t.table === table && t.canRead) === true;
}

/** Starts loading a table's view (description and first rows) unless it is cached and fresh. */
export function prefetchTable(queryClient: QueryClient, table: string): void {
  void queryClient.prefetchQuery(describeOptions(table));
  if (isListedTable(queryClient, table)) void queryClient.prefetchInfiniteQuery(firstRowsOptions(table, undefined));
}
