import { useCallback, useSyncExternalStore } from 'react';
import { z } from 'zod';
import { readStored, writeStored } from '../components/storage';

/**
 * What the SQL console keeps across restarts, per data directory (engine.info's dataDir): its tabs,
 * the history of runs and the saved queries. Kept in the renderer's localStorage: the desktop app's
 * profile lives in the data directory, so it survives restarts; the web mode's storage belongs to
 * its origin, so it survives restarts on the same port (`--port`).
 */

const TabSchema = z.object({ id: z.string(), title: z.string(), sql: z.string() });
export type ConsoleTab = z.infer<typeof TabSchema>;

const HistoryEntrySchema = z.object({
  id: z.string(),
  /** When the run started (ISO). */
  at: z.string(),
  sql: z.string(),
  durationMs: z.number(),
  /** Rows returned or affected; null when the statement had none (DDL, a job) or failed. */
  rows: z.number().nullable(),
  /** A result had more rows than its first page. */
  moreRows: z.boolean(),
  /** Who it ran as: the view-as subject, or the EXECUTE AS user. */
  subject: z.string(),
  /** The error message when it failed. */
  error: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const SavedQuerySchema = z.object({ id: z.string(), name: z.string(), sql: z.string() });
export type SavedQuery = z.infer<typeof SavedQuerySchema>;

/** The tabs part, stored on its own: it is written on every keystroke, the history is not. */
const TabsPartSchema = z.object({
  tabs: z.array(TabSchema).min(1),
  activeTab: z.string(),
  /** Each statement's time limit, ms; null: the engine's default. */
  timeoutMs: z.number().int().positive().nullable().default(null),
});

export interface ConsoleState extends z.infer<typeof TabsPartSchema> {
  readonly history: readonly HistoryEntry[];
  readonly saved: readonly SavedQuery[];
}

/** Runs kept in the history: the oldest go first. */
export const HISTORY_LIMIT = 500;
/** Longest script text a history entry keeps. */
export const HISTORY_SQL_LIMIT = 20_000;
/**
 * Script text the whole history keeps (the oldest runs go first beyond it): localStorage holds a
 * few megabytes per origin, and a history that no longer fits would stop being saved at all.
 */
export const HISTORY_TOTAL_SQL_LIMIT = 1_000_000;

let sequence = 0;
/** A new id, unique in this window and across reloads. */
export function newId(): string {
  sequence += 1;
  return `${Date.now().toString(36)}-${sequence.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function initialState(): ConsoleState {
  const id = newId();
  return { tabs: [{ id, title: 'Query 1', sql: '' }], activeTab: id, history: [], saved: [], timeoutMs: null };
}

function withActiveTab(state: ConsoleState): ConsoleState {
  return state.tabs.some((t) => t.id === state.activeTab) ? state : { ...state, activeTab: state.tabs[0]!.id };
}

// ----- Changes (pure) ---------------------------------------------------------------------------

/** A title not used by another tab: "Query N". */
function nextTitle(tabs: readonly ConsoleTab[]): string {
  const used = new Set(tabs.map((t) => t.title));
  for (let n = 1; ; n += 1) if (!used.has(`Query ${n}`)) return `Query ${n}`;
}

export function addTab(state: ConsoleState, sql = '', title?: string): ConsoleState {
  const tab = { id: newId(), title: title ?? nextTitle(state.tabs), sql };
  return { ...state, tabs: [...state.tabs, tab], activeTab: tab.id };
}

/** Closes a tab; the last one is emptied instead (there is always one). The neighbour becomes active. */
export function closeTab(state: ConsoleState, id: string): ConsoleState {
  const index = state.tabs.findIndex((t) => t.id === id);
  if (index === -1) return state;
  if (state.tabs.length === 1) return { ...state, tabs: [{ ...state.tabs[0]!, sql: '' }] };
  const tabs = state.tabs.filter((t) => t.id !== id);
  const activeTab = state.activeTab === id ? tabs[Math.min(index, tabs.length - 1)]!.id : state.activeTab;
  return { ...state, tabs, activeTab };
}

export function selectTab(state: ConsoleState, id: string): ConsoleState {
  return state.tabs.some((t) => t.id === id) ? { ...state, activeTab: id } : state;
}

export function setTabSql(state: ConsoleState, id: string, sql: string): ConsoleState {
  return { ...state, tabs: state.tabs.map((t) => (t.id === id ? { ...t, sql } : t)) };
}

/** Adds runs to the history, newest first, keeping the last HISTORY_LIMIT and at most HISTORY_TOTAL_SQL_LIMIT of text. */
export function recordRuns(state: ConsoleState, entries: readonly HistoryEntry[]): ConsoleState {
  const added = [...entries].reverse().map((e) => (e.sql.length > HISTORY_SQL_LIMIT ? { ...e, sql: `${e.sql.slice(0, HISTORY_SQL_LIMIT)}…` } : e));
  const history: HistoryEntry[] = [];
  let text = 0;
  for (const e of [...added, ...state.history]) {
    text += e.sql.length;
    if (history.length === HISTORY_LIMIT || text > HISTORY_TOTAL_SQL_LIMIT) break;
    history.push(e);
  }
  return { ...state, history };
}

export function clearHistory(state: ConsoleState): ConsoleState {
  return { ...state, history: [] };
}

/** The runs whose SQL, subject or error contains every word of `query` (any case), newest first. */
export function searchHistory(history: readonly HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...history];
  return history.filter((h) => {
    const text = `${h.sql}\n${h.subject}\n${h.error ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Saves a query under a name; a query of the same name is replaced. */
export function saveQuery(state: ConsoleState, name: string, sql: string): ConsoleState {
  const existing = state.saved.find((q) => q.name === name);
  const saved = existing ? state.saved.map((q) => (q === existing ? { ...q, sql } : q)) : [...state.saved, { id: newId(), name, sql }];
  return { ...state, saved: saved.sort((a, b) => a.name.localeCompare(b.name)) };
}

export function setTimeoutMs(state: ConsoleState, timeoutMs: number | null): ConsoleState {
  return { ...state, timeoutMs };
}

export function deleteSavedQuery(state: ConsoleState, id: string): ConsoleState {
  return { ...state, saved: state.saved.filter((q) => q.id !== id) };
}

// ----- Storage ----------------------------------------------------------------------------------

const storageKey = (dataDir: string, part: 'tabs' | 'history' | 'saved') => `kalam.sql.${part}.${dataDir}`;

const parser =
  <T>(schema: z.ZodType<T>) =>
  (value: unknown): T | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
const parseTabs = parser(TabsPartSchema);
const parseHistory = parser(z.array(HistoryEntrySchema));
const parseSaved = parser(z.array(SavedQuerySchema));

/** The stored state of a data directory; each part that is missing or unreadable starts afresh on its own. */
export function loadState(dataDir: string): ConsoleState {
  const tabs = readStored(storageKey(dataDir, 'tabs'), parseTabs);
  const fresh = initialState();
  return withActiveTab({
    ...(tabs ?? fresh),
    history: readStored(storageKey(dataDir, 'history'), parseHistory) ?? [],
    saved: readStored(storageKey(dataDir, 'saved'), parseSaved) ?? [],
  });
}

/** Writes the parts of the state that changed. */
export function persistState(dataDir: string, before: ConsoleState, after: ConsoleState): void {
  if (after.tabs !== before.tabs || after.activeTab !== before.activeTab || after.timeoutMs !== before.timeoutMs) {
    writeStored(storageKey(dataDir, 'tabs'), { tabs: after.tabs, activeTab: after.activeTab, timeoutMs: after.timeoutMs });
  }
  if (after.history !== before.history) writeStored(storageKey(dataDir, 'history'), after.history);
  if (after.saved !== before.saved) writeStored(storageKey(dataDir, 'saved'), after.saved);
}

// ----- The store --------------------------------------------------------------------------------

interface Store {
  state: ConsoleState;
  readonly listeners: Set<() => void>;
}

const stores = new Map<string, Store>();

function storeFor(dataDir: string): Store {
  let store = stores.get(dataDir);
  if (!store) {
    store = { state: loadState(dataDir), listeners: new Set() };
    stores.set(dataDir, store);
  }
  return store;
}

/** The console's state for a data directory, and a way to change it (written through to storage). */
export function useConsoleState(dataDir: string): [ConsoleState, (change: (s: ConsoleState) => ConsoleState) => void] {
  const store = storeFor(dataDir);
  const subscribe = useCallback(
    (listener: () => void) => {
      store.listeners.add(listener);
      return () => store.listeners.delete(listener);
    },
    [store],
  );
  const state = useSyncExternalStore(subscribe, () => store.state);
  const update = useCallback(
    (change: (s: ConsoleState) => ConsoleState) => {
      const before = store.state;
      const next = change(before);
      if (next === before) return;
      store.state = next;
      persistState(dataDir, before, next);
      for (const l of store.listeners) l();
    },
    [store, dataDir],
  );
  return [state, update];
}
