import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterRedo,
  afterUndo,
  EMPTY_HISTORY,
  type EditHistory,
  type EditStep,
  forgetCells,
  HISTORY_LIMIT,
  movedTo,
  nextUndo,
  record,
  rowCall,
  type RowWrite,
  stagedTargets,
  STREAM_DELETE_FINAL,
} from './edit-history';
import { cellId, changesOf, EMPTY_STAGED, restore, type StagedState, stage } from './staged-changes';
import { fromStored, toStored } from './stored-history';

const T = 'app.notes';

/**
 * A stand-in for the row procedures' rules (not the engine): versions grow on every write, an
 * update or delete names the version it expects, a create refuses a key that exists.
 */
class Rows {
  private seq = 0;
  readonly rows = new Map<string, { values: Record<string, unknown>; version: string }>();

  create(values: Record<string, unknown>): string {
    const key = String(values['id']);
    if (this.rows.has(key)) throw new Error('ALREADY_EXISTS');
    const version = String(++this.seq);
    this.rows.set(key, { values: { ...values }, version });
    return version;
  }

  update(key: string, values: Record<string, unknown>, version: string): string {
    const row = this.rows.get(key);
    if (!row) throw new Error('NOT_FOUND');
    if (row.version !== version) throw new Error('CONFLICT');
    const next = String(++this.seq);
    this.rows.set(key, { values: { ...row.values, ...values }, version: next });
    return next;
  }

  delete(key: string, version: string): void {
    const row = this.rows.get(key);
    if (!row) throw new Error('NOT_FOUND');
    if (row.version !== version) throw new Error('CONFLICT');
    this.rows.delete(key);
  }

  snapshot(): Record<string, Record<string, unknown>> {
    const keys = [...this.rows.keys()].sort();
    return Object.fromEntries(keys.map((k) => [k, this.rows.get(k)!.values]));
  }
}

/** Undoes or redoes one written step on `rows`, as use-edit-history does with the client. */
function perform(rows: Rows, step: EditStep, direction: 'undo' | 'redo'): EditStep {
  if (step.kind !== 'written') throw new Error('a written step');
  const ordered = direction === 'undo' ? [...step.rows].reverse() : step.rows;
  const moved = ordered.map((w) => {
    const call = rowCall(w, direction);
    if (call.proc === 'update') return movedTo(w, rows.update(call.key, call.values, call.version));
    if (call.proc === 'create') return movedTo(w, rows.create(call.values));
    rows.delete(call.key, call.version);
    return w;
  });
  return { ...step, rows: direction === 'undo' ? moved.reverse() : moved };
}

