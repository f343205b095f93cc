import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareBytes } from '../../../shared/keys/tuple';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { ValidationError } from '../errors';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { encodeCursor } from './cursor';
import { type KeysetPage, type KeysetRequest, type KeysetSource, keysetPage, mapSource, rangeSource } from './keyset-page';

type Order = 'asc' | 'desc';

interface Entry {
  readonly pos: Uint8Array;
  /** Whether the listing shows it (a filter, a tombstone): hidden entries are examined all the same. */
  readonly shown: boolean;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The model: a sorted array, read from a bound in either direction. */
function arraySource(listing: string, entries: readonly Entry[]): KeysetSource<string> {
  const sorted = [...entries].sort((a, b) => compareBytes(a.pos, b.pos));
  return {
    listing,
    candidates(reverse, bound) {
      const inRange = sorted.filter((e) => {
        if (!bound) return true;
        const c = compareBytes(e.pos, bound.key);
        return reverse ? (bound.inclusive ? c <= 0 : c < 0) : bound.inclusive ? c >= 0 : c > 0;
      });
      if (reverse) inRange.reverse();
      return inRange.map((e) => ({ pos: e.pos, item: e.shown ? hex(e.pos) : undefined }));
    },
  };
}

/** Follows `next` (forward) or `prev` (backward) from a first request to the end; items in order. */
function walk<T>(source: KeysetSource<T>, first: KeysetRequest): { items: T[]; pages: KeysetPage<T>[] } {
  const backward = first.direction === 'backward';
  const pages: KeysetPage<T>[] = [];
  let page = keysetPage(source, first);
  pages.push(page);
  for (;;) {
    const cursor = backward ? page.prev : page.next;
    if (cursor === undefined) break;
    page = keysetPage(source, { ...first, seek: undefined, cursor });
    pages.push(page);
    if (pages.length > 10_000) throw new Error('runaway pagination');
  }
  const ordered = backward ? [...pages].reverse() : pages;
  return { items: ordered.flatMap((p) => p.items), pages };
}

const entriesArb = fc
  .uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 4 }), { selector: hex, maxLength: 40 })
  .chain((keys) => fc.tuple(fc.constant(keys), fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length })))
  .map(([keys, shown]) => keys.map((pos, i): Entry => ({ pos, shown: shown[i]! })));

const requestArb = fc.record({
  limit: fc.integer({ min: 1, max: 9 }),
  order: fc.constantFrom<Order>('asc', 'desc'),
  budget: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
});

/** What the listing shows in `order`, from a sought position on (inclusive) when given. */
function expected(entries: readonly Entry[], order: Order, seek?: Uint8Array): string[] {
  const asc = [...entries].sort((a, b) => compareBytes(a.pos, b.pos));
  const ordered = order === 'asc' ? asc : asc.reverse();
  return ordered.filter((e) => e.shown && (seek === undefined || compareBytes(e.pos, seek) * (order === 'asc' ? 1 : -1) >= 0)).map((e) => hex(e.pos));
}

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a refusal');
}

