import { useEffect, useSyncExternalStore } from 'react';
import { readStored, writeStored } from '../components/storage';
import { useEngineInfo } from '../app/engine';
import { parseRoute, routeHref } from '../app/routes';
import { hasMod } from '../palette/shortcuts';
import { activeTab, closeTab, followAddress, keepView, singleTab, tabPlace, type TabsState, TabsStateSchema } from './workspace-tabs';

/**
 * The open tabs, kept per data directory (engine.info's dataDir) in localStorage, as the SQL
 * console keeps its own: the desktop app's profile lives in the data directory, so they survive
 * restarts; the web mode's storage belongs to its origin (the same `--port`).
 */
const storageKey = (dataDir: string) => `kalam.tabs.${dataDir}`;

function parseStored(value: unknown): TabsState | undefined {
  const parsed = TabsStateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The address as a route's own href: never anything else the hash may hold (the web mode's token). */
const here = (): string => routeHref(parseRoute(location.hash));

let state: TabsState = singleTab(here());
let dataDir: string | undefined;
const listeners = new Set<() => void>();

function set(next: TabsState): void {
  if (next === state) return;
  state = next;
  if (dataDir !== undefined) writeStored(storageKey(dataDir), state);
  for (const l of [...listeners]) l();
}

function go(href: string): void {
  if (location.hash !== href) location.hash = href;
}

/** Brings back the tabs of `dir`. Opened on the Overview (a fresh start), the last current tab shows; at another address, it opens there. */
function restore(dir: string): void {
  dataDir = dir;
  const stored = readStored(storageKey(dir), parseStored);
  if (!stored) {
    writeStored(storageKey(dir), state);
    return;
  }
  if (parseRoute(location.hash).view === 'home') {
    set(stored);
    go(activeTab(stored).href);
  } else {
    set(followAddress(stored, here()));
  }
}

export function closeWorkspaceTab(id: string): void {
  const next = closeTab(state, id);
  set(next);
  go(activeTab(next).href);
}

/** The view the tab showing `place` kept when it was left, if such a tab is open. */
export function tabView(place: string): unknown {
  return state.tabs.find((t) => tabPlace(t.href) === place)?.view;
}

/** Keeps a place's view on its tab (remembered with the tabs, per data directory). */
export function keepTabView(place: string, view: unknown): void {
  set(keepView(state, place, view));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTabs(): TabsState {
  return useSyncExternalStore(subscribe, () => state);
}

/**
 * Keeps the tabs in step with the address, restores them once the data directory is known, and
 * closes the current tab on Ctrl/Cmd+W. Mounted once, by the App.
 */
export function useWorkspaceTabs(): void {
  const dir = useEngineInfo().data?.dataDir;
  useEffect(() => {
    if (dir !== undefined && dir !== dataDir) restore(dir);
  }, [dir]);
  useEffect(() => {
    const onHash = () => set(followAddress(state, here()));
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !hasMod(e) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'w') return;
      if (document.querySelector('dialog[open]') !== null) return;
      e.preventDefault();
      closeWorkspaceTab(state.active);
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);
}
