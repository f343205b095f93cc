import { z } from 'zod';
import { FilterSchema, QuickSearchSchema, RowSchema, type Sort, SortSchema } from '../../../shared/browse';
import { type BrowseView, initialBrowseView } from './browse-view';
import type { FittedWidths } from './use-column-widths';

/**
 * A table tab's view, kept on its tab when the user goes to another one (and with the tabs, per
 * data directory, across restarts): the filters, sort, quick search, "go to key" anchor, selected
 * row, scroll position and fitted column widths. Coming back restores it instead of starting over.
 */
export const SavedTableViewSchema = z.object({
  /** Who the view was of (view as): another subject sees other rows, and starts afresh. */
  subject: z.string().max(300),
  /** The key in the address the view was opened at (its tab's own link comes back to it, not to a fresh view). */
  openedAt: z.string().max(4096).optional(),
  sort: SortSchema.optional(),
  filters: z.array(FilterSchema).max(16),
  search: QuickSearchSchema.optional(),
  seek: z.string().max(4096).optional(),
  seekReason: z.literal('created').optional(),
  seekMissed: z.boolean(),
  selected: RowSchema.optional(),
  scrollTop: z.number().min(0),
  widths: z.object({ widths: z.record(z.string(), z.number()), onRows: z.boolean() }).optional(),
});
export type SavedTableView = z.infer<typeof SavedTableViewSchema>;

/** What to keep of a view (a seek still waiting for its page is kept as the anchor it asked for). */
export function saveTableView(view: BrowseView, subject: string, scrollTop: number, widths: FittedWidths | undefined, openedAt?: string): SavedTableView {
  return {
    subject,
    ...(openedAt !== undefined ? { openedAt } : {}),
    ...(view.sort ? { sort: view.sort } : {}),
    filters: view.filters,
    ...(view.search ? { search: view.search } : {}),
    ...(view.seek !== undefined ? { seek: view.seek } : {}),
    ...(view.seekReason ? { seekReason: view.seekReason } : {}),
    seekMissed: view.seekMissed,
    ...(view.selected ? { selected: view.selected } : {}),
    scrollTop: Math.max(0, Math.round(scrollTop)),
    ...(widths ? { widths: { widths: { ...widths.widths }, onRows: widths.onRows } } : {}),
  };
}

/**
 * The view a table opens with: the kept one (its tab's own address, whatever key it names, comes
 * back to it), unless the address asks for another key (a link to a row, "Open row" on an index
 * entry), which then opens afresh at that key, as without a kept view. `scrollTop` is where to
 * scroll back to (0 for a fresh view, and for an anchored one, which seeks its anchor again);
 * `openedAt` the address key the view belongs to from now on.
 */
export function restoreTableView(
  saved: SavedTableView | undefined,
  subject: string,
  initialKey: string | undefined,
  sort: Sort | undefined,
): { view: BrowseView; scrollTop: number; openedAt: string | undefined } {
  const fresh = { view: initialBrowseView(initialKey, sort), scrollTop: 0, openedAt: initialKey };
  if (!saved || saved.subject !== subject) return fresh;
  const kept: BrowseView = {
    sort: saved.sort,
    filters: saved.filters,
    search: saved.search,
    seek: saved.seek,
    seekReason: saved.seekReason,
    seekMissed: saved.seekMissed,
    selected: saved.selected,
    seekPending: false,
  };
  if (initialKey === undefined || initialKey === saved.openedAt || initialKey === saved.seek) {
    // An anchored view goes to its anchor again, as its link does: the pages it loads from the
    // anchor need not be those the kept scroll offset was measured on (a refresh refetched them).
    if (kept.seek !== undefined) return { view: { ...kept, seekPending: true }, scrollTop: 0, openedAt: saved.openedAt };
    return { view: kept, scrollTop: saved.scrollTop, openedAt: saved.openedAt };
  }
  // A link to a row shows that row: the kept filters could hide it.
  return fresh;
}

export function parseSavedView(value: unknown): SavedTableView | undefined {
  const parsed = SavedTableViewSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
