import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { ValidationError } from '../errors';
import type { ScanRange, StorageBackend } from '../storage/storage-backend';
import { decodeCursor, encodeCursor, type KeysetBound } from './cursor';

export interface KeysetCandidate<T> {
  /** Its place in the listing's order: bytes, compared unsigned. */
  readonly pos: Uint8Array;
  /** What the page shows for it; undefined when it is examined but not shown (filtered out, a tombstone, a dangling index entry). */
  readonly item: T | undefined;
}

/** Something to page through: candidates in position order from a bound, read lazily. */
export interface KeysetSource<T> {
  /** Names the listing (a partition, an index, …): its cursors are accepted by it alone. */
  readonly listing: string;
  /** Candidates after (or at) `bound`, ascending, or descending when `reverse`. */
  candidates(reverse: boolean, bound: KeysetBound | undefined): Iterable<KeysetCandidate<T>>;
}

export interface KeysetRequest {
  readonly limit: number;
  /** A `next` or `prev` of an earlier page of the same listing. */
  readonly cursor?: string | undefined;
  /** forward reads after the cursor, backward before it; either way items come in `order`. */
  readonly direction?: 'forward' | 'backward' | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
  /** Without a cursor: start at this position (inclusive), e.g. "go to key". */
  readonly seek?: Uint8Array | undefined;
  /** Candidates examined at most, so a filter matching nothing cannot stall the process. */
  readonly budget?: number | undefined;
}

export interface KeysetPage<T> {
  readonly items: T[];
  /** Cursor for the page after this one, absent on the last page. */
  readonly next?: string | undefined;
  /** Cursor for the page before this one, absent on the first page. */
  readonly prev?: string | undefined;
  /** Candidates examined: a page cut short by the budget may hold fewer items than asked, with a cursor to go on. */
  readonly scanned: number;
}

/** The backend range of a bound, for sources that read a key range in the listing's order. */
export function boundRange(reverse: boolean, bound: KeysetBound | undefined): ScanRange {
  if (bound === undefined) return {};
  if (reverse) return bound.inclusive ? { lte: bound.key } : { lt: bound.key };
  return bound.inclusive ? { gte: bound.key } : { gt: bound.key };
}

/** The entries of a partition (within `prefix`) in key order: each entry's key is its position. */
export function rangeSource(backend: StorageBackend, partition: string, prefix?: Uint8Array): KeysetSource<[Uint8Array, Uint8Array]> {
  return {
    listing: partition,
    *candidates(reverse, bound) {
      for (const rows of backend.scanBatches(partition, { prefix, reverse, ...boundRange(reverse, bound) })) {
        for (const row of rows) yield { pos: row[0], item: row };
      }
    },
  };
}

/** The same listing with each item mapped; `fn` returning undefined leaves the item examined but not shown. */
export function mapSource<A, B>(source: KeysetSource<A>, fn: (item: A, pos: Uint8Array) => B | undefined): KeysetSource<B> {
  return {
    listing: source.listing,
    *candidates(reverse, bound) {
      for (const c of source.candidates(reverse, bound)) yield { pos: c.pos, item: c.item === undefined ? undefined : fn(c.item, c.pos) };
    },
  };
}

function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError('page request', [{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
}

function any(items: Iterable<unknown>): boolean {
  for (const _ of items) return true;
  return false;
}

/**
 * The one keyset pager: every paged listing (entity stores, table browsing, index entries, jobs)
 * reads its pages here. The cost depends on the page size (and the budget), never on how deep the
 * page is: a page reads from its cursor's position, not from the start.
 *
 * `next` is present when something follows the page in its order, `prev` when something precedes
 * it: moving forward from a cursor there is always a page before, moving backward a page after,
 * and a sought page has one before when any position precedes its first item.
 */
export function keysetPage<T>(source: KeysetSource<T>, request: KeysetRequest): KeysetPage<T> {
  const limit = request.limit;
  checkPageLimit(limit);
  const at = request.cursor === undefined ? undefined : decodeCursor(source.listing, request.cursor);
  const seek = at === undefined ? request.seek : undefined;
  const backward = request.direction === 'backward';
  const reverse = (request.order === 'desc') !== backward;
  const bound = at ?? (seek === undefined ? undefined : { key: seek, inclusive: true });
  const budget = request.budget ?? Number.POSITIVE_INFINITY;

  const items: T[] = [];
  const positions: Uint8Array[] = [];
  let scanned = 0;
  let more = false;
  let stoppedAt: Uint8Array | undefined;
  for (const c of source.candidates(reverse, bound)) {
    if (items.length === limit) {
      more = true;
      break;
    }
    scanned++;
    if (c.item !== undefined) {
      items.push(c.item);
      positions.push(c.pos);
    }
    if (scanned >= budget) {
      // Budget spent: hand back what matched and a cursor to go on from here.
      more = true;
      stoppedAt = c.pos;
      break;
    }
  }
  if (backward) {
    items.reverse();
    positions.reverse();
  }
  const farEdge = stoppedAt ?? (backward ? positions[0] : positions[positions.length - 1]);
  const nearEdge = backward ? positions[positions.length - 1] : positions[0];
  const continueCursor = more && farEdge !== undefined ? encodeCursor(source.listing, { key: farEdge, inclusive: false }) : undefined;
  // Back from the first item shown or, on a page that showed none, from where it started (the other side of its bound).
  const back = nearEdge !== undefined ? { key: nearEdge, inclusive: false } : bound && { key: bound.key, inclusive: !bound.inclusive };
  const hasBefore = at !== undefined || (seek !== undefined && nearEdge !== undefined && any(source.candidates(!reverse, { key: nearEdge, inclusive: false })));
  const returnCursor = hasBefore && back !== undefined ? encodeCursor(source.listing, back) : undefined;
  return backward ? { items, scanned, prev: continueCursor, next: returnCursor } : { items, scanned, next: continueCursor, prev: returnCursor };
}
