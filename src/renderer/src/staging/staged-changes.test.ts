import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byRow, changesOf, discard, EMPTY_STAGED, rebase, type StagedState, stage, type StageInput, unstage } from './staged-changes';

const T = 'app.notes';
const input = (rowKey: string, column: string, value: unknown, original: unknown = 'old', baseVersion = '1'): StageInput => ({
  table: T,
  rowKey,
  column,
  value,
  original,
  baseVersion,
  as: undefined,
});

describe('staged changes', () => {
  it('keeps one change per cell, with the first original and version', () => {
    let s = stage(EMPTY_STAGED, input('1', 'title', 'a', 'old', '5'));
    s = stage(s, input('1', 'title', 'b', 'a', '9'));
    const [only, ...rest] = changesOf(s, T);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ value: 'b', original: 'old', baseVersion: '5' });
  });

  it('drops a change set back to its original value, and ignores no-op edits', () => {
    let s = stage(EMPTY_STAGED, input('1', 'title', 'a'));
    s = stage(s, input('1', 'title', 'old'));
    expect(changesOf(s, T)).toEqual([]);
    expect(stage(EMPTY_STAGED, input('1', 'tags', { a: [1] }, { a: [1] }))).toBe(EMPTY_STAGED);
  });

  it('undoes one change, discards rows or the table, and rebases a row', () => {
    let s = stage(EMPTY_STAGED, input('1', 'title', 'a'));
    s = stage(s, input('1', 'body', 'b'));
    s = stage(s, input('2', 'title', 'c'));
    const id = changesOf(s, T)[1]?.id ?? '';
    expect(changesOf(unstage(s, T, id), T).map((c) => c.column)).toEqual(['title', 'title']);
    expect(changesOf(discard(s, T, new Set(['1'])), T).map((c) => c.rowKey)).toEqual(['2']);
    expect(discard(s, T).has(T)).toBe(false);
    const r = rebase(s, T, '1', '42', { title: 'theirs', body: null });
    expect(
      changesOf(r, T)
        .filter((c) => c.rowKey === '1')
        .map((c) => [c.baseVersion, c.original]),
    ).toEqual([
      ['42', 'theirs'],
      ['42', null],
    ]);
    expect([...byRow(changesOf(s, T)).keys()]).toEqual(['1', '2']);
  });

  it('tables are independent', () => {
    const s = stage(stage(EMPTY_STAGED, input('1', 'title', 'a')), { ...input('1', 'title', 'x'), table: 'app.other' });
    expect(changesOf(discard(s, T), 'app.other')).toHaveLength(1);
  });

  // Any sequence of stage/unstage leaves at most one change per cell, each differing from its
  // original; undoing every change leaves nothing.
  it('invariants hold for any sequence of edits (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('stage' as const),
        row: fc.constantFrom('1', '2', '3'),
        col: fc.constantFrom('a', 'b'),
        value: fc.constantFrom('old', 'x', 'y', 1, null),
      }),
      fc.record({ kind: fc.constant('unstage' as const), pick: fc.nat(10) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let s: StagedState = EMPTY_STAGED;
        for (const o of ops) {
          if (o.kind === 'stage') s = stage(s, input(o.row, o.col, o.value));
          else {
            const list = changesOf(s, T);
            const target = list[o.pick % Math.max(1, list.length)];
            if (target) s = unstage(s, T, target.id);
          }
        }
        const list = changesOf(s, T);
        const ids = list.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const c of list) expect(c.value).not.toBe(c.original);
        for (const c of list) s = unstage(s, T, c.id);
        expect(s.size).toBe(0);
      }),
    );
  });
});
