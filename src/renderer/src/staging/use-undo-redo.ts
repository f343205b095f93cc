import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { client } from '../api/client';
import { errorCode } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { useToast } from '../components/toast-context';
import { afterRedo, afterUndo, type EditStep, movedTo, nextUndo, rowCall, type RowWrite, stagedTargets } from './edit-history';
import { historyStore } from './history-store';
import { stagingStore } from './staging-store';

type Direction = 'undo' | 'redo';
type WrittenStep = Extract<EditStep, { kind: 'written' }>;

/** A row an undo or redo could not write because it changed meanwhile: the conflict dialog's subject. */
export interface HistoryConflict {
  readonly direction: Direction;
  /** The step (as left in the history) that holds the row. */
  readonly step: WrittenStep;
  readonly write: RowWrite;
  /** The values the undo or redo would write (the dialog compares them with the stored row). */
  readonly mine: Readonly<Record<string, unknown>>;
}

/** Errors that mean "the row is not as this step left it": shown in the conflict dialog, never overwritten. */
const MOVED_ON = new Set(['CONFLICT', 'ALREADY_EXISTS']);

/**
 * Undo and redo of a table's edit history: a staged step sets its cells back (or forth) in the
 * staging store; a written step writes each row's inverse (or the write again) through the row
 * procedures, checked against the version the row was left at. A row changed meanwhile is left as
 * it is and offered in the conflict dialog (`conflict`): reload theirs (the row leaves the
 * history), overwrite with the step's values, or keep it for later.
 */
export function useUndoRedo(table: string, keyColumn: string | undefined) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  // Keys repeat faster than a render: one undo or redo at a time, whatever the closure saw.
  const running = useRef(false);
  const [conflict, setConflict] = useState<HistoryConflict | undefined>();

  /** A row's undo (or redo) through its row procedure; the version of the row it leaves (none after a delete). */
  async function write(w: RowWrite, direction: Direction, overwrite = false): Promise<string | undefined> {
    const call = rowCall(w, direction);
    const subject = w.as ? { as: w.as } : {};
    switch (call.proc) {
      case 'update':
        return (await client.rows.update({ table, key: call.key, values: call.values, version: call.version, ...(overwrite ? { overwrite } : {}), ...subject }))
          .version;
      case 'create': {
        // A delete is undone by creating the row again; over a row someone made meanwhile, only if asked.
        if (overwrite) {
          const values = Object.fromEntries(Object.entries(call.values).filter(([name]) => name !== keyColumn));
          const stored = await client.rows.get({ table, key: w.key, ...subject });
          return (await client.rows.update({ table, key: w.key, values, version: stored.version, overwrite: true, ...subject })).version;
        }
        const user = w.as === undefined && call.user !== undefined ? { user: call.user } : {};
        return (await client.rows.create({ table, values: call.values, ...user, ...subject })).version;
      }
      case 'delete':
        try {
          await client.rows.delete({ table, key: call.key, ...(overwrite ? {} : { version: call.version }), ...subject });
        } catch (e) {
          // Gone already: what the delete wanted.
          if (errorCode(e) !== 'NOT_FOUND') throw e;
        }
        return undefined;
    }
  }

  const verb = (direction: Direction) => (direction === 'undo' ? 'Undid' : 'Redid');

  async function run(direction: Direction): Promise<void> {
    if (running.current) return;
    const history = historyStore.of(table);
    const step = direction === 'undo' ? nextUndo(history) : history.undone.at(-1);
    if (!step || step.kind === 'final') return;
    const settle = direction === 'undo' ? afterUndo : afterRedo;
    if (step.kind === 'staged') {
      stagingStore.restore(table, stagedTargets(step, direction));
      historyStore.update(table, (h) => settle(h, step, step));
      toast.show({ kind: 'info', message: `${verb(direction)}: ${step.label}.` });
      return;
    }
    running.current = true;
    setBusy(true);
    const moved: RowWrite[] = [];
    const left: RowWrite[] = [];
    const gone: string[] = [];
    let firstConflict: RowWrite | undefined;
    let failure: unknown;
    try {
      for (const w of step.rows) {
        try {
          moved.push(movedTo(w, await write(w, direction)));
        } catch (e) {
          // A row deleted meanwhile cannot be written back: it leaves the history (there is nothing to choose).
          if (errorCode(e) === 'NOT_FOUND') gone.push(w.key);
          else left.push(w);
          if (MOVED_ON.has(errorCode(e) ?? '')) firstConflict ??= w;
          else if (errorCode(e) !== 'NOT_FOUND') failure ??= e;
        }
      }
      const leftStep = left.length > 0 ? { ...step, rows: left } : undefined;
      historyStore.update(table, (h) => settle(h, step, moved.length > 0 ? { ...step, rows: moved } : undefined, leftStep));
      if (moved.length > 0) await invalidateTable(queryClient, table);
      if (gone.length > 0) toast.show({ kind: 'error', message: `Row ${gone.join(', ')} was deleted by someone else meanwhile: it left the edit history.` });
      else if (left.length === 0) toast.show({ kind: 'info', message: `${verb(direction)}: ${step.label}.` });
      else if (failure !== undefined) toast.error(failure, `${direction === 'undo' ? 'Undo' : 'Redo'} of “${step.label}” failed for ${countRows(left.length)}`);
      if (leftStep && firstConflict) {
        const call = rowCall(firstConflict, direction);
        setConflict({ direction, step: leftStep, write: firstConflict, mine: call.proc === 'delete' ? {} : call.values });
      }
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  /** The conflict dialog's answers: overwrite writes the step's values over the stored row; reload drops the row from the history. */
  async function resolve(answer: 'overwrite' | 'reload'): Promise<void> {
    if (!conflict) return;
    const { direction, step, write: w } = conflict;
    const rest = step.rows.filter((r) => r !== w);
    const restStep = rest.length > 0 ? { ...step, rows: rest } : undefined;
    const settle = direction === 'undo' ? afterUndo : afterRedo;
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      if (answer === 'reload') {
        // Theirs stays: this row can no longer be undone (or redone) by this step.
        historyStore.update(table, (h) => settle(h, step, undefined, restStep));
        toast.show({ kind: 'info', message: `Kept the stored row ${w.key}; it left the edit history.` });
      } else {
        const version = await write(w, direction, true);
        historyStore.update(table, (h) => settle(h, step, { ...step, rows: [movedTo(w, version)] }, restStep));
        await invalidateTable(queryClient, table);
        toast.show({ kind: 'info', message: `${verb(direction)} row ${w.key} over the stored one.` });
      }
      setConflict(undefined);
    } catch (e) {
      toast.error(e, `Could not ${direction} row ${w.key}`);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return {
    busy,
    undo: () => void run('undo'),
    redo: () => void run('redo'),
    conflict,
    resolve: (answer: 'overwrite' | 'reload') => void resolve(answer),
    dismissConflict: () => setConflict(undefined),
  };
}

function countRows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}