describe('keysetPage', () => {
  it('forward with next, or backward with prev, shows every shown entry once, in order; pages respect limit and budget (property)', () => {
    fc.assert(
      fc.property(entriesArb, requestArb, (entries, { limit, order, budget }) => {
        const source = arraySource('model', entries);
        const all = expected(entries, order);
        for (const direction of ['forward', 'backward'] as const) {
          const { items, pages } = walk(source, { limit, order, budget, direction });
          expect(items).toEqual(all);
          for (const p of pages) {
            expect(p.items.length).toBeLessThanOrEqual(limit);
            expect(p.scanned).toBeLessThanOrEqual(Math.min(budget ?? Number.POSITIVE_INFINITY, entries.length));
          }
          // The page at the start of the walk has nothing before it; the last one nothing after.
          const [start, end] = [pages[0]!, pages[pages.length - 1]!];
          expect(direction === 'forward' ? start.prev : start.next).toBeUndefined();
          expect(direction === 'forward' ? end.next : end.prev).toBeUndefined();
          // Without a budget or hidden entries every page but the last is full.
          if (budget === undefined && entries.every((e) => e.shown)) {
            for (const p of pages.slice(0, -1)) expect(p.items.length).toBe(limit);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the cursor back from a page leads to exactly the page before it (property)', () => {
    fc.assert(
      fc.property(entriesArb, requestArb, (entries, { limit, order }) => {
        const source = arraySource('model', entries);
        const { pages } = walk(source, { limit, order });
        for (let i = 1; i < pages.length; i++) {
          const back = keysetPage(source, { limit, order, cursor: pages[i]!.prev, direction: 'backward' });
          expect(back.items).toEqual(pages[i - 1]!.items);
          // prev is present while anything, shown or not, lies before the page.
          const everything = expected(
            entries.map((e) => ({ ...e, shown: true })),
            order,
          );
          expect(back.prev === undefined).toBe(everything.indexOf(back.items[0]!) === 0);
          expect(back.next).toBeDefined();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('seek starts at a position (inclusive); prev exists exactly when something precedes the first item, and leads to what precedes it (property)', () => {
    fc.assert(
      fc.property(entriesArb, requestArb, fc.uint8Array({ maxLength: 4 }), (entries, { limit, order, budget }, seek) => {
        const source = arraySource('model', entries);
        const forward = walk(source, { limit, order, budget, seek });
        expect(forward.items).toEqual(expected(entries, order, seek));
        const first = forward.pages[0]!;
        const firstPos = first.items[0];
        if (firstPos === undefined) {
          expect(first.prev).toBeUndefined();
          return;
        }
        const asc = [...entries].sort((a, b) => compareBytes(a.pos, b.pos)).map((e) => hex(e.pos));
        const ordered = order === 'asc' ? asc : asc.reverse();
        const before = ordered.slice(0, ordered.indexOf(firstPos));
        expect(first.prev !== undefined).toBe(before.length > 0);
        if (first.prev !== undefined) {
          const back = walk(source, { limit, order, budget, cursor: first.prev, direction: 'backward' });
          const shownBefore = before.filter((h) => entries.find((e) => hex(e.pos) === h)!.shown);
          expect(back.items).toEqual(shownBefore);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a cursor of another listing, or a tampered one, and a limit outside 1..MAX_PAGE_SIZE, with VALIDATION', () => {
    const source = arraySource('a', [{ pos: Uint8Array.of(1), shown: true }]);
    const other = encodeCursor('b', { key: Uint8Array.of(1), inclusive: false });
    expect(refusal(() => keysetPage(source, { limit: 1, cursor: other })).issues.map((i) => i.field)).toEqual(['cursor']);
    const mine = encodeCursor('a', { key: Uint8Array.of(0), inclusive: false });
    expect(keysetPage(source, { limit: 1, cursor: mine }).items).toEqual(['01']);
    expect(refusal(() => keysetPage(source, { limit: 1, cursor: `${mine.slice(0, -1)}${mine.endsWith('A') ? 'B' : 'A'}` })).issues[0]?.field).toBe('cursor');
    for (const limit of [0, -1, 1.5, Number.NaN, MAX_PAGE_SIZE + 1, Number.POSITIVE_INFINITY]) {
      expect(refusal(() => keysetPage(source, { limit })).issues.map((i) => i.field)).toEqual(['limit']);
    }
    expect(keysetPage(source, { limit: MAX_PAGE_SIZE }).items).toEqual(['01']);
  });

  it('a budget spent on hidden entries ends the page early, with a cursor that goes on from there', () => {
    const entries = Array.from({ length: 10 }, (_, i): Entry => ({ pos: Uint8Array.of(i), shown: i === 9 }));
    const source = arraySource('model', entries);
    const first = keysetPage(source, { limit: 5, budget: 4 });
    expect(first).toMatchObject({ items: [], scanned: 4 });
    const second = keysetPage(source, { limit: 5, budget: 4, cursor: first.next });
    expect(second).toMatchObject({ items: [], scanned: 4 });
    const third = keysetPage(source, { limit: 5, budget: 4, cursor: second.next });
    expect(third).toMatchObject({ items: ['09'], scanned: 2, next: undefined });
  });
});

describe('keysetPage over a partition', () => {
  let backend: SqliteBackend;
  beforeEach(() => {
    backend = new SqliteBackend(':memory:');
    backend.createPartition('p');
  });
  afterEach(() => backend.close());

  it('pages within a prefix only, whatever the cursor says; a prefix scan and the model agree (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 3 }), { selector: hex, maxLength: 40 }),
        fc.uint8Array({ maxLength: 1 }),
        requestArb,
        (keys, prefix, { limit, order }) => {
          backend.transaction(() => {
            for (const k of backend.scanKeys('p')) backend.delete('p', k);
            for (const k of keys) backend.put('p', k, Uint8Array.of(k.length));
          });
          const source = mapSource(rangeSource(backend, 'p', prefix), ([k]) => hex(k));
          const inPrefix = keys.filter((k) => compareBytes(k.subarray(0, prefix.length), prefix) === 0);
          const model = expected(
            inPrefix.map((pos) => ({ pos, shown: true })),
            order,
          );
          expect(walk(source, { limit, order }).items).toEqual(model);
          expect(walk(source, { limit, order, direction: 'backward' }).items).toEqual(model);
          // A cursor naming a key outside the prefix still reads inside it.
          const outside = encodeCursor('p', { key: Uint8Array.of(0xff, 0xff, 0xff, 0xff), inclusive: false });
          for (const item of keysetPage(source, { limit, order, cursor: outside, direction: 'backward' }).items) expect(model).toContain(item);
        },
      ),
      { numRuns: 150 },
    );
  });
});
