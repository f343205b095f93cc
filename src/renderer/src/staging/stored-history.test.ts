import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { EMPTY_HISTORY, type EditHistory, type EditStep, HISTORY_LIMIT, type RowWrite, STREAM_DELETE_FINAL } from './edit-history';
import { fromStored, toStored } from './stored-history';

const DIR = '/home/ada/kalam';
const T = 'app.notes';

/** What a reload reads back: the stored value through JSON, as localStorage holds it. */
const reloaded = (history: EditHistory, dir = DIR, table = T) => fromStored(JSON.parse(JSON.stringify(toStored(DIR, T, history))), dir, table);

// JSON has no -0 (it reads back as 0): left out, as rows never hold one.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const jsonValue = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), finite, fc.boolean(), fc.constant(null));
const valuesArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__'),
  jsonValue,
  { maxKeys: 4 },
);
const userArb = fc.constantFrom('u_ada', 'u_bob').map((u) => UserIdSchema.parse(u));
const asArb = fc.option(fc.record({ userId: fc.option(userArb, { nil: null }) }), { nil: undefined });
const rowArb: fc.Arbitrary<RowWrite> = fc.oneof(
  fc.record({
    op: fc.constant('update' as const),
    key: fc.string({ minLength: 1, maxLength: 8 }),
    before: valuesArb,
    after: valuesArb,
    version: fc.constantFrom('1', 'v9'),
    as: asArb,
  }),
  fc.record({
    op: fc.constantFrom('insert' as const, 'delete' as const),
    key: fc.string({ minLength: 1, maxLength: 8 }),
    values: valuesArb,
    user: fc.option(userArb, { nil: undefined }),
    version: fc.constantFrom('1', 'v9'),
    as: asArb,
  }),
);
const writtenArb: fc.Arbitrary<EditStep> = fc.record({
  kind: fc.constant('written' as const),
  label: fc.string({ minLength: 1, maxLength: 12 }),
  rows: fc.array(rowArb, { minLength: 1, maxLength: 3 }),
});
const finalArb: fc.Arbitrary<EditStep> = fc.record({
  kind: fc.constant('final' as const),
  label: fc.constant('Delete row u_ada/7'),
  reason: fc.constant(STREAM_DELETE_FINAL),
});
const stagedArb: fc.Arbitrary<EditStep> = fc.record({
  kind: fc.constant('staged' as const),
  label: fc.constant('Edit title of row 1'),
  cells: fc.constant([{ id: 'app.notes\u00001\u0000title', before: undefined, after: undefined }]),
});

/** A valid stored value, to corrupt one part at a time. */
function stored(): Record<string, unknown> {
  const history: EditHistory = {
    done: [
      {
        kind: 'written',
        label: 'Apply changes to 1 row',
        rows: [{ op: 'update', key: '1', before: { title: 'a' }, after: { title: 'b' }, version: '5', as: undefined }],
      },
      { kind: 'final', label: 'Delete row u_ada/7', reason: STREAM_DELETE_FINAL },
    ],
    undone: [
      { kind: 'written', label: 'Delete row 2', rows: [{ op: 'delete', key: '2', values: { id: 2 }, user: 'u_ada', version: '6', as: { userId: null } }] },
    ],
  };
  return JSON.parse(JSON.stringify(toStored(DIR, T, history))) as Record<string, unknown>;
}

