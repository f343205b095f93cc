import { compareBytes } from '../../../shared/keys/tuple';
import type { DataRow } from '../tables/row-schema';

export type KeyedRow = [Uint8Array, DataRow];

/**
 * Merges key-ordered row streams (all ascending, or all descending when `reverse`) into one, keeping
 * for each key only the version with the highest `_seq` — the newest write wins, a tombstone
 * included (callers filter visibility afterwards). Sources are few (the hot store and a scope's
 * segments), so the next head is found by a linear pass.
 */
export function* mergeNewest(sources: readonly Iterator<KeyedRow>[], reverse: boolean): Generator<KeyedRow> {
  if (sources.length === 1) {
    yield* { [Symbol.iterator]: () => sources[0]! };
    return;
  }
  const heads: (KeyedRow | undefined)[] = sources.map((s) => next(s));
  const sign = reverse ? -1 : 1;
  for (;;) {
    let best: KeyedRow | undefined;
    for (const h of heads) {
      if (!h) continue;
      if (!best) {
        best = h;
        continue;
      }
      const c = compareBytes(h[0], best[0]) * sign;
      if (c < 0 || (c === 0 && h[1]._seq > best[1]._seq)) best = h;
    }
    if (!best) return;
    const key = best[0];
    // Advance every source sitting on this key (older versions are dropped).
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && compareBytes(h[0], key) === 0) heads[i] = next(sources[i]!);
    }
    yield best;
  }
}

function next(it: Iterator<KeyedRow>): KeyedRow | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}

/** The newer of two versions of one row (either may be missing). */
export function newer(a: DataRow | undefined, b: DataRow | undefined): DataRow | undefined {
  if (!a) return b;
  if (!b) return a;
  return b._seq > a._seq ? b : a;
}
