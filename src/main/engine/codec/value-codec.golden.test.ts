/**
 * Golden byte vectors of the value envelope, `[format 0x01][schema version varint][UTF-8 JSON]`:
 * every stored value in every database file has this shape, so it is a frozen format. Generated
 * once from the codec and written here as literals; never regenerated. A failure means existing
 * files would no longer decode: fix the codec, do not edit the hex. (The stored kinds themselves are
 * read back from the fixture databases in src/main/engine/testing/fixtures.)
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromHex, toHex } from '../../../shared/keys/tuple';
import { ValueCodec } from './value-codec';

interface Vector {
  readonly name: string;
  readonly version: number;
  readonly value: unknown;
  readonly hex: string;
  /** What decoding gives when it is not `value` itself (JSON has no -0). */
  readonly decoded?: unknown;
}

const VECTORS: readonly Vector[] = [
  // The version varint: 7 bits a byte, least significant first, high bit = more bytes.
  { name: 'version 1', version: 1, value: {}, hex: '01017b7d' },
  { name: 'version 2', version: 2, value: {}, hex: '01027b7d' },
  { name: 'version 127 (largest one-byte varint)', version: 127, value: {}, hex: '017f7b7d' },
  { name: 'version 128 (smallest two-byte varint)', version: 128, value: {}, hex: '0180017b7d' },
  { name: 'version 255', version: 255, value: {}, hex: '01ff017b7d' },
  { name: 'version 300', version: 300, value: {}, hex: '01ac027b7d' },
  { name: 'version 16383 (largest two-byte varint)', version: 16_383, value: {}, hex: '01ff7f7b7d' },
  { name: 'version 16384 (smallest three-byte varint)', version: 16_384, value: {}, hex: '018080017b7d' },
  { name: 'version 2^21 (four bytes)', version: 2 ** 21, value: {}, hex: '01808080017b7d' },

  // The JSON payload: JSON.stringify's text, in UTF-8, fields in insertion order.
  { name: 'fields in insertion order', version: 1, value: { b: 1, a: 2 }, hex: '01017b2262223a312c2261223a327d' },
  {
    name: 'null field and nested values',
    version: 1,
    value: { n: null, t: true, f: false, arr: [1, 'x', [], {}], obj: { k: 'v' } },
    hex: '01017b226e223a6e756c6c2c2274223a747275652c2266223a66616c73652c22617272223a5b312c2278222c5b5d2c7b7d5d2c226f626a223a7b226b223a2276227d7d',
  },
  { name: 'empty string and empty key', version: 1, value: { '': '' }, hex: '01017b22223a22227d' },
  {
    name: 'quote, backslash and control characters',
    version: 1,
    value: { s: '"\\\n\t\u0000\u0001\u001f' },
    hex: '01017b2273223a225c225c5c5c6e5c745c75303030305c75303030315c7530303166227d',
  },
  { name: 'latin-1 and CJK (raw UTF-8)', version: 1, value: { s: 'caf\u00e9 \u7528\u6237' }, hex: '01017b2273223a22636166c3a920e794a8e688b7227d' },
  { name: 'astral character (raw UTF-8)', version: 1, value: { s: '\u{1f600}' }, hex: '01017b2273223a22f09f9880227d' },
  { name: 'U+2028 and U+2029 (raw)', version: 1, value: { s: '\u2028\u2029' }, hex: '01017b2273223a22e280a8e280a9227d' },
  { name: 'lone surrogate (escaped as text)', version: 1, value: { s: '\ud800' }, hex: '01017b2273223a225c7564383030227d' },
  { name: 'unicode field name', version: 1, value: { '\u00fc\u{1f600}': 1 }, hex: '01017b22c3bcf09f9880223a317d' },
  {
    name: 'numbers',
    version: 1,
    value: { zero: 0, neg: -1, frac: 0.1, big: 1e21, max: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER, tiny: 5e-324 },
    hex: '01017b227a65726f223a302c226e6567223a2d312c2266726163223a302e312c22626967223a31652b32312c226d6178223a393030373139393235343734303939312c226d696e223a2d393030373139393235343734303939312c2274696e79223a35652d3332347d',
  },
  { name: '-0 (stored as 0)', version: 1, value: { z: -0 }, hex: '01017b227a223a307d', decoded: { z: 0 } },
  {
    name: 'a data row (system columns last)',
    version: 1,
    value: { id: 1, name: 'Keyboard', price: 49.9, tags: ['input'], _seq: 3, _deleted: false },
    hex: '01017b226964223a312c226e616d65223a224b6579626f617264222c227072696365223a34392e392c2274616773223a5b22696e707574225d2c225f736571223a332c225f64656c65746564223a66616c73657d',
  },
  {
    name: 'a tombstone row',
    version: 1,
    value: { id: 3, _seq: 9, _deleted: true },
    hex: '01017b226964223a332c225f736571223a392c225f64656c65746564223a747275657d',
  },
];

const WHERE = () => ({ partition: 'golden', key: 'k' });

/** A codec that stores any JSON at the given version. */
const codecAt = (version: number) => new ValueCodec({ kind: 'golden', version, schema: z.json() });

describe('value envelope golden vectors (frozen: never edit the hex)', () => {
  it('has unique vector names', () => {
    expect(new Set(VECTORS.map((v) => v.name)).size).toBe(VECTORS.length);
  });

  for (const v of VECTORS) {
    it(v.name, () => {
      const codec = codecAt(v.version);
      expect(toHex(codec.encode(v.value as z.core.util.JSONType))).toBe(v.hex);
      expect(codec.decode(fromHex(v.hex), WHERE)).toEqual(v.decoded ?? v.value);
    });
  }
});
