import type { ViewAs } from '../../../shared/contract';
import type { StagedChange } from './staged-changes';

/**
 * The edit history of one table in this session: staged edits and applied writes (updates,
 * inserts, deletes), each step undone and redone as a whole. Pure functions over an immutable
 * state; the store (history-store.ts) holds one per table, and use-undo-redo.ts performs the
 * steps (staging calls, or the inverse row writes with version checks).
 */

/** One staged cell before and after a step: a staged change, or undefined for not staged. */
export interface CellDelta {
  readonly id: string;
  readonly before: StagedChange | undefined;
  readonly after: StagedChange | undefined;
}

type Values = Readonly<Record<string, unknown>>;

/**
 * One row written by a step, as the step left it (done) or as its undo left it (undone):
 * `version` is the row's version at that point, so the next undo or redo is version-checked.
 */
export type RowWrite =
  /** `before` and `after`: the columns the update changed, their old and new values. */
  | { readonly op: 'update'; readonly key: string; readonly before: Values; readonly after: Values; readonly version: string; readonly as: ViewAs | undefined }
  /** `values`: the row's columns (as `rows.create` takes them); `user`: its owner (user tables). Done: it exists at `version`. */
  | {
      readonly op: 'insert';
      readonly key: string;
      readonly values: Values;
      readonly user: string | undefined;
      readonly version: string;
      readonly as: ViewAs | undefined;
    }
  /** The row as it was deleted at `version`. Done: it is gone; undone: it is back at `version`. */
  | {
      readonly op: 'delete';
      readonly key: string;
      readonly values: Values;
      readonly user: string | undefined;
      readonly version: string;
      readonly as: ViewAs | undefined;
    };

export type EditStep =
  | { readonly kind: 'staged'; readonly label: string; readonly cells: readonly CellDelta[] }
  | { readonly kind: 'written'; readonly label: string; readonly rows: readonly RowWrite[] }
  /** A write listed in the history that cannot be undone, and why (undo passes over it to the step before). */
  | { readonly kind: 'final'; readonly label: string; readonly reason: string };

export interface EditHistory {
  /** Steps done, oldest first: undo takes the last. */
  readonly done: readonly EditStep[];
  /** Steps undone, the next to redo last. */
  readonly undone: readonly EditStep[];
}

export const EMPTY_HISTORY: EditHistory = { done: [], undone: [] };

/** Steps kept per table: the oldest go first. */
export const HISTORY_LIMIT = 200;

/** A new step: done, and nothing left to redo. A staged step that changed nothing is not kept. */
export function record(history: EditHistory, step: EditStep): EditHistory {
  if (isEmpty(step)) return history;
  return { done: [...history.done, step].slice(-HISTORY_LIMIT), undone: [] };
}

function isEmpty(step: EditStep): boolean {
  if (step.kind === 'final') return false;
  return step.kind === 'staged' ? step.cells.every((c) => c.before === c.after) : step.rows.length === 0;
}

/** The step undo takes: the last done that can be undone (a final step stays listed, and undo reaches past it). */
export function nextUndo(history: EditHistory): Exclude<EditStep, { kind: 'final' }> | undefined {
  return history.done.findLast((s): s is Exclude<EditStep, { kind: 'final' }> => s.kind !== 'final');
}

/**
 * Why a stream row's delete cannot be undone. A stream row's key is its owner and its `_seq`, and
 * `_seq` is the engine's one sequence: every write takes the next number, never a used one (it is
 * also the row's version). So the row can never come back under its key: appending its values
 * again makes another event, with a new key, a new write time `_ts` and so a new expiry, at the
 * end of the stream rather than where it was.
 */
export const STREAM_DELETE_FINAL =
  'Not undoable: a stream row is an event, keyed by its place in the stream. Appending it again would make another event, with a new key, write time and expiry.';

/**
 * `step` (the last done) was undone: `undone` (its rows at their new versions) is what redo will
 * take, `left` what could not be undone yet (rows in conflict), kept as the step to undo next. The
 * rows undone are at new versions now: the step before that touches each of them expects that version.
 */
export function afterUndo(history: EditHistory, step: EditStep, undone: EditStep | undefined, left?: EditStep): EditHistory {
  const at = history.done.lastIndexOf(step);
  if (at < 0) return history;
  let done: readonly EditStep[] = history.done.toSpliced(at, 1, ...(left && !isEmpty(left) ? [left] : []));
  for (const [key, version] of versionsLeft(undone, 'undo')) done = withVersion(done, key, version);
  return { done, undone: undone && !isEmpty(undone) ? [...history.undone, undone] : history.undone };
}

