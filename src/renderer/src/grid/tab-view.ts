import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Sort } from '../../../shared/browse';
import { routeHref } from '../app/routes';
import { keepTabView, tabView } from '../tabs/tabs-store';
import { tabPlace } from '../tabs/workspace-tabs';
import { type BrowseView, useBrowseView } from './browse-view';
import { parseSavedView, restoreTableView, saveTableView } from './table-view-state';
import type { FittedWidths } from './use-column-widths';

/**
 * A table tab's view kept on its tab (table-view-state.ts says what is kept): restored when the
 * table shows again, kept again when it is left.
 */
const placeOf = (table: string) => tabPlace(routeHref({ view: 'table', table }));

/** The table's view, from its tab when it kept one; with the kept scroll position and fitted widths. */
export function useTabBrowseView(table: string, subject: string, initialKey: string | undefined, sort: Sort | undefined) {
  const [restored] = useState(() => {
    const saved = parseSavedView(tabView(placeOf(table)));
    return { ...restoreTableView(saved, subject, initialKey, sort), widths: saved?.widths };
  });
  const [view, dispatch] = useBrowseView(initialKey, sort, restored.view);
  return { view, dispatch, scrollTop: restored.scrollTop, widths: restored.widths, openedAt: restored.openedAt };
}

/**
 * Keeps the view on the table's tab when it is left (unmounted) or the page goes away (a reload,
 * quitting), and scrolls the grid back to `scrollTop` once when it first shows. `gridRef` holds the
 * element the grid is in; a grid shown afresh (new filters) starts at the top.
 */
export function useKeepTabView(
  table: string,
  subject: string,
  openedAt: string | undefined,
  view: BrowseView,
  widths: FittedWidths,
  gridRef: RefObject<HTMLElement | null>,
  gridKey: string,
  scrollTop: number,
): void {
  const latest = useRef({ view, widths, subject, openedAt });
  latest.current = { view, widths, subject, openedAt };
  const scroll = useRef(scrollTop);

  // Back where the user left it, before the first paint: the rows are those the tab showed (the
  // query cache still has them).
  useLayoutEffect(() => {
    const grid = gridRef.current?.querySelector<HTMLElement>('[role="grid"]');
    if (grid && scrollTop > 0) grid.scrollTop = scrollTop;
    // Once, on the first grid (scrollTop never changes): a later grid is a new view.
  }, [gridRef, scrollTop]);

  // A new grid (sort, filters, seek) starts at its top.
  const firstKey = useRef(gridKey);
  useEffect(() => {
    if (gridKey !== firstKey.current) scroll.current = 0;
  }, [gridKey]);

  useEffect(() => {
    const el = gridRef.current;
    const onScroll = (e: Event) => {
      if (e.target instanceof HTMLElement && e.target.getAttribute('role') === 'grid') scroll.current = e.target.scrollTop;
    };
    const place = placeOf(table);
    const keep = () =>
      keepTabView(place, saveTableView(latest.current.view, latest.current.subject, scroll.current, latest.current.widths, latest.current.openedAt));
    el?.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('pagehide', keep);
    return () => {
      el?.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('pagehide', keep);
      keep();
    };
  }, [table, gridRef]);
}
