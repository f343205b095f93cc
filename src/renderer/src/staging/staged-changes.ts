import type { ViewAs } from '../../../shared/contract';

/**
 * Cell edits waiting to be applied, per table. Pure functions over an immutable state, so the store
 * (staging-store.ts) stays a thin subscription wrapper and the rules are testable on their own.
 *
 * One change per cell: editing a staged cell again replaces its value but keeps the value and
 * version it was first staged against, so undo returns to what the table held and apply still
 * checks the row against that version.
 */

export interface StagedChange {
  /** Unique within the state; stable across replacements of the same cell. */
  readonly id: string;
  readonly table: string;
  readonly rowKey: string;
  readonly column: string;
  /** The new value, typed for its column. */
  readonly value: unknown;
  /** The stored value when the cell was first staged (what undo brings back on screen). */
  readonly original: unknown;
  /** The row's version token (as the server issued it) when the cell was first staged: apply succeeds only while it is still that. */
  readonly baseVersion: string;
  /** Whom the change is made for (the "view as" subject when it was staged); undefined is the admin. */
  readonly as: ViewAs | undefined;
  /** A field of a new row (pasted below the last row): applied with `rows.create`; its rowKey is `newRowKey(n)`, its original null, its version empty. */
  readonly newRow?: true;
}

export type StagedState = ReadonlyMap<string, readonly StagedChange[]>;

export const EMPTY_STAGED: StagedState = new Map();

export type StageInput = Omit<StagedChange, 'id'>;

export function cellId(table: string, rowKey: string, column: string): string {
  return JSON.stringify([table, rowKey, column]);
}

/** The row key a staged new row goes by until it is created (shown in the pending changes). */
export function newRowKey(n: number): string {
  return `new row ${n}`;
}

/** The number the next staged new row of a table gets. */
export function nextNewRow(changes: readonly StagedChange[]): number {
  const taken = new Set(changes.filter((c) => c.newRow).map((c) => c.rowKey));
  let n = 1;
  while (taken.has(newRowKey(n))) n++;
  return n;
}

function withTable(state: StagedState, table: string, changes: readonly StagedChange[]): StagedState {
  const next = new Map(state);
  if (changes.length === 0) next.delete(table);
  else next.set(table, changes);
  return next;
}

/**
 * Stages a cell value. Setting a cell back to the value it was first staged against drops the
 * change (nothing left to apply).
 */
export function stage(state: StagedState, input: StageInput): StagedState {
  const id = cellId(input.table, input.rowKey, input.column);
  const list = state.get(input.table) ?? [];
  const existing = list.find((c) => c.id === id);
  if (existing) {
    if (sameValue(existing.original, input.value))
      return withTable(
        state,
        input.table,
        list.filter((c) => c.id !== id),
      );
    return withTable(
      state,
      input.table,
      list.map((c) => (c.id === id ? { ...c, value: input.value } : c)),
    );
  }
  if (sameValue(input.original, input.value)) return state;
  return withTable(state, input.table, [...list, { ...input, id }]);
}

/** Drops one change (undo of that cell). */
export function unstage(state: StagedState, table: string, id: string): StagedState {
  const list = state.get(table);
  if (!list?.some((c) => c.id === id)) return state;
  return withTable(
    state,
    table,
    list.filter((c) => c.id !== id),
  );
}

/**
 * Puts one cell back in a given staged state: `change` (replacing the staged one of its id, or
 * added at the end) or, undefined, not staged. Undo and redo of staged edits use it.
 */
export function restore(state: StagedState, table: string, id: string, change: StagedChange | undefined): StagedState {
  const list = state.get(table) ?? [];
  const at = list.findIndex((c) => c.id === id);
  if (change === undefined) return at < 0 ? state : withTable(state, table, list.toSpliced(at, 1));
  return withTable(state, table, at < 0 ? [...list, change] : list.with(at, change));
}

/** Drops every change of a table, or only those of the given rows. */
export function discard(state: StagedState, table: string, rowKeys?: ReadonlySet<string>): StagedState {
  const list = state.get(table);
  if (!list) return state;
  return withTable(state, table, rowKeys ? list.filter((c) => !rowKeys.has(c.rowKey)) : []);
}

/** Re-bases a row's changes on its current version (after the user chose to keep their edits). */
export function rebase(state: StagedState, table: string, rowKey: string, version: string, current: Readonly<Record<string, unknown>>): StagedState {
  const list = state.get(table);
  if (!list) return state;
  return withTable(
    state,
    table,
    list.map((c) => (c.rowKey === rowKey ? { ...c, baseVersion: version, original: current[c.column] } : c)),
  );
}

export function changesOf(state: StagedState, table: string): readonly StagedChange[] {
  return state.get(table) ?? [];
}

/** A table's changes grouped by row, in the order rows were first staged. */
export function byRow(changes: readonly StagedChange[]): Map<string, [StagedChange, ...StagedChange[]]> {
  const rows = new Map<string, [StagedChange, ...StagedChange[]]>();
  for (const c of changes) {
    const list = rows.get(c.rowKey);
    if (list) list.push(c);
    else rows.set(c.rowKey, [c]);
  }
  return rows;
}

/** Values are JSON (row values): compare them as such. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
