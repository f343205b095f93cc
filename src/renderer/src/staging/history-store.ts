import { useSyncExternalStore } from 'react';
import { EMPTY_HISTORY, type EditHistory, type EditStep, forgetCells, record } from './edit-history';
import { changesOf, type StageInput } from './staged-changes';
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
 * Changes the staged edits of a table (`change` calls the staging store) as one step of its
 * history: every cell whose staged state the change moved, before and after. Every staged change
 * the user makes goes through here (edits, pastes, Set NULL, discards, per-cell undo, keep mine),
 * so undo and redo of staged steps always find the states they recorded.
 */
export function changeStaged(table: string, label: string, change: () => void): void {
  const cells = () => new Map(changesOf(stagingStore.get().staged, table).map((c) => [c.id, c]));
  const before = cells();
  change();
  const after = cells();
  const ids = [...new Set([...before.keys(), ...after.keys()])].filter((id) => before.get(id) !== after.get(id));
  historyStore.record(table, { kind: 'staged', label, cells: ids.map((id) => ({ id, before: before.get(id), after: after.get(id) })) });
}

/** Stages cell values (an edit, a paste, Set NULL) as one step of the table's history: Ctrl/Cmd+Z takes them back together. */
export function stageRecorded(table: string, inputs: readonly StageInput[], label: string): void {
  changeStaged(table, label, () => {
    for (const input of inputs) stagingStore.stage(input);
  });
}
