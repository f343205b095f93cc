import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesArb,
  canonicalElement,
  canonicalTuple,
  doubleArb,
  elementArb,
  INT64_MAX,
  INT64_MIN,
  int64Arb,
  safeIntArb,
  tupleArb,
  tuplePairArb,
  tupleStringArb,
} from './arbitraries.test-support';
import {
  compareBytes,
  compareTuples,
  concatBytes,
  decodeElement,
  decodeSingleString,
  decodeTuple,
  Double,
  encodeTuple,
  fromHex,
  prefixEnd,
  startsWith,
  toHex,
  type Tuple,
  type TupleElement,
  TupleError,
} from './tuple';

const sign = (n: number): number => Math.sign(n) || 0;
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const isTruncatable = (el: TupleElement): boolean => el !== null && typeof el !== 'boolean';

function expectTupleError(fn: () => unknown, message?: string | RegExp): void {
  expect(fn).toThrow(TupleError);
  if (message !== undefined) expect(fn).toThrow(message);
}

describe('encodeTuple / decodeTuple round trip', () => {
  it('decode(encode(t)) returns t in canonical form', () => {
    fc.assert(
      fc.property(tupleArb, (t) => {
        expect(decodeTuple(encodeTuple(t))).toEqual(canonicalTuple(t));
      }),
      { numRuns: 500 },
    );
  });

  it('decodeSingleString reads exactly the one-string tuples, any string, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tupleStringArb.map((s) => [s] as Tuple),
          tupleArb,
        ),
        (t) => {
          const expected = t.length === 1 && typeof t[0] === 'string' ? t[0] : undefined;
          expect(decodeSingleString(encodeTuple(t))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
    // The short ASCII fast path's edges: escapes, a terminator before the end, a missing one.
    expect(decodeSingleString(encodeTuple(['a\u0000b']))).toBe('a\u0000b');
    expect(decodeSingleString(encodeTuple(['a\u0001']))).toBe('a\u0001');
    expect(decodeSingleString(encodeTuple(['ab', 'c']))).toBeUndefined();
    expect(decodeSingleString(encodeTuple(['x'.repeat(40)]))).toBe('x'.repeat(40));
    expectTupleError(() => decodeSingleString(bytes(0x03, 0x61, 0x62)), /unterminated/);
    expectTupleError(() => decodeSingleString(bytes(0x03, 0x61, 0x00, 0x62, 0x00)), /unknown tuple tag/);
  });

  it('integers decode as number when safe and as bigint otherwise', () => {
    fc.assert(
      fc.property(int64Arb, (n) => {
        const [decoded] = decodeTuple(encodeTuple([n]));
        if (Number.isSafeInteger(Number(n))) expect(decoded).toBe(Number(n));
        else expect(decoded).toBe(n);
      }),
    );
    expect(decodeTuple(encodeTuple([2n ** 53n - 1n]))).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(decodeTuple(encodeTuple([2n ** 53n]))).toEqual([2n ** 53n]);
    expect(decodeTuple(encodeTuple([-(2n ** 53n)]))).toEqual([-(2n ** 53n)]);
    expect(decodeTuple(encodeTuple([INT64_MIN, INT64_MAX]))).toEqual([INT64_MIN, INT64_MAX]);
  });

  it('a safe bigint and the equal number encode identically', () => {
    fc.assert(
      fc.property(safeIntArb, (n) => {
        expect(encodeTuple([BigInt(n)])).toEqual(encodeTuple([n]));
      }),
    );
  });

  it('-0 and 0 encode alike; ±Infinity and extreme doubles round-trip', () => {
    expect(encodeTuple([new Double(-0)])).toEqual(encodeTuple([new Double(0)]));
    expect(encodeTuple([-0])).toEqual(encodeTuple([0]));
    for (const v of [Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE]) {
      expect(decodeTuple(encodeTuple([new Double(v)]))).toEqual([new Double(v)]);
    }
  });

  it('strings with NUL, escapes and non-BMP characters and bytes with 0x00/0x01/0xff round-trip', () => {
    const t: Tuple = ['', '\u0000', 'a\u0000b', '\u0001\u0000\u0001', '\u00ff', '\u{1f600}', bytes(), bytes(0, 1, 0xff, 0, 0), 'x'];
    expect(decodeTuple(encodeTuple(t))).toEqual(t);
  });

  it('decodes from a view into a larger buffer (non-zero byteOffset)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9 }), tupleArb, (junk, t) => {
        const encoded = encodeTuple(t);
        const view = concatBytes(junk, encoded).subarray(junk.length);
        expect(decodeTuple(view)).toEqual(canonicalTuple(t));
      }),
    );
  });

  it('decodeElement returns each element and the position after it', () => {
    fc.assert(
      fc.property(tupleArb, (t) => {
        const encoded = encodeTuple(t);
        let pos = 0;
        for (const el of t) {
          const [decoded, next] = decodeElement(encoded, pos);
          expect(decoded).toEqual(canonicalElement(el));
          expect(encoded.subarray(pos, next)).toEqual(encodeTuple([el]));
          pos = next;
        }
        expect(pos).toBe(encoded.length);
      }),
    );
  });

  it('the encoding of a concatenation is the concatenation of the encodings', () => {
    fc.assert(
      fc.property(tupleArb, tupleArb, (a, b) => {
        expect(encodeTuple([...a, ...b])).toEqual(concatBytes(encodeTuple(a), encodeTuple(b)));
      }),
    );
  });

  it('encodes the empty tuple as no bytes', () => {
    expect(encodeTuple([])).toEqual(new Uint8Array(0));
    expect(decodeTuple(new Uint8Array(0))).toEqual([]);
  });
});

