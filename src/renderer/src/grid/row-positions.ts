import type { InfiniteData } from '@tanstack/react-query';

/**
 * Where a page is, besides its cursor: `at` is the index (in the query's result, 0 = the first
 * row of the first page fetched) of the page's first row, or for a page fetched backward of the
 * row just after its last one (its length is not known until it arrives). Kept with the pages in
 * the query data, so the index of the first loaded row follows from the data alone, also after
 * pages are dropped from either end.
 */
export interface PageParam {
  readonly cursor?: string;
  readonly direction?: 'forward' | 'backward';
  readonly at: number;
}

export const FIRST_PAGE: PageParam = { at: 0 };

/** What positions need of a page: how many rows it has, and its cursors. */
interface Page {
  readonly rows: readonly unknown[];
  readonly next?: string | undefined;
  readonly prev?: string | undefined;
}

function pageStart(param: PageParam, page: Page): number {
  return param.direction === 'backward' ? param.at - page.rows.length : param.at;
}

export function nextPageParam(last: Page, lastParam: PageParam): PageParam | undefined {
  return last.next !== undefined ? { cursor: last.next, direction: 'forward', at: pageStart(lastParam, last) + last.rows.length } : undefined;
}

export function previousPageParam(first: Page, firstParam: PageParam): PageParam | undefined {
  return first.prev !== undefined ? { cursor: first.prev, direction: 'backward', at: pageStart(firstParam, first) } : undefined;
}

/**
 * Index of the first loaded row in the query's result (0 when the data starts at the first page
 * fetched; negative when pages were loaded above a "go to key" page).
 */
export function firstRowIndex(data: Pick<InfiniteData<Page, PageParam>, 'pages' | 'pageParams'> | undefined): number {
  const param = data?.pageParams[0];
  const page = data?.pages[0];
  return param && page ? pageStart(param, page) : 0;
}

/** Rows above the loaded ones are drawn as empty space up to this many; then the body is re-based. */
export const MAX_SPACE_ABOVE_ROWS = 400_000;

/** Where the grid's body starts in the result, and the lowest index it has loaded. */
export interface Placement {
  /** Result index drawn at the top of the body (rows from there to firstIndex are empty space). */
  readonly base: number;
  /** Lowest firstIndex seen: aria-rowindex counts from it. */
  readonly low: number;
}

/**
 * The placement for a new first index. Pages dropped or re-added above keep `base` (their rows'
 * space stays, the scroll position does not move); rows loaded above `base` move it up, and more
 * than MAX_SPACE_ABOVE_ROWS of space re-bases it (browsers cap an element's height: Chromium at
 * about 33 million px). Returns `prev` itself when nothing changes.
 */
export function place(prev: Placement, firstIndex: number): Placement {
  const low = Math.min(prev.low, firstIndex);
  let base = Math.min(prev.base, firstIndex);
  if (firstIndex - base > MAX_SPACE_ABOVE_ROWS) base = firstIndex;
  return base === prev.base && low === prev.low ? prev : { base, low };
}
