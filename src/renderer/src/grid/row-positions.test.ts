import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, firstRowIndex, MAX_SPACE_ABOVE_ROWS, nextPageParam, type PageParam, place, type Placement, previousPageParam } from './row-positions';

/**
 * A model of keyset paging over a table whose rows may or may not match (a filter): a page scans a
 * window of rows from its cursor and returns the matching ones (up to a limit, possibly none), as
 * the engine does. The grid's first-row index, derived from the query data only, must equal the
 * true place of the first loaded row in the result, whatever pages were fetched, dropped or
 * refetched.
 */
interface ModelPage {
  rows: { key: string }[];
  next?: string;
  prev?: string;
  /** Scan position where the page starts (for the check). */
  start: number;
}

function model(matches: readonly boolean[], limit: number, window: number, seek: number) {
  const n = matches.length;
  const matchedBefore = [0];
  for (let i = 0; i < n; i++) matchedBefore.push(matchedBefore[i]! + (matches[i] ? 1 : 0));
  const forward = (from: number): ModelPage => {
    let end = Math.min(n, from + window);
    const taken: number[] = [];
    for (let i = from; i < end && taken.length < limit; i++) if (matches[i]) taken.push(i);
    if (taken.length === limit) end = taken[limit - 1]! + 1;
    return {
      rows: taken.map(String).map((key) => ({ key })),
      ...(end < n ? { next: String(end) } : {}),
      ...(from > 0 ? { prev: String(from) } : {}),
      start: from,
    };
  };
  const backward = (to: number): ModelPage => {
    let start = Math.max(0, to - window);
    const taken: number[] = [];
    for (let i = to - 1; i >= start && taken.length < limit; i--) if (matches[i]) taken.unshift(i);
    if (taken.length === limit) start = taken[0]!;
    return { rows: taken.map(String).map((key) => ({ key })), ...(to < n ? { next: String(to) } : {}), ...(start > 0 ? { prev: String(start) } : {}), start };
  };
  const fetchPage = (p: PageParam): ModelPage =>
    p.cursor === undefined ? forward(seek) : p.direction === 'backward' ? backward(Number(p.cursor)) : forward(Number(p.cursor));
  /** Index in the result (counted from the seek position) of the row at scan position `pos`. */
  const resultIndex = (pos: number) => matchedBefore[pos]! - matchedBefore[seek]!;
  return { fetchPage, resultIndex };
}

describe('firstRowIndex', () => {
  it('is 0 without data', () => {
    expect(firstRowIndex(undefined)).toBe(0);
  });

  it('follows the first loaded row through fetches either way, dropped pages and refetches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.array(fc.constantFrom('next', 'previous', 'refetch'), { maxLength: 40 }),
        (matches, limit, window, maxPages, seekSeed, ops) => {
          const seek = matches.length === 0 ? 0 : seekSeed % matches.length;
          const { fetchPage, resultIndex } = model(matches, limit, window, seek);
          let pages: ModelPage[] = [fetchPage(FIRST_PAGE)];
          let pageParams: PageParam[] = [FIRST_PAGE];
          const check = () => expect(firstRowIndex({ pages, pageParams })).toBe(resultIndex(pages[0]!.start));
          check();
          for (const op of ops) {
            if (op === 'next') {
              const param = nextPageParam(pages.at(-1)!, pageParams.at(-1)!);
              if (!param) continue;
              pages = [...pages, fetchPage(param)].slice(-maxPages);
              pageParams = [...pageParams, param].slice(-maxPages);
            } else if (op === 'previous') {
              const param = previousPageParam(pages[0]!, pageParams[0]!);
              if (!param) continue;
              pages = [fetchPage(param), ...pages].slice(0, maxPages);
              pageParams = [param, ...pageParams].slice(0, maxPages);
            } else {
              // As TanStack Query refetches an infinite query: its first page param, then onwards.
              const count = pages.length;
              pageParams = [pageParams[0]!];
              pages = [fetchPage(pageParams[0]!)];
              while (pages.length < count) {
                const param = nextPageParam(pages.at(-1)!, pageParams.at(-1)!);
                if (!param) break;
                pages.push(fetchPage(param));
                pageParams.push(param);
              }
            }
            check();
          }
        },
      ),
    );
  });
});

describe('place', () => {
  it('keeps the body where it is while pages come and go above, moves it only for rows above it or too much space', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.array(fc.integer({ min: -5000, max: 2 * MAX_SPACE_ABOVE_ROWS }), { maxLength: 30 }),
        (start, firsts) => {
          let p: Placement = { base: start, low: start };
          for (const first of firsts) {
            const next = place(p, first);
            // Never space above the body, never more than the cap.
            expect(first - next.base).toBeGreaterThanOrEqual(0);
            expect(first - next.base).toBeLessThanOrEqual(MAX_SPACE_ABOVE_ROWS);
            expect(next.low).toBe(Math.min(p.low, first));
            // The base moves only when it must.
            if (first >= p.base && first - p.base <= MAX_SPACE_ABOVE_ROWS) expect(next.base).toBe(p.base);
            if (next.base === p.base && next.low === p.low) expect(next).toBe(p);
            p = next;
          }
        },
      ),
    );
  });
});
