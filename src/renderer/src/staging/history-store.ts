import { useSyncExternalStore } from 'react';
import { EMPTY_HISTORY, type EditHistory, type EditStep, forgetCells, record } from './edit-history';
import { cellId, changesOf, type StageInput } from './staged-changes';
import { stagingStore } from './staging-store';

/**
 * The edit history of every table in this session (module state, like the staged edits: it
 * survives switching tables and the grid being re-mounted, and is gone on reload).
 */
class HistoryStore {
  private histories: ReadonlyMap<string, EditHistory> = new Map();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): ReadonlyMap<string, EditHistory> => this.histories;

  of(table: string): EditHistory {
    return this.histories.get(table) ?? EMPTY_HISTORY;
  }

  update(table: string, change: (history: EditHistory) => EditHistory): void {
    const next = change(this.of(table));
    if (next === this.of(table)) return;
    this.histories = new Map(this.histories).set(table, next);
    for (const l of this.listeners) l();
  }

  record(table: string, step: EditStep): void {
    this.update(table, (h) => record(h, step));
  }

  /** Applied cells: out of the staged steps (see forgetCells). */
  forgetCells(table: string, ids: ReadonlySet<string>): void {
    this.update(table, (h) => forgetCells(h, ids));
  }
}

export const historyStore = new HistoryStore();

/** One table's history; re-renders when it changes. */
export function useEditHistory(table: string): EditHistory {
  const all = useSyncExternalStore(historyStore.subscribe, historyStore.get);
  return all.get(table) ?? EMPTY_HISTORY;
}

/**
 * Stages cell values (an edit, a paste, Set NULL) as one step of the table's history, so Ctrl/Cmd+Z
 * takes them back together.
 */
export function stageRecorded(table: string, inputs: readonly StageInput[], label: string): void {
  const find = (id: string) => changesOf(stagingStore.get().staged, table).find((c) => c.id === id);
  const ids = [...new Set(inputs.map((i) => cellId(table, i.rowKey, i.column)))];
  const before = ids.map((id) => find(id));
  for (const input of inputs) stagingStore.stage(input);
  historyStore.record(table, { kind: 'staged', label, cells: ids.map((id, i) => ({ id, before: before[i], after: find(id) })) });
}
