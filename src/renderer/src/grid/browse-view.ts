import { useReducer } from 'react';
import type { Filter, Row, Sort } from '../../../shared/browse';

/**
 * What a table's browser shows: the rows asked for (sort, filters, "go to key") and the row
 * selected among them. One reducer, so the rules that tie them together live in one place: a new
 * sort, filter or seek drops the selection, going to a key works in key order only, and the row a
 * seek lands on is selected once its page is in.
 */
export interface BrowseView {
  /** Undefined: the engine's default, ascending key order. */
  readonly sort: Sort | undefined;
  readonly filters: Filter[];
  /** "Go to key": the first page starts at this key. */
  readonly seek: string | undefined;
  readonly selected: Row | undefined;
  /** A seek waits for its first page, to select the row it starts with. */
  readonly seekPending: boolean;
}

export type BrowseAction =
  /** Sorts by a column, or flips the order when it is already the sort column. */
  | { readonly type: 'sortBy'; readonly column: string; readonly keyColumn: string | undefined }
  | { readonly type: 'clearSort' }
  | { readonly type: 'filter'; readonly filters: Filter[] }
  | { readonly type: 'seek'; readonly key: string | undefined; readonly keyColumn: string | undefined }
  | { readonly type: 'select'; readonly row: Row | undefined }
  /** The seek's first page is in: `row` is the row it starts with (undefined when it is empty). */
  | { readonly type: 'seekLanded'; readonly row: Row | undefined };

export function initialBrowseView(initialKey: string | undefined): BrowseView {
  return { sort: undefined, filters: [], seek: initialKey, selected: undefined, seekPending: initialKey !== undefined };
}

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
        // Going to a key works in key order only.
        seek: next.column === keyColumn ? state.seek : undefined,
      };
    }
    case 'clearSort':
      return { ...state, sort: undefined, selected: undefined };
    case 'filter':
      return { ...state, filters: action.filters, selected: undefined };
    case 'seek': {
      const { key, keyColumn } = action;
      const keepSort = key === undefined || !state.sort || state.sort.column === keyColumn;
      return { ...state, seek: key, selected: undefined, seekPending: key !== undefined, sort: keepSort ? state.sort : undefined };
    }
    case 'select':
      return { ...state, selected: action.row };
    case 'seekLanded':
      return { ...state, seekPending: false, selected: action.row ?? state.selected };
  }
}

export function useBrowseView(initialKey: string | undefined) {
  return useReducer(browseView, initialKey, initialBrowseView);
}
