import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KeyError } from './key-codec';
import { idProblem } from './rules';
import { type StreamRowId, streamRowId, StreamRowIdKey, StreamRowIdSchema, userStreamPrefix } from './stream-row-id';
import { compareBytes, compareTuples, encodeTuple, prefixEnd, startsWith } from './tuple';
import { type UserId, UserIdSchema } from './user-id';

const idChar = fc.constantFrom('a', 'b', '2', '.', ' ', '_', '-', 'é', '中', '\u00ff', '\uffff', '\u{1f600}');
const userIdArb: fc.Arbitrary<UserId> = fc
  .string({ unit: idChar, minLength: 1, maxLength: 5 })
  .filter((s) => idProblem(s) === undefined)
  .map((s) => UserIdSchema.parse(s));
const seqArb = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const keyArb: fc.Arbitrary<StreamRowId> = fc.tuple(userIdArb, seqArb).map(([u, s]) => streamRowId(u, s));

describe('StreamRowIdKey', () => {
  it('round-trips through encode/decode and display/parse', () => {
    fc.assert(
      fc.property(keyArb, (k) => {
        expect(StreamRowIdKey.decode(StreamRowIdKey.encode(k))).toEqual(k);
        expect(StreamRowIdKey.parse(StreamRowIdKey.display(k))).toEqual(k);
        expect(z.safeParse(StreamRowIdSchema, k).success).toBe(true);
      }),
    );
  });

  it('encodes as the tuple (user, seq), so byte order is (user, numeric seq) order', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        expect(StreamRowIdKey.encode(a)).toEqual(encodeTuple([a.user, a.seq]));
        expect(Math.sign(compareBytes(StreamRowIdKey.encode(a), StreamRowIdKey.encode(b)))).toBe(Math.sign(compareTuples([a.user, a.seq], [b.user, b.seq])));
      }),
    );
    // numeric, not text order: 9 before 10
    const u = UserIdSchema.parse('u');
    expect(compareBytes(StreamRowIdKey.encode(streamRowId(u, 9)), StreamRowIdKey.encode(streamRowId(u, 10)))).toBeLessThan(0);
  });

  it('a user prefix holds exactly that user\'s rows ("a" never sees "a2" or "a.b")', () => {
    fc.assert(
      fc.property(userIdArb, userIdArb, seqArb, (a, b, seq) => {
        const key = StreamRowIdKey.encode(streamRowId(b, seq));
        const prefix = userStreamPrefix(a);
        const inside = a === b;
        expect(startsWith(key, prefix)).toBe(inside);
        const end = prefixEnd(prefix)!;
        expect(compareBytes(key, prefix) >= 0 && compareBytes(key, end) < 0).toBe(inside);
      }),
      { numRuns: 500 },
    );
    for (const [a, b] of [
      ['a', 'a2'],
      ['a', 'a.b'],
      ['a', 'a b'],
      ['e', 'é'],
    ] as const) {
      const key = StreamRowIdKey.encode(streamRowId(UserIdSchema.parse(b), 1));
      expect(startsWith(key, userStreamPrefix(UserIdSchema.parse(a)))).toBe(false);
    }
  });

  it('parses user ids holding "/"-free text and refuses malformed keys', () => {
    expect(StreamRowIdKey.parse('alice/42')).toEqual({ user: 'alice', seq: 42 });
    expect(StreamRowIdKey.parse('a.b c/7')).toEqual({ user: 'a.b c', seq: 7 });
    const bad: [string, string][] = [
      ['alice', 'must have the form'],
      ['alice/', 'sequence'],
      ['alice/x', 'sequence'],
      ['alice/-1', 'sequence'],
      ['alice/1.5', 'sequence'],
      ['alice/0', 'positive'],
      ['/5', 'user'],
      ['a/b/5', 'path separators'],
    ];
    for (const [text, rule] of bad) {
      let error: unknown;
      try {
        StreamRowIdKey.parse(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(KeyError);
      expect((error as KeyError).rule, text).toContain(rule);
    }
  });

  it('refuses stored bytes that are not (user, integer)', () => {
    expect(() => StreamRowIdKey.decode(encodeTuple([1, 2]))).toThrow(KeyError);
    expect(() => StreamRowIdKey.decode(encodeTuple(['a', 'b']))).toThrow(KeyError);
    expect(() => StreamRowIdKey.decode(encodeTuple(['a', 1, 2]))).toThrow(KeyError);
  });
});
