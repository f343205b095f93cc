import { useReducer } from 'react';
import type { Filter, QuickSearch, Row, Sort } from '../../../shared/browse';

/**
 * What a table's browser shows: the rows asked for (sort, filters, "go to key") and the row
 * selected among them. One reducer, so the rules that tie them together live in one place: a new
 * sort, filter or seek drops the selection; filters and sorts apply to the whole table, so a new
 * one clears the "go to key" anchor; going to a key works in key order only; and the row a seek
 * lands on is selected once its page is in (and when it is not the key asked for, `seekMissed`
 * says so).
 */
export interface BrowseView {
  /** Undefined: the engine's default, ascending key order. */
  readonly sort: Sort | undefined;
  readonly filters: Filter[];
  /** The quick search (`/`), ANDed with the filters. */
  readonly search: QuickSearch | undefined;
  /** "Go to key": the first page starts at this key. */
  readonly seek: string | undefined;
  /** Why the anchor is there when the user did not type it (a row just created), shown beside it. */
  readonly seekReason: 'created' | undefined;
  /** The seek landed on another row: no row has exactly the key asked for. */
  readonly seekMissed: boolean;
  readonly selected: Row | undefined;
  /** A seek waits for its first page, to select the row it starts with. */
  readonly seekPending: boolean;
}

export type BrowseAction =
  /** Sorts by a column, or flips the order when it is already the sort column. */
  | { readonly type: 'sortBy'; readonly column: string; readonly keyColumn: string | undefined }
  | { readonly type: 'clearSort' }
  | { readonly type: 'filter'; readonly filters: Filter[] }
  | { readonly type: 'search'; readonly search: QuickSearch | undefined }
  | { readonly type: 'seek'; readonly key: string | undefined; readonly keyColumn: string | undefined; readonly reason?: 'created' }
  | { readonly type: 'select'; readonly row: Row | undefined }
  /** The seek's first page is in: `row` is the row it starts with (undefined when it is empty). */
  | { readonly type: 'seekLanded'; readonly row: Row | undefined };

/** Tables read newest first, by their key, which grows with time. */
const NEWEST_FIRST: ReadonlyMap<string, string> = new Map([['system.audit_log', 'audit_id']]);

/** The order a table opens in: its key descending for logs, else the engine's default (ascending key). */
export function defaultSort(table: string): Sort | undefined {
  const key = NEWEST_FIRST.get(table);
  return key === undefined ? undefined : { column: key, order: 'desc' };
}

export function initialBrowseView(initialKey: string | undefined, sort?: Sort): BrowseView {
  return {
    sort,
    filters: [],
    search: undefined,
    seek: initialKey,
    seekReason: undefined,
    seekMissed: false,
    selected: undefined,
    seekPending: initialKey !== undefined,
  };
}

const NO_ANCHOR = { seek: undefined, seekReason: undefined, seekMissed: false, seekPending: false } as const;

export function browseView(state: BrowseView, action: BrowseAction): BrowseView {
  switch (action.type) {
    case 'sortBy': {
      const { column, keyColumn } = action;
      const current = state.sort ?? (keyColumn ? { column: keyColumn, order: 'asc' as const } : undefined);
      const next: Sort = current?.column === column ? { column, order: current.order === 'asc' ? 'desc' : 'asc' } : { column, order: 'asc' };
      return {
        ...state,
        // Ascending key order is the engine's default: no sort at all.
        sort: next.column === keyColumn && next.order === 'asc' ? undefined : next,
        selected: undefined,
        // A sort orders the whole table: it starts from the top, not from a key gone to earlier.
        ...NO_ANCHOR,
      };
    }
    case 'clearSort':
      return { ...state, sort: undefined, selected: undefined };
    case 'filter':
      // Filters search the whole table: an anchor left from "go to key" would hide the rows before it.
      return { ...state, filters: action.filters, selected: undefined, ...NO_ANCHOR };
    case 'search':
      // The same search again changes nothing (the anchor and the selection stay).
      if (JSON.stringify(action.search) === JSON.stringify(state.search)) return state;
      // A search, like a filter, looks through the whole table.
      return { ...state, search: action.search, selected: undefined, ...NO_ANCHOR };
    case 'seek': {
      const { key, keyColumn } = action;
      const keepSort = key === undefined || !state.sort || state.sort.column === keyColumn;
      return {
        ...state,
        seek: key,
        seekReason: key === undefined ? undefined : action.reason,
        seekMissed: false,
        selected: undefined,
        seekPending: key !== undefined,
        sort: keepSort ? state.sort : undefined,
      };
    }
    case 'select':
      return { ...state, selected: action.row };
    case 'seekLanded':
      return { ...state, seekPending: false, seekMissed: action.row?.key !== state.seek, selected: action.row ?? state.selected };
  }
}

/** `kept`: a view to start from instead (a tab's, when the user comes back to it; see tab-view.ts). */
export function useBrowseView(initialKey: string | undefined, sort: Sort | undefined, kept?: BrowseView) {
  return useReducer(browseView, undefined, () => kept ?? initialBrowseView(initialKey, sort));
}
