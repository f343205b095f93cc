/**
 * Golden byte vectors of the tuple encoding: every key in every database file is made of these
 * bytes, so they are a frozen format. They were generated once from the encoder and written here
 * as literals; they are never regenerated. If one fails, the change would orphan every existing
 * file: fix the encoder, do not edit the hex. (The property tests in tuple.test.ts check order and
 * round trips; only these notice an encoding that changed consistently.)
 */
import { describe, expect, it } from 'vitest';
import { decodeTuple, Double, encodeTuple, fromHex, toHex, type Tuple } from './tuple';

interface Vector {
  readonly name: string;
  readonly tuple: Tuple;
  readonly hex: string;
  /** What decoding gives when it is not `tuple` itself (canonical form: 0n is 0, -0 is 0). */
  readonly decoded?: Tuple;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const VECTORS: readonly Vector[] = [
  { name: 'empty tuple', tuple: [], hex: '' },
  { name: 'null', tuple: [null], hex: '01' },
  { name: 'false', tuple: [false], hex: '04' },
  { name: 'true', tuple: [true], hex: '05' },

  // Strings: tag 03, UTF-8, 0x00 escaped as 01 01 and 0x01 as 01 02, terminated by 00.
  { name: 'empty string', tuple: [''], hex: '0300' },
  { name: 'ascii string', tuple: ['alice'], hex: '03616c69636500' },
  { name: 'string "\\0"', tuple: ['\u0000'], hex: '03010100' },
  { name: 'string "\\x01"', tuple: ['\u0001'], hex: '03010200' },
  { name: 'string "\\x02" (not escaped)', tuple: ['\u0002'], hex: '030200' },
  { name: 'string with NUL inside', tuple: ['a\u0000b'], hex: '036101016200' },
  { name: 'string with 0x01 inside', tuple: ['a\u0001b'], hex: '036101026200' },
  { name: 'string of terminator and escape bytes', tuple: ['\u0000\u0001\u0001\u0000'], hex: '03010101020102010100' },
  { name: 'string ending in NUL', tuple: ['ab\u0000'], hex: '036162010100' },
  { name: 'string DEL 0x7f', tuple: ['\u007f'], hex: '037f00' },
  { name: 'string U+0080', tuple: ['\u0080'], hex: '03c28000' },
  { name: 'string latin-1 é', tuple: ['caf\u00e9'], hex: '03636166c3a900' },
  { name: 'string U+00FF', tuple: ['\u00ff'], hex: '03c3bf00' },
  { name: 'string CJK', tuple: ['\u7528\u6237'], hex: '03e794a8e688b700' },
  { name: 'string leading BOM U+FEFF', tuple: ['\ufeffa'], hex: '03efbbbf6100' },
  { name: 'string U+FFFF', tuple: ['\uffff'], hex: '03efbfbf00' },
  { name: 'string astral U+1F600', tuple: ['\u{1f600}'], hex: '03f09f988000' },
  { name: 'string astral U+1D11E between ascii', tuple: ['a\u{1d11e}b'], hex: '0361f09d849e6200' },
  { name: 'string U+10FFFF (last code point)', tuple: ['\u{10ffff}'], hex: '03f48fbfbf00' },
  { name: 'string non-ascii with NUL and 0x01', tuple: ['\u00e9\u0000\u0001'], hex: '03c3a90101010200' },
  {
    name: 'string of 40 ascii chars (past the short-string fast paths)',
    tuple: ['abcdefghijklmnopqrstuvwxyz0123456789ABCD'],
    hex: '036162636465666768696a6b6c6d6e6f707172737475767778797a303132333435363738394142434400',
  },

  // Bytes: tag 02, escaped like strings.
  { name: 'empty bytes', tuple: [new Uint8Array([])], hex: '0200' },
  { name: 'bytes 00', tuple: [new Uint8Array([0x00])], hex: '02010100' },
  { name: 'bytes 01', tuple: [new Uint8Array([0x01])], hex: '02010200' },
  { name: 'bytes 00 01 02 7f 80 ff', tuple: [new Uint8Array([0x00, 0x01, 0x02, 0x7f, 0x80, 0xff])], hex: '0201010102027f80ff00' },
  { name: 'bytes ff ff', tuple: [new Uint8Array([0xff, 0xff])], hex: '02ffff00' },

  // Integers: tag 06, 8 bytes big-endian with the sign bit flipped.
  { name: 'int 0', tuple: [0], hex: '068000000000000000' },
  { name: 'int 1', tuple: [1], hex: '068000000000000001' },
  { name: 'int -1', tuple: [-1], hex: '067fffffffffffffff' },
  { name: 'int 255', tuple: [255], hex: '0680000000000000ff' },
  { name: 'int 256', tuple: [256], hex: '068000000000000100' },
  { name: 'int -256', tuple: [-256], hex: '067fffffffffffff00' },
  { name: 'int 2^31 - 1', tuple: [2 ** 31 - 1], hex: '06800000007fffffff' },
  { name: 'int -2^31', tuple: [-(2 ** 31)], hex: '067fffffff80000000' },
  { name: 'int 2^32', tuple: [2 ** 32], hex: '068000000100000000' },
  { name: 'int max safe integer', tuple: [Number.MAX_SAFE_INTEGER], hex: '06801fffffffffffff' },
  { name: 'int min safe integer', tuple: [Number.MIN_SAFE_INTEGER], hex: '067fe0000000000001' },
  { name: 'bigint 0n', tuple: [0n], hex: '068000000000000000', decoded: [0] },
  { name: 'bigint 42n', tuple: [42n], hex: '06800000000000002a', decoded: [42] },
  { name: 'bigint 2^53', tuple: [2n ** 53n], hex: '068020000000000000' },
  { name: 'bigint -(2^53)', tuple: [-(2n ** 53n)], hex: '067fe0000000000000' },
  { name: 'bigint int64 max', tuple: [INT64_MAX], hex: '06ffffffffffffffff' },
  { name: 'bigint int64 min', tuple: [INT64_MIN], hex: '060000000000000000' },

  // Doubles: tag 07, IEEE 754 big-endian; positives with the sign bit set, negatives inverted.
  { name: 'double 0', tuple: [new Double(0)], hex: '078000000000000000' },
  { name: 'double -0 (as 0)', tuple: [new Double(-0)], hex: '078000000000000000', decoded: [new Double(0)] },
  { name: 'double 1', tuple: [new Double(1)], hex: '07bff0000000000000' },
  { name: 'double -1', tuple: [new Double(-1)], hex: '07400fffffffffffff' },
  { name: 'double 1.5', tuple: [new Double(1.5)], hex: '07bff8000000000000' },
  { name: 'double -1.5', tuple: [new Double(-1.5)], hex: '074007ffffffffffff' },
  { name: 'double 0.1', tuple: [new Double(0.1)], hex: '07bfb999999999999a' },
  { name: 'double smallest subnormal', tuple: [new Double(Number.MIN_VALUE)], hex: '078000000000000001' },
  { name: 'double negative smallest subnormal', tuple: [new Double(-Number.MIN_VALUE)], hex: '077ffffffffffffffe' },
  { name: 'double max', tuple: [new Double(Number.MAX_VALUE)], hex: '07ffefffffffffffff' },
  { name: 'double -max', tuple: [new Double(-Number.MAX_VALUE)], hex: '070010000000000000' },
  { name: 'double Infinity', tuple: [new Double(Infinity)], hex: '07fff0000000000000' },
  { name: 'double -Infinity', tuple: [new Double(-Infinity)], hex: '07000fffffffffffff' },

  // Composite tuples: elements are concatenated, each self-delimiting.
  { name: 'two strings', tuple: ['demo', 'products'], hex: '0364656d6f000370726f647563747300' },
  { name: 'two empty strings', tuple: ['', ''], hex: '03000300' },
  { name: 'string then int', tuple: ['u_alice', 7], hex: '03755f616c69636500068000000000000007' },
  { name: 'null then string then int', tuple: [null, 'x', 2], hex: '01037800068000000000000002' },
  { name: 'string with NUL then string', tuple: ['a\u0000', 'b'], hex: '0361010100036200' },
  { name: 'unicode strings then negative int', tuple: ['\u00fc', '\u{1f600}', -5], hex: '03c3bc0003f09f988000067ffffffffffffffb' },
  {
    name: 'one element of every type',
    tuple: [null, new Uint8Array([0x00, 0xff]), 's', false, true, -1, new Double(2.5), 2n ** 60n],
    hex: '01020101ff000373000405067fffffffffffffff07c004000000000000069000000000000000',
  },
];

describe('tuple encoding golden vectors (frozen: never edit the hex)', () => {
  it('has unique vector names', () => {
    expect(new Set(VECTORS.map((v) => v.name)).size).toBe(VECTORS.length);
  });

  for (const v of VECTORS) {
    it(v.name, () => {
      expect(toHex(encodeTuple(v.tuple))).toBe(v.hex);
      expect(decodeTuple(fromHex(v.hex))).toEqual(v.decoded ?? v.tuple);
    });
  }
});