type Op = { kind: 'update'; pick: number; text: string } | { kind: 'insert'; id: number } | { kind: 'delete'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), text: fc.string({ maxLength: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), id: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

/** Runs user writes on `rows`, recording each as a step the way the app does. */
function runWrites(rows: Rows, ops: readonly Op[], from: EditHistory = EMPTY_HISTORY): EditHistory {
  let history = from;
  for (const op of ops) {
    const keys = [...rows.rows.keys()];
    if (op.kind === 'insert') {
      if (rows.rows.has(String(op.id))) continue;
      const values = { id: op.id, title: `t${op.id}` };
      const version = rows.create(values);
      history = record(history, {
        kind: 'written',
        label: 'insert',
        rows: [{ op: 'insert', key: String(op.id), values, user: undefined, version, as: undefined }],
      });
    } else if (keys.length > 0) {
      const key = keys[op.pick % keys.length]!;
      const row = rows.rows.get(key)!;
      if (op.kind === 'update') {
        const version = rows.update(key, { title: op.text }, row.version);
        const write: RowWrite = { op: 'update', key, before: { title: row.values['title'] }, after: { title: op.text }, version, as: undefined };
        history = record(history, { kind: 'written', label: 'update', rows: [write] });
      } else {
        rows.delete(key, row.version);
        history = record(history, {
          kind: 'written',
          label: 'delete',
          rows: [{ op: 'delete', key, values: row.values, user: undefined, version: row.version, as: undefined }],
        });
      }
    }
  }
  return history;
}

describe('edit history', () => {
  it('undoing every applied write gives the table back as it was; redoing them all gives the edited table', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const rows = new Rows();
        for (const id of [1, 2, 3]) rows.create({ id, title: `t${id}` });
        const start = rows.snapshot();
        let history = runWrites(rows, ops);
        const end = rows.snapshot();
        const steps = history.done.length;
        while (history.done.length > 0) history = afterUndo(history, history.done.at(-1)!, perform(rows, history.done.at(-1)!, 'undo'));
        expect(rows.snapshot()).toEqual(start);
        expect(history.undone).toHaveLength(steps);
        while (history.undone.length > 0) history = afterRedo(history, history.undone.at(-1)!, perform(rows, history.undone.at(-1)!, 'redo'));
        expect(rows.snapshot()).toEqual(end);
        expect(history.done).toHaveLength(steps);
      }),
    );
  });

  it('any mix of writes, undos, redos and reloads (the history stored and read back) keeps the table at the state of the steps done', () => {
    const actionArb = fc.oneof(opArb, fc.constant('undo' as const), fc.constant('redo' as const), fc.constant('reload' as const));
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 40 }), (actions) => {
        const rows = new Rows();
        for (const id of [1, 2]) rows.create({ id, title: `t${id}` });
        let history = EMPTY_HISTORY;
        // states[i]: the table with i steps done.
        let states = [rows.snapshot()];
        for (const action of actions) {
          if (action === 'reload') {
            history = fromStored(JSON.parse(JSON.stringify(toStored('/data', T, history))), '/data', T)!;
          } else if (action === 'undo') {
            const step = history.done.at(-1);
            if (step) history = afterUndo(history, step, perform(rows, step, 'undo'));
          } else if (action === 'redo') {
            const step = history.undone.at(-1);
            if (step) history = afterRedo(history, step, perform(rows, step, 'redo'));
          } else {
            const before = history.done.length;
            const next = runWrites(rows, [action], history);
            if (next !== history) states = [...states.slice(0, before + 1), rows.snapshot()];
            history = next;
          }
          expect(rows.snapshot()).toEqual(states[history.done.length]);
        }
      }),
    );
  });

  it('an undo meets a row changed since (its version moved on) instead of overwriting it', () => {
    const rows = new Rows();
    rows.create({ id: 1, title: 'a' });
    const history = runWrites(rows, [{ kind: 'update', pick: 0, text: 'b' }]);
    // Someone else saves the row after our edit.
    rows.update('1', { title: 'theirs' }, rows.rows.get('1')!.version);
    expect(() => perform(rows, history.done.at(-1)!, 'undo')).toThrow('CONFLICT');
    expect(rows.rows.get('1')!.values['title']).toBe('theirs');
    // Undo of a delete whose key was taken again refuses too.
    const again = runWrites(rows, [{ kind: 'delete', pick: 0 }]);
    rows.create({ id: 1, title: 'new' });
    expect(() => perform(rows, again.done.at(-1)!, 'undo')).toThrow('ALREADY_EXISTS');
  });

  it('undo and redo of staged steps give back each staged state in turn', () => {
    const input = (rowKey: string, column: string, value: unknown) => ({ table: T, rowKey, column, value, original: 'x', baseVersion: '1', as: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('1', '2'), fc.constantFrom('title', 'body'), fc.constantFrom('x', 'a', 'b')), { minLength: 1, maxLength: 12 }),
        (edits) => {
          let staged: StagedState = EMPTY_STAGED;
          let history = EMPTY_HISTORY;
          const states: StagedState[] = [staged];
          for (const [rowKey, column, value] of edits) {
            const id = cellId(T, rowKey, column);
            const find = (s: StagedState) => changesOf(s, T).find((c) => c.id === id);
            const before = find(staged);
            staged = stage(staged, input(rowKey, column, value));
            const next = record(history, { kind: 'staged', label: 'edit', cells: [{ id, before, after: find(staged) }] });
            if (next !== history) states.push(staged);
            history = next;
          }
          const set = (step: EditStep, direction: 'undo' | 'redo') => {
            if (step.kind !== 'staged') throw new Error('a staged step');
            for (const t of stagedTargets(step, direction)) staged = restore(staged, T, t.id, t.change);
          };
          const same = (a: StagedState, b: StagedState) => expect(new Set(changesOf(a, T))).toEqual(new Set(changesOf(b, T)));
          for (let i = states.length - 2; i >= 0; i--) {
            set(history.done.at(-1)!, 'undo');
            history = afterUndo(history, history.done.at(-1)!, history.done.at(-1));
            same(staged, states[i]!);
          }
          expect(changesOf(staged, T)).toEqual([]);
          for (let i = 1; i < states.length; i++) {
            set(history.undone.at(-1)!, 'redo');
            history = afterRedo(history, history.undone.at(-1)!, history.undone.at(-1));
            same(staged, states[i]!);
          }
        },
      ),
    );
  });

  it('a new step drops what could be redone; the history keeps the last HISTORY_LIMIT steps', () => {
    const step = (label: string): EditStep => ({
      kind: 'written',
      label,
      rows: [{ op: 'delete', key: label, values: {}, user: undefined, version: '1', as: undefined }],
    });
    let h = record(record(EMPTY_HISTORY, step('a')), step('b'));
    h = afterUndo(h, h.done.at(-1)!, h.done.at(-1));
    expect(h.undone.map((s) => s.label)).toEqual(['b']);
    h = record(h, step('c'));
    expect(h).toEqual({ done: [step('a'), step('c')], undone: [] });
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = record(h, step(String(i)));
    expect(h.done).toHaveLength(HISTORY_LIMIT);
    expect(h.done.at(-1)?.label).toBe(String(HISTORY_LIMIT + 4));
    // A staged step that changed nothing is not a step.
    expect(record(h, { kind: 'staged', label: 'noop', cells: [{ id: 'x', before: undefined, after: undefined }] })).toBe(h);
  });

  it('a partly undone step keeps the rows left (in conflict) as the next to undo', () => {
    const w = (key: string): RowWrite => ({ op: 'delete', key, values: { id: key }, user: undefined, version: '1', as: undefined });
    let h = record(EMPTY_HISTORY, { kind: 'written', label: 'Delete 3 rows', rows: [w('1'), w('2'), w('3')] });
    h = afterUndo(
      h,
      h.done[0]!,
      { kind: 'written', label: 'Delete 3 rows', rows: [w('1'), w('3')] },
      { kind: 'written', label: 'Delete 3 rows', rows: [w('2')] },
    );
    expect(h.done.map((s) => (s.kind === 'written' ? s.rows.map((r) => r.key) : []))).toEqual([['2']]);
    expect(h.undone.map((s) => (s.kind === 'written' ? s.rows.map((r) => r.key) : []))).toEqual([['1', '3']]);
    // Nothing undone at all (the only row in conflict, left as it was): the step stays.
    const one = record(EMPTY_HISTORY, { kind: 'written', label: 'x', rows: [w('9')] });
    expect(afterUndo(one, one.done[0]!, undefined, one.done[0])).toEqual(one);
    // A step no longer in the history (replaced meanwhile) changes nothing.
    expect(afterUndo(one, { kind: 'written', label: 'x', rows: [w('9')] }, undefined)).toBe(one);
  });

  it('applied cells leave the staged steps (undo never stages again what was saved)', () => {
    const change = (rowKey: string) => ({
      id: cellId(T, rowKey, 'title'),
      table: T,
      rowKey,
      column: 'title',
      value: 'v',
      original: 'o',
      baseVersion: '1',
      as: undefined,
    });
    let h = record(EMPTY_HISTORY, {
      kind: 'staged',
      label: 'Paste 2 cells',
      cells: [
        { id: change('1').id, before: undefined, after: change('1') },
        { id: change('2').id, before: undefined, after: change('2') },
      ],
    });
    h = record(h, { kind: 'staged', label: 'Edit', cells: [{ id: change('1').id, before: change('1'), after: undefined }] });
    h = forgetCells(h, new Set([change('1').id]));
    expect(h.done).toHaveLength(1);
    expect(h.done[0]?.kind === 'staged' && h.done[0].cells.map((c) => c.id)).toEqual([change('2').id]);
  });

  it('a final step (a stream row deleted) stays listed; undo passes over it to the step before, and leaves it in place', () => {
    const insert: EditStep = {
      kind: 'written',
      label: 'Create row 1',
      rows: [{ op: 'insert', key: '1', values: { id: 1 }, user: undefined, version: '1', as: undefined }],
    };
    const final: EditStep = { kind: 'final', label: 'Delete row u1/7', reason: STREAM_DELETE_FINAL };
    let h = record(record(EMPTY_HISTORY, insert), final);
    expect(nextUndo(h)).toBe(insert);
    h = afterUndo(h, insert, insert);
    expect(h).toEqual({ done: [final], undone: [insert] });
    expect(nextUndo(h)).toBeUndefined();
    h = afterRedo(h, insert, insert);
    expect(h.done).toEqual([final, insert]);
    expect(nextUndo(h)).toBe(insert);
  });

  it('each write is undone by its inverse at the version it was left at, and redone likewise', () => {
    const update: RowWrite = { op: 'update', key: '1', before: { t: 'a' }, after: { t: 'b' }, version: '5', as: undefined };
    expect(rowCall(update, 'undo')).toEqual({ proc: 'update', key: '1', values: { t: 'a' }, version: '5' });
    expect(rowCall(update, 'redo')).toEqual({ proc: 'update', key: '1', values: { t: 'b' }, version: '5' });
    const insert: RowWrite = { op: 'insert', key: '2', values: { id: 2 }, user: 'u1', version: '6', as: undefined };
    expect(rowCall(insert, 'undo')).toEqual({ proc: 'delete', key: '2', version: '6' });
    expect(rowCall(insert, 'redo')).toEqual({ proc: 'create', values: { id: 2 }, user: 'u1' });
    const del: RowWrite = { op: 'delete', key: '3', values: { id: 3 }, user: undefined, version: '7', as: undefined };
    expect(rowCall(del, 'undo')).toEqual({ proc: 'create', values: { id: 3 }, user: undefined });
    expect(rowCall(movedTo(del, '9'), 'redo')).toEqual({ proc: 'delete', key: '3', version: '9' });
  });
});
