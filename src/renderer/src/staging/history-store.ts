import { readStored, removeStored, writeStored } from '../components/storage';
import { EMPTY_HISTORY, type EditHistory, type EditStep, forgetCells, record } from './edit-history';
import { changesOf, type StageInput } from './staged-changes';
import { stagingStore } from './staging-store';
import { fromStored, keptSteps, toStored } from './stored-history';

/** Per data directory and table, as the workspace's tabs and saved filters are kept. */
const storageKey = (dataDir: string, table: string) => `kalam.editHistory.${dataDir}.${table}`;

const sameSteps = (a: readonly EditStep[], b: readonly EditStep[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * The edit history of every table (module state, like the staged edits: it survives switching
 * tables and the grid being re-mounted). Its writes also survive a reload: once the data directory
 * is known (open), each table's history is read back from localStorage when first asked for (see
 * stored-history.ts: checked, and dropped whole if it does not parse), and written there when its
 * writes change. Staged steps stay in memory only, as the staged edits do.
 */
export class HistoryStore {
  private histories = new Map<string, EditHistory>();
  private dataDir: string | undefined;
  /** The steps last stored per table, to write only when the writes changed (not on every staged edit). */
  private readonly stored = new Map<string, ReturnType<typeof keptSteps>>();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Keeps the histories of `dataDir` from now on. Steps recorded before it was known belong to it
   * and are stored; another directory's (the app switched without a reload) are let go.
   */
  open(dataDir: string): void {
    if (dataDir === this.dataDir) return;
    const before = this.dataDir;
    this.dataDir = dataDir;
    this.stored.clear();
    if (before === undefined) for (const [table, history] of this.histories) this.persist(table, history);
    else this.histories = new Map();
    this.notify();
  }

  /** A table's history: read back from storage the first time it is asked for (a cache: no change is announced). */
  of = (table: string): EditHistory => {
    const known = this.histories.get(table);
    if (known !== undefined || this.dataDir === undefined) return known ?? EMPTY_HISTORY;
    const dataDir = this.dataDir;
    const restored = readStored(storageKey(dataDir, table), (v) => fromStored(v, dataDir, table));
    if (restored === undefined) removeStored(storageKey(dataDir, table));
    const history = restored ?? EMPTY_HISTORY;
    this.histories.set(table, history);
    this.stored.set(table, keptSteps(history));
    return history;
  };

  update(table: string, change: (history: EditHistory) => EditHistory): void {
    const current = this.of(table);
    const next = change(current);
    if (next === current) return;
    this.histories.set(table, next);
    this.persist(table, next);
    this.notify();
  }

  record(table: string, step: EditStep): void {
    this.update(table, (h) => record(h, step));
  }

  /** Applied cells: out of the staged steps (see forgetCells). */
  forgetCells(table: string, ids: ReadonlySet<string>): void {
    this.update(table, (h) => forgetCells(h, ids));
  }

  private persist(table: string, history: EditHistory): void {
    if (this.dataDir === undefined) return;
    const steps = keptSteps(history);
    const last = this.stored.get(table);
    if (last && sameSteps(last.done, steps.done) && sameSteps(last.undone, steps.undone)) return;
    this.stored.set(table, steps);
    const key = storageKey(this.dataDir, table);
    // A history that could not be stored (storage full) is not left stale: a reload starts it afresh.
    if (steps.done.length + steps.undone.length === 0 || !writeStored(key, toStored(this.dataDir, table, history))) removeStored(key);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

export const historyStore = new HistoryStore();

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
