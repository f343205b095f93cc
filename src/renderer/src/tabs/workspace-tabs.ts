import { z } from 'zod';
import { parseRoute } from '../app/routes';

/**
 * The workspace's tabs: each shows one place of the app (a table, a namespace, a page) at its
 * current address. Opening a place that a tab shows already goes to that tab; any other opens a
 * new tab next to the current one. Pure functions; `tabs-store` keeps the state.
 */
export const WorkspaceTabSchema = z.object({
  id: z.string().min(1).max(100),
  href: z.string().max(4096),
  /** What the place's view kept when left (a table's filters, sort, selection, scroll), read back by that view with its own schema. */
  view: z.unknown().optional(),
});
export type WorkspaceTab = z.infer<typeof WorkspaceTabSchema>;

export const TabsStateSchema = z
  .object({ tabs: z.array(WorkspaceTabSchema).min(1).max(200), active: z.string() })
  .refine((s) => s.tabs.some((t) => t.id === s.active), 'the active tab must be one of the tabs');
export type TabsState = z.infer<typeof TabsStateSchema>;

const HOME = '#/';

let sequence = 0;
function newTabId(): string {
  sequence += 1;
  return `t${Date.now().toString(36)}${sequence.toString(36)}`;
}

/** What a tab shows, whatever its details: a table (not the key it went to), the jobs page (not the job shown first). */
export function tabPlace(href: string): string {
  const route = parseRoute(href);
  if (route.view === 'table') return `table:${route.table}`;
  if (route.view === 'namespace') return `namespace:${route.namespace}`;
  return route.view;
}

const PAGE_TITLES: Readonly<Record<string, string>> = { home: 'Overview', jobs: 'Jobs', indexes: 'Indexes', sql: 'SQL console', start: 'Start' };

/** A tab's label: the table's or namespace's name, or the page's. */
export function tabTitle(href: string): string {
  const route = parseRoute(href);
  if (route.view === 'table') return route.table;
  if (route.view === 'namespace') return `Namespace ${route.namespace}`;
  return PAGE_TITLES[route.view] ?? route.view;
}

/** One tab, on `href`. */
export function singleTab(href: string): TabsState {
  const id = newTabId();
  return { tabs: [{ id, href }], active: id };
}

/**
 * The address changed (a link, the palette, the back button): the tab showing that place becomes
 * current, at the new address; without one, a new tab opens right after the current one.
 */
export function followAddress(state: TabsState, href: string): TabsState {
  const place = tabPlace(href);
  const same = state.tabs.find((t) => tabPlace(t.href) === place);
  if (same) {
    if (same.href === href && state.active === same.id) return state;
    return { tabs: state.tabs.map((t) => (t === same ? { ...t, href } : t)), active: same.id };
  }
  const tab = { id: newTabId(), href };
  const at = state.tabs.findIndex((t) => t.id === state.active) + 1;
  return { tabs: [...state.tabs.slice(0, at), tab, ...state.tabs.slice(at)], active: tab.id };
}

/** Closes a tab; the one after it (else before it) becomes current. Closing the last leaves the Overview. */
export function closeTab(state: TabsState, id: string): TabsState {
  const index = state.tabs.findIndex((t) => t.id === id);
  if (index === -1) return state;
  const tabs = state.tabs.filter((t) => t.id !== id);
  if (tabs.length === 0) return singleTab(HOME);
  if (state.active !== id) return { tabs, active: state.active };
  return { tabs, active: tabs[Math.min(index, tabs.length - 1)]!.id };
}

/** Keeps `view` on the tab showing `place` (no tab shows it: nothing changes). */
export function keepView(state: TabsState, place: string, view: unknown): TabsState {
  const tab = state.tabs.find((t) => tabPlace(t.href) === place);
  if (!tab) return state;
  return { ...state, tabs: state.tabs.map((t) => (t === tab ? { ...t, view } : t)) };
}

export function activeTab(state: TabsState): WorkspaceTab {
  return state.tabs.find((t) => t.id === state.active) ?? state.tabs[0]!;
}
