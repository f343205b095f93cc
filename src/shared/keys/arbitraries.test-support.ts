/**
 * fast-check arbitraries shared by the key tests (tuple.test.ts, keys.test.ts). The name does not
 * match the vitest include (src/**\/*.test.ts), so this file is only imported, never run.
 *
 * The generators lean towards the encoding's edge cases: the escaped bytes 0x00 and 0x01, 0xff,
 * multi-byte UTF-8, surrogate pairs, int64 and safe-integer bounds, -0 and ±Infinity, and small
 * alphabets so that generated values often share prefixes.
 */
import fc from 'fast-check';
import { Double, type Tuple, type TupleElement } from './tuple';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Single characters that stress the string encoding (never a lone surrogate: see tuple.test.ts). */
const edgeChar = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0002',
  'a',
  'b',
  '0',
  '/',
  '.',
  '\u007f',
  '\u0080',
  '\u00ff',
  '\u0100',
  '\u4e2d',
  '\uffff',
  '\u{10000}',
  '\u{1f600}',
  '\u{10ffff}',
);

/** Any code point (NUL included), biased towards the edge characters. */
export const anyChar: fc.Arbitrary<string> = fc.oneof(edgeChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

export const tupleStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: anyChar, maxLength: 8 }),
  // Long enough to make the encoder's buffer grow.
  fc.string({ unit: anyChar, minLength: 20, maxLength: 60 }),
);

export const bytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 12 }),
  fc.array(fc.constantFrom(0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff), { maxLength: 8 }).map((a) => Uint8Array.from(a)),
  fc.uint8Array({ minLength: 20, maxLength: 60 }),
);

/** Plain numbers: every safe integer, biased to small values and the bounds. */
export const safeIntArb: fc.Arbitrary<number> = fc.oneof(
  fc.maxSafeInteger(),
  fc.integer({ min: -300, max: 300 }),
  fc.constantFrom(0, -1, 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 32)),
);

export const int64Arb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(INT64_MIN, INT64_MIN + 1n, INT64_MAX, INT64_MAX - 1n, 2n ** 53n, 2n ** 53n - 1n, -(2n ** 53n), -(2n ** 53n) + 1n, 0n),
);

export const doubleArb: fc.Arbitrary<Double> = fc
  .oneof(
    fc.double({ noNaN: true }),
    fc.constantFrom(0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, -0.5, 1.5),
  )
  .map((v) => new Double(v));

export const elementArb: fc.Arbitrary<TupleElement> = fc.oneof(fc.constant(null), fc.boolean(), safeIntArb, int64Arb, tupleStringArb, bytesArb, doubleArb);

/** Two elements, half of the time of the same type, so that value comparisons get exercised. */
export const elementPairArb: fc.Arbitrary<[TupleElement, TupleElement]> = fc.oneof(
  fc.tuple(elementArb, elementArb),
  fc.tuple(fc.oneof(safeIntArb, int64Arb), fc.oneof(safeIntArb, int64Arb)),
  fc.tuple(tupleStringArb, tupleStringArb),
  fc.tuple(bytesArb, bytesArb),
  fc.tuple(doubleArb, doubleArb),
  fc.tuple(fc.boolean(), fc.boolean()),
);

export const tupleArb: fc.Arbitrary<TupleElement[]> = fc.array(elementArb, { maxLength: 5 });

/** Two tuples that are often related: equal, one a prefix of the other, or first differing late. */
type TuplePair = [TupleElement[], TupleElement[]];

export const tuplePairArb: fc.Arbitrary<TuplePair> = fc.oneof(
  fc.tuple(tupleArb, tupleArb),
  fc.tuple(tupleArb, elementPairArb, tupleArb, tupleArb).map(([prefix, [x, y], a, b]): TuplePair => [
    [...prefix, x, ...a],
    [...prefix, y, ...b],
  ]),
  fc.tuple(tupleArb, tupleArb).map(([prefix, rest]): TuplePair => [prefix, [...prefix, ...rest]]),
  tupleArb.map((t): TuplePair => [t, [...t]]),
);

/**
 * The form decodeTuple returns: integers as number when safe, else bigint; -0 as 0 (both encode
 * alike); bytes as a plain Uint8Array.
 */
export function canonicalElement(el: TupleElement): TupleElement {
  if (typeof el === 'bigint') {
    const n = Number(el);
    return Number.isSafeInteger(n) ? n : el;
  }
  if (el instanceof Double) return new Double(el.value === 0 ? 0 : el.value);
  if (el instanceof Uint8Array) return Uint8Array.from(el);
  return el;
}

export function canonicalTuple(t: Tuple): TupleElement[] {
  return t.map(canonicalElement);
}
