import { describe, expect, it } from 'vitest';
import { afterUndo, stagedTargets } from './edit-history';
import { changeStaged, historyStore, stageRecorded } from './history-store';
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
