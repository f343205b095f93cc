import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqlCell } from '../../../shared/sql/sql-results';
import { applyChanges, dropDeleted, type LiveResult, liveRowCount, startLive } from './live-result';

const columns = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'text' },
];
const start = (rows: SqlCell[][], keyColumns = [0]) => startLive({ type: 'result', liveQueryIds: ['q1'], columns, keyColumns, rows, truncated: false });
const changes = (c: { inserted?: SqlCell[][]; updated?: SqlCell[][]; deleted?: SqlCell[][] }) => ({
  type: 'changes' as const,
  inserted: c.inserted ?? [],
  updated: c.updated ?? [],
  deleted: c.deleted ?? [],
  truncated: false,
});
const shown = (s: LiveResult) => s.rows.map((r) => [r.cells, r.change ?? null]);

describe('live result', () => {
  it('marks inserted, updated and deleted rows, keeps each row key, and drops the deleted after their fade', () => {
    const first = start([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    const next = applyChanges(first, changes({ inserted: [[4, 'd']], updated: [[2, 'B']], deleted: [[3, 'c']] }));
    expect(shown(next)).toEqual([
      [[1, 'a'], null],
      [[2, 'B'], 'updated'],
      [[3, 'c'], 'deleted'],
      [[4, 'd'], 'inserted'],
    ]);
    expect(next.rows.map((r) => r.key)).toEqual(['l0', 'l1', 'l2', 'l3']);
    expect(liveRowCount(next)).toBe(3);
    const faded = dropDeleted(next, next.batch);
    expect(faded.rows.map((r) => r.key)).toEqual(['l0', 'l1', 'l3']);
    // Another batch's deletes stay until their own fade.
    expect(dropDeleted(next, next.batch + 1)).toBe(next);
  });

  it('clears the last marks, and removes rows still fading, on the next batch', () => {
    const a = applyChanges(start([[1, 'a']]), changes({ deleted: [[1, 'a']], inserted: [[2, 'b']] }));
    const b = applyChanges(a, changes({ updated: [[2, 'B']] }));
    expect(shown(b)).toEqual([[[2, 'B'], 'updated']]);
    expect(b.batch).toBe(2);
    const c = applyChanges(b, changes({ inserted: [[3, 'c']] }));
    expect(shown(c)).toEqual([
      [[2, 'B'], null],
      [[3, 'c'], 'inserted'],
    ]);
  });

  it('without key columns, pairs repeated rows in order', () => {
    const s = applyChanges(
      start(
        [
          ['x', 1],
          ['x', 1],
        ],
        [],
      ),
      changes({ deleted: [['x', 1]] }),
    );
    expect(shown(s)).toEqual([
      [['x', 1], 'deleted'],
      [['x', 1], null],
    ]);
  });

  /**
   * Changes as sql.subscribe describes them: by key, rows only `after` has, rows whose values changed,
   * rows only `before` has; without a key, whole rows in and out (as multisets).
   */
  function describedChanges(before: SqlCell[][], after: SqlCell[][], keyed: boolean) {
    if (keyed) {
      const old = new Map(before.map((r) => [r[0], r]));
      const now = new Map(after.map((r) => [r[0], r]));
      return {
        inserted: after.filter((r) => !old.has(r[0])),
        updated: after.filter((r) => old.has(r[0]) && JSON.stringify(old.get(r[0])) !== JSON.stringify(r)),
        deleted: before.filter((r) => !now.has(r[0])),
      };
    }
    const minus = (a: SqlCell[][], b: SqlCell[][]) => {
      const left = b.map((r) => JSON.stringify(r));
      return a.filter((r) => {
        const i = left.indexOf(JSON.stringify(r));
        if (i < 0) return true;
        left.splice(i, 1);
        return false;
      });
    };
    return { inserted: minus(after, before), updated: [], deleted: minus(before, after) };
  }

  it('applied to a result, its changes give the next result as a multiset (keyed and unkeyed)', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom<SqlCell>('a', 'b', null, 1));
    const keyed = fc.uniqueArray(row, { selector: (r) => r[0], maxLength: 8 });
    fc.assert(
      fc.property(fc.boolean(), keyed, keyed, (useKey, before, after) => {
        const keyColumns = useKey ? [0] : [];
        const s = applyChanges(start(before, keyColumns), changes(describedChanges(before, after, useKey)));
        const sorted = (rows: readonly (readonly SqlCell[])[]) => rows.map((r) => JSON.stringify(r)).sort();
        expect(sorted(dropDeleted(s, s.batch).rows.map((r) => r.cells))).toEqual(sorted(after));
        expect(liveRowCount(s)).toBe(after.length);
      }),
      { numRuns: 500 },
    );
  });
});