/** The mirror of afterUndo for redo: the next step to redo that touches a row redone expects its new version. */
export function afterRedo(history: EditHistory, step: EditStep, redone: EditStep | undefined, left?: EditStep): EditHistory {
  const at = history.undone.lastIndexOf(step);
  if (at < 0) return history;
  let undone: readonly EditStep[] = history.undone.toSpliced(at, 1, ...(left && !isEmpty(left) ? [left] : []));
  for (const [key, version] of versionsLeft(redone, 'redo')) undone = withVersion(undone, key, version);
  return { done: redone && !isEmpty(redone) ? [...history.done, redone] : history.done, undone };
}

/** The rows a written step's undo (or redo) left in place, and their versions (a row it removed has none). */
function versionsLeft(step: EditStep | undefined, direction: 'undo' | 'redo'): [string, string][] {
  if (step?.kind !== 'written') return [];
  const removed = direction === 'undo' ? 'insert' : 'delete';
  return step.rows.flatMap((w) => (w.op === removed ? [] : [[w.key, w.version] as [string, string]]));
}

/** The last of `steps` that writes `key`, expecting `version` now. */
function withVersion(steps: readonly EditStep[], key: string, version: string): readonly EditStep[] {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.kind !== 'written') continue;
    const at = step.rows.findIndex((w) => w.key === key);
    if (at >= 0) return steps.with(i, { ...step, rows: step.rows.with(at, { ...step.rows[at]!, version }) });
  }
  return steps;
}

/**
 * Staged cells that were applied leave the staged steps (the applied step holds them now), so
 * undo never stages again what was saved and then reverted.
 */
export function forgetCells(history: EditHistory, ids: ReadonlySet<string>): EditHistory {
  if (ids.size === 0) return history;
  const strip = (steps: readonly EditStep[]) =>
    steps.flatMap<EditStep>((s) => {
      if (s.kind !== 'staged') return [s];
      const cells = s.cells.filter((c) => !ids.has(c.id));
      return cells.length === 0 ? [] : [{ ...s, cells }];
    });
  return { done: strip(history.done), undone: strip(history.undone) };
}

/** The cell states a staged step's undo (or redo) sets (in the step's order: a cell staged again goes back to the end of the list, as when it was staged). */
export function stagedTargets(step: Extract<EditStep, { kind: 'staged' }>, direction: 'undo' | 'redo'): { id: string; change: StagedChange | undefined }[] {
  return step.cells.map((c) => ({ id: c.id, change: direction === 'undo' ? c.before : c.after }));
}

/**
 * A deleted row as a history step keeps it: its own columns (`columns`, what `rows.create` takes:
 * not `_seq` or `_ts`) and its owner (`_user`), at the version it was deleted at.
 */
export function deletedRow(columns: readonly string[], row: { key: string; values: Values; version: string }, as: ViewAs | undefined): RowWrite {
  const own = new Set(columns);
  const owner = row.values['_user'];
  return {
    op: 'delete',
    key: row.key,
    values: Object.fromEntries(Object.entries(row.values).filter(([name]) => own.has(name))),
    user: typeof owner === 'string' ? owner : undefined,
    version: row.version,
    as,
  };
}

/** A row procedure call (the renderer's client makes it; `as` is added there). */
export type RowCall =
  | { readonly proc: 'update'; readonly key: string; readonly values: Values; readonly version: string }
  | { readonly proc: 'create'; readonly values: Values; readonly user: string | undefined }
  | { readonly proc: 'delete'; readonly key: string; readonly version: string };

/**
 * The write that undoes (or redoes) a row of a written step, checked against the version the row
 * was left at: an update writes the old values back, an insert is deleted, a delete re-created.
 */
export function rowCall(write: RowWrite, direction: 'undo' | 'redo'): RowCall {
  switch (write.op) {
    case 'update':
      return { proc: 'update', key: write.key, values: direction === 'undo' ? write.before : write.after, version: write.version };
    case 'insert':
      return direction === 'undo' ? { proc: 'delete', key: write.key, version: write.version } : { proc: 'create', values: write.values, user: write.user };
    case 'delete':
      return direction === 'undo' ? { proc: 'create', values: write.values, user: write.user } : { proc: 'delete', key: write.key, version: write.version };
  }
}

/** A row write after its undo or redo ran: at the version that left it (unchanged after a delete). */
export function movedTo(write: RowWrite, version: string | undefined): RowWrite {
  return version === undefined ? write : { ...write, version };
}
