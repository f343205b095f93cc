import { useMemo, useSyncExternalStore } from 'react';
import { changesOf, discard, EMPTY_STAGED, rebase, restore, type StagedChange, type StagedState, stage, type StageInput, unstage } from './staged-changes';

/** Why a staged row could not be applied: a newer version is stored, or the engine refused it. */
export interface RowProblem {
  readonly kind: 'conflict' | 'error';
  readonly message: string;
}

interface Snapshot {
  readonly staged: StagedState;
  /** table → row key → the problem its last apply met. */
  readonly problems: ReadonlyMap<string, ReadonlyMap<string, RowProblem>>;
}

/**
 * Staged cell edits of every table, kept outside the grid (module state) so they survive switching
 * tables, sorting, filtering and the grid being re-mounted. Lost only on reload, by design: they
 * are unsaved edits, and the pending-changes bar says so.
 */
class StagingStore {
  private snapshot: Snapshot = { staged: EMPTY_STAGED, problems: new Map() };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): Snapshot => this.snapshot;

  private set(next: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...next };
    for (const l of this.listeners) l();
  }

  private clearProblems(table: string, rowKeys?: Iterable<string>): ReadonlyMap<string, ReadonlyMap<string, RowProblem>> {
    const current = this.snapshot.problems.get(table);
    if (!current) return this.snapshot.problems;
    const next = new Map(this.snapshot.problems);
    if (rowKeys === undefined) next.delete(table);
    else {
      const rows = new Map(current);
      for (const k of rowKeys) rows.delete(k);
      next.set(table, rows);
    }
    return next;
  }

  stage(input: StageInput): void {
    this.set({ staged: stage(this.snapshot.staged, input) });
  }

  unstage(table: string, id: string): void {
    const change = changesOf(this.snapshot.staged, table).find((c) => c.id === id);
    const staged = unstage(this.snapshot.staged, table, id);
    const rowLeft = change !== undefined && changesOf(staged, table).some((c) => c.rowKey === change.rowKey);
    this.set({ staged, problems: change && !rowLeft ? this.clearProblems(table, [change.rowKey]) : this.snapshot.problems });
  }

  /** Sets cells to given staged states (undo and redo of staged edits): a change, or undefined for none. */
  restore(table: string, cells: readonly { id: string; change: StagedChange | undefined }[]): void {
    let staged = this.snapshot.staged;
    for (const { id, change } of cells) staged = restore(staged, table, id, change);
    const left = new Set(changesOf(staged, table).map((c) => c.rowKey));
    const gone = changesOf(this.snapshot.staged, table).flatMap((c) => (left.has(c.rowKey) ? [] : [c.rowKey]));
    this.set({ staged, problems: gone.length > 0 ? this.clearProblems(table, gone) : this.snapshot.problems });
  }

  discard(table: string, rowKeys?: ReadonlySet<string>): void {
    this.set({ staged: discard(this.snapshot.staged, table, rowKeys), problems: this.clearProblems(table, rowKeys) });
  }

  /** Keeps a row's edits and takes the stored version as their new base (overwrite on next apply). */
  rebase(table: string, rowKey: string, version: string, current: Readonly<Record<string, unknown>>): void {
    this.set({ staged: rebase(this.snapshot.staged, table, rowKey, version, current), problems: this.clearProblems(table, [rowKey]) });
  }

  setProblems(table: string, problems: ReadonlyMap<string, RowProblem>): void {
    const next = new Map(this.snapshot.problems);
    if (problems.size === 0) next.delete(table);
    else next.set(table, problems);
    this.set({ problems: next });
  }
}

export const stagingStore = new StagingStore();

const NO_PROBLEMS: ReadonlyMap<string, RowProblem> = new Map();

/** The staged changes and apply problems of one table; re-renders when they change. */
export function useStaged(table: string): { changes: readonly StagedChange[]; problems: ReadonlyMap<string, RowProblem> } {
  const snapshot = useSyncExternalStore(stagingStore.subscribe, stagingStore.get);
  return { changes: changesOf(snapshot.staged, table), problems: snapshot.problems.get(table) ?? NO_PROBLEMS };
}

/** The tables that have staged changes. */
export function useTablesWithStaged(): ReadonlySet<string> {
  const snapshot = useSyncExternalStore(stagingStore.subscribe, stagingStore.get);
  return useMemo(() => new Set(snapshot.staged.keys()), [snapshot.staged]);
}

/** How many tables have staged changes (for a warning before leaving). */
export function useStagedTableCount(): number {
  const snapshot = useSyncExternalStore(stagingStore.subscribe, stagingStore.get);
  return snapshot.staged.size;
}
