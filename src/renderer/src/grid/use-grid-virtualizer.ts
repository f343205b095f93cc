import { elementScroll, observeElementOffset, type Rect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { readStored, writeStored } from '../components/storage';
import { type Placement, place } from './row-positions';

/** Every row is exactly this tall (grid.css sets the same height): nothing is measured. */
export const ROW_HEIGHT = 30;
export const HEADER_HEIGHT = 36;
/** Start loading the next (or previous) page this many rows before its edge comes into view. */
const PREFETCH_ROWS = 60;
/** Rows rendered beyond the view on each side once the grid has scrolled (before: just one). */
const OVERSCAN = 8;

const RECT_KEY = 'kalam.grid.rect';
/**
 * The last size a grid's scroller had (also remembered across reloads): a new grid, with the same
 * layout around it, draws just the rows that fit from its first render.
 */
let lastRect: Rect | undefined;

function parseRect(v: unknown): Rect | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { width, height } = v as Partial<Rect>;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : undefined;
}

/** Before the first measurement: the last size, else the window (a few rows more than fit is harmless). */
function initialRect(): Rect {
  lastRect ??= readStored(RECT_KEY, parseRect);
  // Never taller than the window now (it may have been resized since).
  return lastRect && lastRect.height <= window.innerHeight ? lastRect : { width: window.innerWidth, height: window.innerHeight };
}

function rememberRect(rect: Rect): void {
  if (rect.width === 0 || rect.height === 0 || (lastRect?.width === rect.width && lastRect.height === rect.height)) return;
  lastRect = rect;
  writeStored(RECT_KEY, rect);
}

/**
 * The scroller's size from a ResizeObserver only. The default also reads it synchronously when the
 * grid mounts, which forces a layout of the page in the middle of React's commit (and the layout is
 * then done again for the first rows).
 */
function observeRect(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void): (() => void) | undefined {
  const el = instance.scrollElement;
  if (!el) return undefined;
  const observer = new ResizeObserver(() => {
    // Read in the observer's callback, where layout is already up to date.
    const rect = { width: el.clientWidth, height: el.clientHeight };
    rememberRect(rect);
    cb(rect);
  });
  observer.observe(el);
  return () => observer.disconnect();
}

/** Scrollers that have scrolled or been scrolled: the others are still at the top. */
const moved = new WeakSet<Element>();

/** The default, noting that the scroller has moved. */
function observeOffset(instance: Virtualizer<HTMLDivElement, Element>, cb: (offset: number, isScrolling: boolean) => void): (() => void) | undefined {
  return observeElementOffset(instance, (offset, isScrolling) => {
    if (instance.scrollElement) moved.add(instance.scrollElement);
    cb(offset, isScrolling);
  });
}

/**
 * The default, except that it does not scroll a scroller that has never moved to the top: the
 * virtualizer does that when it mounts, and `scrollTo` forces a layout of the page in the middle of
 * React's commit, before the first rows have been laid out once.
 */
function scrollToFn(offset: number, options: { adjustments?: number; behavior?: ScrollBehavior }, instance: Virtualizer<HTMLDivElement, Element>): void {
  const el = instance.scrollElement;
  if (!el || (offset + (options.adjustments ?? 0) === 0 && !moved.has(el))) return;
  moved.add(el);
  elementScroll(offset, options, instance);
}

const estimateSize = () => ROW_HEIGHT;

/** What the grid's paging gives the virtualizer: how to load more either way, and whether it can. */
export interface GridPaging {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  isFetchingNextPage: boolean;
  isFetchingPreviousPage: boolean;
  fetchNextPage: () => void;
  fetchPreviousPage: () => void;
}

/**
 * The grid's virtualizer: fixed-height rows drawn from the loaded ones, placed by their index in the
 * whole result (`firstIndex`), the scroll position kept on the same rows when rows load above, and
 * the next or previous page fetched as the rendered window nears either loaded edge.
 */
export function useGridVirtualizer(scrollRef: RefObject<HTMLDivElement | null>, rowCount: number, firstIndex: number, paging: GridPaging) {
  // Derived during render from the query data (never from a value an effect updates later), so
  // every render places and numbers the rows it draws consistently.
  const [placement, setPlacement] = useState<Placement>(() => ({ base: firstIndex, low: firstIndex }));
  const next = place(placement, firstIndex);
  if (next !== placement) setPlacement(next);
  const spaceAbove = (firstIndex - next.base) * ROW_HEIGHT;

  const [scrolled, setScrolled] = useState(false);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // The first render draws what is in view and little more: it is what opening a table waits for.
    overscan: scrolled ? OVERSCAN : 1,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    paddingStart: spaceAbove,
    initialRect: initialRect(),
    observeElementRect: observeRect,
    observeElementOffset: observeOffset,
    scrollToFn,
  });
  const items = virtualizer.getVirtualItems();

  // When the body's top moves (rows loaded above it, or a re-base), move the scroll position with
  // it so the same rows stay in view. Dropping or re-adding pages above leaves it alone: their
  // rows keep their place as empty space, so a scroll in progress is never cut short.
  const drawnBase = useRef(next.base);
  useLayoutEffect(() => {
    const shift = drawnBase.current - placement.base;
    drawnBase.current = placement.base;
    const el = scrollRef.current;
    if (el && shift !== 0) el.scrollTop = Math.max(0, el.scrollTop + shift * ROW_HEIGHT);
  }, [placement.base, scrollRef]);

  // Fetch more when the rendered window nears either loaded edge.
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  const { hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage } = paging;
  useEffect(() => {
    // No rows in view (e.g. filtered pages that matched nothing yet) also means: keep going.
    if (hasNextPage && !isFetchingNextPage && (last ?? -1) >= rowCount - PREFETCH_ROWS) fetchNextPage();
    if (hasPreviousPage && !isFetchingPreviousPage && (first ?? 0) <= PREFETCH_ROWS) fetchPreviousPage();
  }, [first, last, rowCount, hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage]);

  return {
    virtualizer,
    items,
    /** The lowest index placed so far (aria-rowindex counts from it). */
    low: next.low,
    /** Index of the first rendered row, if any. */
    first,
    /** Marks the grid as scrolled once (more rows are then rendered beyond the view). */
    onScroll: scrolled ? undefined : () => setScrolled(true),
  };
}
