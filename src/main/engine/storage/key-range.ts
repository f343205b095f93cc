import { compareBytes, prefixEnd } from '../../../shared/keys/tuple';
import type { ScanRange } from './storage-backend';

export interface Bound {
  readonly key: Uint8Array;
  readonly inclusive: boolean;
}

/** A range reduced to at most one lower and one upper bound, so a backend needs few query shapes. */
export interface NormalizedRange {
  readonly lower?: Bound | undefined;
  readonly upper?: Bound | undefined;
}

function tighterLower(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareBytes(a.key, b.key);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function tighterUpper(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareBytes(a.key, b.key);
  if (c !== 0) return c < 0 ? a : b;
  return a.inclusive ? b : a;
}

export function normalizeRange(range: ScanRange): NormalizedRange {
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  if (range.prefix && range.prefix.length > 0) {
    lower = { key: range.prefix, inclusive: true };
    const end = prefixEnd(range.prefix);
    if (end) upper = { key: end, inclusive: false };
  }
  if (range.gte) lower = tighterLower(lower, { key: range.gte, inclusive: true });
  if (range.gt) lower = tighterLower(lower, { key: range.gt, inclusive: false });
  if (range.lt) upper = tighterUpper(upper, { key: range.lt, inclusive: false });
  if (range.lte) upper = tighterUpper(upper, { key: range.lte, inclusive: true });
  return { lower, upper };
}

/** True when no key can satisfy both bounds. */
export function isEmptyRange({ lower, upper }: NormalizedRange): boolean {
  if (!lower || !upper) return false;
  const c = compareBytes(lower.key, upper.key);
  return c > 0 || (c === 0 && !(lower.inclusive && upper.inclusive));
}

export function inRange(key: Uint8Array, { lower, upper }: NormalizedRange): boolean {
  if (lower) {
    const c = compareBytes(key, lower.key);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper) {
    const c = compareBytes(key, upper.key);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}