describe('order preservation', () => {
  it('sign(compareBytes(encode(a), encode(b))) === sign(compareTuples(a, b))', () => {
    fc.assert(
      fc.property(tuplePairArb, ([a, b]) => {
        expect(sign(compareBytes(encodeTuple(a), encodeTuple(b)))).toBe(sign(compareTuples(a, b)));
      }),
      { numRuns: 500 },
    );
  });

  it('distinct canonical tuples never share an encoding (injectivity)', () => {
    fc.assert(
      fc.property(tuplePairArb, ([a, b]) => {
        const same = compareBytes(encodeTuple(a), encodeTuple(b)) === 0;
        expect(same).toBe(compareTuples(a, b) === 0);
        if (same) expect(canonicalTuple(a)).toEqual(canonicalTuple(b));
      }),
    );
  });

  it('compareTuples is antisymmetric and reflexive', () => {
    fc.assert(
      fc.property(tuplePairArb, ([a, b]) => {
        expect(sign(compareTuples(a, b))).toBe(0 - sign(compareTuples(b, a)));
        expect(compareTuples(a, a)).toBe(0);
      }),
    );
  });

  it('sorting by encoded bytes sorts by tuple order', () => {
    fc.assert(
      fc.property(fc.array(tupleArb, { maxLength: 12 }), (tuples) => {
        const byBytes = tuples
          .map((t) => ({ t, key: encodeTuple(t) }))
          .sort((x, y) => compareBytes(x.key, y.key))
          .map(({ t }) => t);
        for (let i = 1; i < byBytes.length; i++) {
          expect(compareTuples(byBytes[i - 1]!, byBytes[i]!)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('integers sort numerically, not by their decimal text', () => {
    const values = [10, -1, 2, 0, -300, 2n ** 60n, -(2n ** 60n), Number.MAX_SAFE_INTEGER, INT64_MIN, INT64_MAX];
    const sorted = values
      .map((v) => ({ v, key: encodeTuple([v]) }))
      .sort((x, y) => compareBytes(x.key, y.key))
      .map(({ v }) => v);
    expect(sorted).toEqual([INT64_MIN, -(2n ** 60n), -300, -1, 0, 2, 10, Number.MAX_SAFE_INTEGER, 2n ** 60n, INT64_MAX]);
    expect(compareBytes(encodeTuple([-1]), encodeTuple([0]))).toBe(-1);
    expect(compareBytes(encodeTuple([0]), encodeTuple([2]))).toBe(-1);
    expect(compareBytes(encodeTuple([2]), encodeTuple([10]))).toBe(-1);
  });

  it('integers (number or bigint) compare like their numeric values', () => {
    const intArb = fc.oneof(safeIntArb, int64Arb);
    fc.assert(
      fc.property(intArb, intArb, (x, y) => {
        const bx = BigInt(x);
        const by = BigInt(y);
        expect(sign(compareBytes(encodeTuple([x]), encodeTuple([y])))).toBe(bx < by ? -1 : bx > by ? 1 : 0);
      }),
    );
  });

  it('doubles compare like their values, including negatives, ±0 and ±Infinity', () => {
    fc.assert(
      fc.property(doubleArb, doubleArb, (x, y) => {
        const expected = x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
        expect(sign(compareBytes(encodeTuple([x]), encodeTuple([y])))).toBe(expected);
      }),
    );
    const ladder = [-Infinity, -Number.MAX_VALUE, -1, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 1, Number.MAX_VALUE, Infinity];
    for (let i = 1; i < ladder.length; i++) {
      expect(compareBytes(encodeTuple([new Double(ladder[i - 1]!)]), encodeTuple([new Double(ladder[i]!)]))).toBe(-1);
    }
  });

  it('strings compare by UTF-8 bytes (code point order, not UTF-16 order)', () => {
    fc.assert(
      fc.property(tupleStringArb, tupleStringArb, (x, y) => {
        const cx = Array.from(x, (c) => c.codePointAt(0)!);
        const cy = Array.from(y, (c) => c.codePointAt(0)!);
        let expected = sign(cx.length - cy.length);
        for (let i = 0; i < Math.min(cx.length, cy.length); i++) {
          if (cx[i] !== cy[i]) {
            expected = cx[i]! < cy[i]! ? -1 : 1;
            break;
          }
        }
        expect(sign(compareBytes(encodeTuple([x]), encodeTuple([y])))).toBe(expected);
      }),
    );
    // In UTF-16 "\uffff" > "\u{1f600}" (0xffff > 0xd83d); in UTF-8 / code points it is smaller.
    expect(compareBytes(encodeTuple(['\uffff']), encodeTuple(['\u{1f600}']))).toBe(-1);
    expect(compareBytes(encodeTuple(['a']), encodeTuple(['a\u0000']))).toBe(-1);
    expect(compareBytes(encodeTuple(['a\u0000']), encodeTuple(['a\u0001']))).toBe(-1);
    expect(compareBytes(encodeTuple(['a\u0001']), encodeTuple(['a\u0002']))).toBe(-1);
    expect(compareBytes(encodeTuple(['a\u0000', 5]), encodeTuple(['a\u0000\u0000']))).toBe(-1);
  });

  it('bytes compare lexicographically as unsigned bytes, shorter first', () => {
    fc.assert(
      fc.property(bytesArb, bytesArb, (x, y) => {
        expect(sign(compareBytes(encodeTuple([x]), encodeTuple([y])))).toBe(sign(compareBytes(x, y)));
      }),
    );
    expect(compareBytes(encodeTuple([bytes(1)]), encodeTuple([bytes(1, 0)]))).toBe(-1);
    expect(compareBytes(encodeTuple([bytes(0xff)]), encodeTuple([bytes(0xff, 0xff)]))).toBe(-1);
  });

  it('types sort null < bytes < string < false < true < int < double', () => {
    const ladder: TupleElement[] = [null, bytes(0xff), '\u{10ffff}', false, true, 0, 2n ** 62n, new Double(-Infinity)];
    for (let i = 1; i < ladder.length; i++) {
      expect(compareBytes(encodeTuple([ladder[i - 1]!]), encodeTuple([ladder[i]!]))).toBe(-1);
      expect(compareTuples([ladder[i - 1]!], [ladder[i]!])).toBe(-1);
    }
  });

  it('a tuple sorts before its extensions', () => {
    expect(compareBytes(encodeTuple(['a']), encodeTuple(['a', null]))).toBe(-1);
    expect(compareTuples(['a'], ['a', null])).toBe(-1);
  });
});

describe('prefixes', () => {
  it('encode([x]) is a prefix of encode([x, ...rest])', () => {
    fc.assert(
      fc.property(elementArb, tupleArb, (x, rest) => {
        expect(startsWith(encodeTuple([x, ...rest]), encodeTuple([x]))).toBe(true);
      }),
    );
  });

  it('encode(p) is a prefix of encode([...p, ...rest]) for any tuple p', () => {
    fc.assert(
      fc.property(tupleArb, tupleArb, (p, rest) => {
        expect(startsWith(encodeTuple([...p, ...rest]), encodeTuple(p))).toBe(true);
      }),
    );
  });

  it('strings: encode([x]) is never a prefix of encode([y, ...rest]) for x !== y', () => {
    // Small alphabet with NUL and the escape byte, so that x is often a prefix of y as a string.
    const small = fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', '2', '\u00ff'), maxLength: 6 });
    const pair = fc.oneof(
      fc.tuple(small, small),
      fc.tuple(small, small).map(([x, s]) => [x, x + s] as const),
      fc.tuple(tupleStringArb, tupleStringArb).map(([x, s]) => [x, x + s] as const),
    );
    fc.assert(
      fc.property(pair, tupleArb, ([x, y], rest) => {
        fc.pre(x !== y);
        expect(startsWith(encodeTuple([y, ...rest]), encodeTuple([x]))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('strings: prefix isolation examples ("alice"/"alice2", NUL, escape bytes)', () => {
    const cases: [string, string][] = [
      ['alice', 'alice2'],
      ['alice', 'alice\u0000'],
      ['alice', 'alice\u0000\u0000'],
      ['alice', 'alice\u0001'],
      ['alice\u0000', 'alice\u0000x'],
      ['', '\u0000'],
      ['a', 'a\u00ff'],
      ['\u00ff', '\u00ff\u00ff'],
    ];
    for (const [x, y] of cases) {
      for (const rest of [[], [null], ['z'], [1], [bytes(0xff)]] as Tuple[]) {
        expect(startsWith(encodeTuple([y, ...rest]), encodeTuple([x])), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`).toBe(false);
        expect(startsWith(encodeTuple([x, ...rest]), encodeTuple([y]))).toBe(false);
      }
    }
  });

  it('any element: encode([x]) is never a prefix of encode([y, ...rest]) for distinct x, y', () => {
    const pair = fc.oneof(
      fc.tuple(elementArb, elementArb),
      fc.tuple(bytesArb, bytesArb).map(([x, s]) => [x, concatBytes(x, s)] as const),
    );
    fc.assert(
      fc.property(pair, tupleArb, ([x, y], rest) => {
        fc.pre(compareTuples([x], [y]) !== 0);
        expect(startsWith(encodeTuple([y, ...rest]), encodeTuple([x]))).toBe(false);
      }),
    );
    expect(startsWith(encodeTuple([bytes(1, 0)]), encodeTuple([bytes(1)]))).toBe(false);
    expect(startsWith(encodeTuple([bytes(0, 0)]), encodeTuple([bytes(0)]))).toBe(false);
  });

  it('prefixEnd(p) is above every key starting with p and at most any greater key not starting with p', () => {
    const prefixArb = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 6 }),
      fc.array(fc.constantFrom(0x00, 0x01, 0xfe, 0xff), { minLength: 1, maxLength: 5 }).map((a) => Uint8Array.from(a)),
      tupleArb.filter((t) => t.length > 0).map((t) => encodeTuple(t)),
    );
    const keyFor = (p: Uint8Array): fc.Arbitrary<Uint8Array> =>
      fc.oneof(
        fc.uint8Array({ maxLength: 8 }),
        fc.uint8Array({ maxLength: 4 }).map((s) => concatBytes(p, s)),
        fc.tuple(fc.nat({ max: p.length }), fc.uint8Array({ maxLength: 4 })).map(([cut, s]) => concatBytes(p.subarray(0, cut), s)),
        fc.tuple(fc.nat({ max: Math.max(0, p.length - 1) }), fc.constantFrom(0x00, 0x01, 0xfe, 0xff), fc.uint8Array({ maxLength: 3 })).map(([at, b, s]) => {
          const k = concatBytes(p, s);
          k[at] = b;
          return k;
        }),
      );
    fc.assert(
      fc.property(
        prefixArb.chain((p) => fc.tuple(fc.constant(p), fc.array(keyFor(p), { minLength: 1, maxLength: 8 }))),
        ([p, keys]) => {
          const end = prefixEnd(p);
          if (end === undefined) {
            expect(p.every((b) => b === 0xff)).toBe(true);
            // Nothing above p escapes the prefix, so no end key is needed.
            for (const k of keys) if (compareBytes(k, p) > 0) expect(startsWith(k, p)).toBe(true);
            return;
          }
          expect(compareBytes(end, p)).toBe(1);
          for (const k of keys) {
            if (startsWith(k, p)) expect(compareBytes(k, end)).toBe(-1);
            else if (compareBytes(k, p) > 0) expect(compareBytes(end, k)).toBeLessThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('prefixEnd examples', () => {
    expect(prefixEnd(bytes(1, 2, 3))).toEqual(bytes(1, 2, 4));
    expect(prefixEnd(bytes(1, 0xff, 0xff))).toEqual(bytes(2));
    expect(prefixEnd(bytes(0xff, 0xff))).toBeUndefined();
    expect(prefixEnd(bytes())).toBeUndefined();
    const p = bytes(1, 2);
    prefixEnd(p);
    expect(p).toEqual(bytes(1, 2)); // the prefix is not mutated
  });

  it('a string prefix range [p, prefixEnd(p)) holds exactly the tuples that start with that string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(tupleStringArb, tupleStringArb),
          fc.tuple(tupleStringArb, tupleStringArb).map(([x, s]) => [x, x + s] as const),
        ),
        tupleArb,
        ([x, y], rest) => {
          const p = encodeTuple([x]);
          const end = prefixEnd(p)!;
          const key = encodeTuple([y, ...rest]);
          const inRange = compareBytes(key, p) >= 0 && compareBytes(key, end) < 0;
          expect(inRange).toBe(x === y);
        },
      ),
    );
  });
});

describe('encoding errors', () => {
  it('refuses NaN', () => {
    expectTupleError(() => encodeTuple([new Double(NaN)]), /NaN/);
  });

  it('refuses non-integer and unsafe numbers passed as plain numbers', () => {
    for (const n of [1.5, -0.1, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Infinity, -Infinity, NaN]) {
      expectTupleError(() => encodeTuple([n]), /safe integer/);
    }
    fc.assert(
      fc.property(
        fc.double().filter((d) => !Number.isSafeInteger(d)),
        (d) => expectTupleError(() => encodeTuple([d]), /safe integer/),
      ),
    );
  });

  it('refuses bigints outside int64', () => {
    for (const n of [INT64_MAX + 1n, INT64_MIN - 1n, 2n ** 100n, -(2n ** 100n)]) {
      expectTupleError(() => encodeTuple([n]), /int64/);
    }
  });

  it('refuses unsupported element types', () => {
    expectTupleError(() => encodeTuple([undefined as unknown as TupleElement]), /unsupported/);
    expectTupleError(() => encodeTuple([{} as unknown as TupleElement]), /unsupported/);
  });

  it('refuses strings with lone surrogates (TextEncoder would map them all to U+FFFD)', () => {
    for (const s of ['\ud800', 'a\udbff', '\udc00b', '\ud83d\ud83d']) {
      expectTupleError(() => encodeTuple([s]), /lone surrogate/);
    }
    // Well-formed surrogate pairs are fine.
    expect(decodeTuple(encodeTuple(['\ud83d\ude00']))).toEqual(['\u{1f600}']);
  });
});

describe('decoding errors', () => {
  it('throws TupleError for truncated and garbage input', () => {
    const cases: [Uint8Array, RegExp][] = [
      [bytes(0x06), /truncated integer/],
      [bytes(0x06, 0x80, 0, 0, 0, 0, 0, 0), /truncated integer/],
      [bytes(0x07, 0x80), /truncated double/],
      [bytes(0x03, 0x61), /unterminated/],
      [bytes(0x02), /unterminated/],
      [bytes(0x02, 0x01), /invalid escape/], // escape cut off,
      [bytes(0x03, 0x61, 0x01), /invalid escape/],
      [bytes(0x03, 0x61, 0x01, 0x03, 0x00), /invalid escape/],
      [bytes(0x02, 0x01, 0x00), /invalid escape/],
      [bytes(0x03, 0xc3, 0x28, 0x00), /UTF-8/],
      [bytes(0x03, 0xed, 0xa0, 0x80, 0x00), /UTF-8/], // an encoded surrogate
      [bytes(0x00), /unknown tuple tag 0x0/],
      [bytes(0x08), /unknown tuple tag 0x8/],
      [bytes(0xff), /unknown tuple tag 0xff/],
      [bytes(0x01, 0x42), /unknown tuple tag 0x42 at byte 1/],
    ];
    for (const [input, message] of cases) expectTupleError(() => decodeTuple(input), message);
    expectTupleError(() => decodeElement(bytes(0x01), 1), /end of input/);
  });

  it('dropping the last byte of an int, double, string or bytes element is detected', () => {
    fc.assert(
      fc.property(tupleArb, elementArb.filter(isTruncatable), (t, last) => {
        const encoded = encodeTuple([...t, last]);
        expectTupleError(() => decodeTuple(encoded.subarray(0, encoded.length - 1)));
      }),
    );
  });

  it('arbitrary bytes either decode or throw TupleError, never anything else', () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.array(fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x06, 0x07, 0x61, 0xc3, 0xff), { maxLength: 16 }).map((a) => Uint8Array.from(a)),
    );
    fc.assert(
      fc.property(garbage, (input) => {
        try {
          decodeTuple(input);
        } catch (e) {
          expect(e).toBeInstanceOf(TupleError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('TupleError is a named Error', () => {
    const e = new TupleError('x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TupleError');
  });
});

describe('byte helpers', () => {
  it('compareBytes is unsigned, lexicographic, shorter-first', () => {
    expect(compareBytes(bytes(0x7f), bytes(0x80))).toBe(-1);
    expect(compareBytes(bytes(0xff), bytes(0x00, 0x00))).toBe(1);
    expect(compareBytes(bytes(1, 2), bytes(1, 2, 0))).toBe(-1);
    expect(compareBytes(bytes(1, 2), bytes(1, 2))).toBe(0);
    expect(compareBytes(bytes(), bytes())).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
        const c = compareBytes(a, b);
        expect([-1, 0, 1]).toContain(c);
        expect(compareBytes(b, a)).toBe(0 - c);
        expect(c === 0).toBe(toHex(a) === toHex(b));
        // Hex text of equal-length byte strings sorts like the bytes.
        if (a.length === b.length) expect(sign(c)).toBe(toHex(a) < toHex(b) ? -1 : toHex(a) > toHex(b) ? 1 : 0);
      }),
    );
  });

  it('startsWith and concatBytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const ab = concatBytes(a, b);
        expect(ab.length).toBe(a.length + b.length);
        expect(startsWith(ab, a)).toBe(true);
        expect(startsWith(a, ab)).toBe(b.length === 0);
        expect(ab.subarray(a.length)).toEqual(b);
      }),
    );
    expect(concatBytes()).toEqual(bytes());
    expect(startsWith(bytes(1), bytes())).toBe(true);
  });

  it('toHex / fromHex round-trip and fromHex refuses malformed input', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        const hex = toHex(b);
        expect(hex).toMatch(/^([0-9a-f]{2})*$/);
        expect(fromHex(hex)).toEqual(b);
        expect(fromHex(hex.toUpperCase())).toEqual(b);
      }),
    );
    expect(toHex(bytes(0, 0x0f, 0xff))).toBe('000fff');
    for (const bad of ['0', 'abc', 'zz', '0x00', ' 00', '-1']) {
      expectTupleError(() => fromHex(bad), /not a hex string/);
    }
  });
});
