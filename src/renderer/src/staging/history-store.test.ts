import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterUndo, EMPTY_HISTORY, type EditStep, movedTo, type RowWrite, stagedTargets, STREAM_DELETE_FINAL } from './edit-history';
import { changeStaged, HistoryStore, historyStore, stageRecorded } from './history-store';
import { changesOf } from './staged-changes';
import { stagingStore } from './staging-store';

const T = 'app.history_store';
const edit = (rowKey: string, value: string) => ({ table: T, rowKey, column: 'title', value, original: 'stored', baseVersion: '1', as: undefined });
const staged = () => changesOf(stagingStore.get().staged, T).map((c) => [c.rowKey, c.value]);

/** Undoes the table's last step as use-undo-redo does for a staged one. */
function undoStaged(): void {
  const step = historyStore.of(T).done.at(-1);
  if (step?.kind !== 'staged') throw new Error('a staged step');
  stagingStore.restore(T, stagedTargets(step, 'undo'));
  historyStore.update(T, (h) => afterUndo(h, step, step));
}

describe('history store', () => {
  it('records every staged change (edits, a paste, discards) as a step that undo takes back whole', () => {
    stageRecorded(T, [edit('1', 'a')], 'Edit title of row 1');
    stageRecorded(T, [edit('1', 'b'), edit('2', 'c')], 'Paste 2 cells');
    changeStaged(T, 'Discard 2 staged changes', () => stagingStore.discard(T));
    expect(staged()).toEqual([]);
    expect(historyStore.of(T).done.map((s) => s.label)).toEqual(['Edit title of row 1', 'Paste 2 cells', 'Discard 2 staged changes']);

    undoStaged();
    expect(staged()).toEqual([
      ['1', 'b'],
      ['2', 'c'],
    ]);
    undoStaged();
    expect(staged()).toEqual([['1', 'a']]);
    undoStaged();
    expect(staged()).toEqual([]);
    expect(historyStore.of(T).undone).toHaveLength(3);
  });

  it('a change that moves nothing is no step', () => {
    const before = historyStore.of(T);
    stageRecorded(T, [edit('9', 'stored')], 'Edit back to the stored value');
    changeStaged(T, 'Discard nothing', () => stagingStore.discard(T, new Set(['none'])));
    expect(historyStore.of(T)).toBe(before);
  });
});

/** localStorage as the browser has it, in memory: strings by key, and a quota that can run out. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  full = false;
  writes = 0;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.writes++;
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('history store across reloads', () => {
  const DIR = '/home/ada/kalam';
  const N = 'app.notes';
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const update: RowWrite = { op: 'update', key: '1', before: { title: 'a' }, after: { title: 'b' }, version: '5', as: undefined };
  const applied: EditStep = { kind: 'written', label: 'Apply changes to 1 row', rows: [update] };
  const final: EditStep = { kind: 'final', label: 'Delete row u_ada/7', reason: STREAM_DELETE_FINAL };
  const staged: EditStep = { kind: 'staged', label: 'Edit title of row 2', cells: [{ id: 'c', before: undefined, after: { ...edit('2', 'x'), id: 'c' } }] };
  /** The page loaded again on a data directory: a new store, as the module is after a reload. */
  const reload = (dir = DIR) => {
    const store = new HistoryStore();
    store.open(dir);
    return store;
  };

  it('keeps a table’s writes per data directory: a reload finds them, in order; its staged steps stay behind', () => {
    const before = reload();
    before.record(N, applied);
    before.record(N, staged);
    before.record(N, final);
    expect(before.of(N).done).toHaveLength(3);
    expect(reload().of(N)).toEqual({ done: [applied, final], undone: [] });
    expect(reload().of('app.todos')).toBe(EMPTY_HISTORY);
    expect(reload('/home/ada/other').of(N)).toBe(EMPTY_HISTORY);
  });

  it('an undo made after a reload is kept too, at the version the undo left the row', () => {
    reload().record(N, applied);
    const after = reload();
    // Undo takes the step as read back, as use-undo-redo does.
    const step = after.of(N).done[0]!;
    after.update(N, (h) => afterUndo(h, step, { ...applied, rows: [movedTo(update, '8')] }));
    const again = reload().of(N);
    expect(again.done).toEqual([]);
    expect(again.undone[0]?.kind === 'written' && again.undone[0].rows[0]?.version).toBe('8');
  });

  it('a staged edit does not write the stored history again; a history emptied is removed', () => {
    const store = reload();
    store.record(N, applied);
    const writes = storage.writes;
    store.record(N, staged);
    store.forgetCells(N, new Set(['c']));
    expect(storage.writes).toBe(writes);
    store.update(N, () => EMPTY_HISTORY);
    expect(storage.items.size).toBe(0);
  });

  it('a corrupted or foreign stored value is dropped (and removed), never used', () => {
    reload().record(N, applied);
    const [key, value] = [...storage.items][0]!;
    storage.items.set(key, value.slice(0, -3));
    expect(reload().of(N)).toBe(EMPTY_HISTORY);
    expect(storage.items.has(key)).toBe(false);
    // Another table's history copied under this table's key.
    reload().record('app.todos', applied);
    const [, todos] = [...storage.items][0]!;
    storage.items.set(key, todos);
    expect(reload().of(N)).toBe(EMPTY_HISTORY);
    expect(storage.items.has(key)).toBe(false);
  });

  it('a history that no longer fits in storage is removed, not left stale for the next reload', () => {
    const store = reload();
    store.record(N, applied);
    storage.full = true;
    store.record(N, final);
    expect(store.of(N).done).toHaveLength(2);
    expect(storage.items.size).toBe(0);
    storage.full = false;
    expect(reload().of(N)).toBe(EMPTY_HISTORY);
  });

  it('steps recorded before the data directory is known are kept once it is; another directory starts from its own', () => {
    const store = new HistoryStore();
    store.record(N, applied);
    expect(storage.items.size).toBe(0);
    const heard = vi.fn();
    store.subscribe(heard);
    store.open(DIR);
    expect(heard).toHaveBeenCalled();
    expect(reload().of(N)).toEqual({ done: [applied], undone: [] });
    store.open('/home/ada/other');
    expect(store.of(N)).toBe(EMPTY_HISTORY);
    store.open(DIR);
    expect(store.of(N)).toEqual({ done: [applied], undone: [] });
  });
});