describe('stored edit history', () => {
  it('a reload reads back the written and final steps as they were, in order; staged steps are left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(writtenArb, finalArb, stagedArb), { maxLength: 8 }),
        fc.array(fc.oneof(writtenArb, stagedArb), { maxLength: 4 }),
        (done, undone) => {
          const history: EditHistory = { done, undone };
          const back = reloaded(history);
          const kept = (steps: readonly EditStep[]) => steps.filter((s) => s.kind !== 'staged');
          expect(back).toEqual({ done: kept(done), undone: kept(undone) });
        },
      ),
    );
    expect(reloaded(EMPTY_HISTORY)).toBe(EMPTY_HISTORY);
  });

  it('keeps an absent owner and subject as undefined keys, as the history writes them', () => {
    const back = fromStored(stored(), DIR, T);
    const update = back?.done[0]?.kind === 'written' ? back.done[0].rows[0] : undefined;
    expect(update).toEqual({ op: 'update', key: '1', before: { title: 'a' }, after: { title: 'b' }, version: '5', as: undefined });
    expect(update && 'as' in update).toBe(true);
    expect(back?.undone[0]?.kind === 'written' && back.undone[0].rows[0]).toEqual({
      op: 'delete',
      key: '2',
      values: { id: 2 },
      user: 'u_ada',
      version: '6',
      as: { userId: null },
    });
  });

  it('reads back the longest label and the largest step the history writes', () => {
    const key = 'k'.repeat(2000);
    const rows: RowWrite[] = Array.from({ length: 20_000 }, (_, i) => ({
      op: 'delete',
      key: String(i + 1),
      values: { id: i + 1 },
      user: undefined,
      version: '1',
      as: undefined,
    }));
    const history: EditHistory = {
      done: [
        { kind: 'written', label: `Delete row ${key}`, rows: [{ op: 'delete', key, values: {}, user: undefined, version: '1', as: undefined }] },
        { kind: 'written', label: 'Delete 20000 rows', rows },
      ],
      undone: [],
    };
    expect(reloaded(history)).toEqual(history);
    // More steps than the history keeps (a partly undone step redone): the newest are stored.
    const many: EditHistory = { done: Array.from({ length: HISTORY_LIMIT + 1 }, (_, i) => ({ ...history.done[0]!, label: `step ${i}` })), undone: [] };
    expect(reloaded(many)?.done.map((s) => s.label)).toEqual(many.done.slice(1).map((s) => s.label));
  });

  it('drops a value stored for another data directory or table, whole', () => {
    expect(fromStored(stored(), DIR, T)).toBeDefined();
    expect(fromStored(stored(), '/home/ada/other', T)).toBeUndefined();
    expect(fromStored(stored(), DIR, 'app.todos')).toBeUndefined();
  });

  it('drops a corrupted value, whole: wrong shapes, unknown keys, bad versions and keys, a final step to redo, too many steps', () => {
    type Mangle = (v: Record<string, unknown>) => unknown;
    const step = (v: Record<string, unknown>, i = 0) => (v['done'] as Record<string, unknown>[])[i]!;
    const row = (v: Record<string, unknown>) => (step(v)['rows'] as Record<string, unknown>[])[0]!;
    const cases: [string, Mangle][] = [
      ['not an object', () => 'history'],
      ['an array', () => []],
      ['an unknown top-level key', (v) => ({ ...v, extra: 1 })],
      ['no undone list', ({ undone: _, ...rest }) => rest],
      ['an unknown step kind', (v) => ((step(v)['kind'] = 'staged'), v)],
      ['an unknown step key', (v) => ((step(v)['cells'] = []), v)],
      ['a step without rows', (v) => ((step(v)['rows'] = []), v)],
      ['an empty label', (v) => ((step(v)['label'] = ''), v)],
      ['an unknown row op', (v) => ((row(v)['op'] = 'truncate'), v)],
      ['an unknown row key', (v) => ((row(v)['sql'] = 'DROP TABLE x'), v)],
      ['an empty version', (v) => ((row(v)['version'] = ''), v)],
      ['a numeric version', (v) => ((row(v)['version'] = 5), v)],
      ['an empty row key', (v) => ((row(v)['key'] = ''), v)],
      ['values that are an array', (v) => ((row(v)['after'] = ['b']), v)],
      ['values with an own __proto__', (v) => ((row(v)['after'] = JSON.parse('{"__proto__": {"admin": true}}') as unknown), v)],
      ['a subject with an unknown key', (v) => ((row(v)['as'] = { userId: null, sudo: true }), v)],
      ['a final step to redo', (v) => ((v['undone'] = [step(v, 1)]), v)],
      ['more steps than the history keeps', (v) => ((v['done'] = Array.from({ length: HISTORY_LIMIT + 1 }, () => step(v))), v)],
    ];
    for (const [what, mangle] of cases) expect(fromStored(mangle(stored()), DIR, T), what).toBeUndefined();
  });
});
