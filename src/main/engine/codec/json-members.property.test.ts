import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonMemberReader } from './json-members';

const name = fc.oneof(
  fc.constantFrom('id', 'c0', 'c1', '_seq', '_deleted', 'a"b', 'a\\b', 'ü', 'x:y', 'a,b', '{'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
/** Values as rows hold them: any JSON (nested objects and arrays too), unicode and lone surrogates, doubles of every size. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('"', '\\', ',', '}', ']', '{', ':', '\n', '\u2028', 'é', 'a') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e21, -1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, -0, true, false, null, [], {}),
);
const object = fc.dictionary(name, value, { maxKeys: 8 }).filter((o) => !Object.hasOwn(o, '__proto__'));
/** An object and the names asked of it: some of its own (in any order), maybe others, maybe one twice. */
const withNames = object.chain((o) =>
  fc.tuple(
    fc.constant(o),
    // A name may be asked for twice (an export of the same column twice).
    fc
      .tuple(fc.shuffledSubarray(Object.keys(o)), fc.array(name, { maxLength: 3 }), fc.boolean())
      .map(([own, other, twice]) => [...own, ...other, ...(twice && own.length > 0 ? [own[0]!] : [])]),
  ),
);

describe('JsonMemberReader', () => {
  it("reads each asked member's JSON text as JSON.stringify writes its value, absent ones undefined, after any header", () => {
    fc.assert(
      fc.property(withNames, fc.constantFrom('', '\u0001\u0001', 'xyz'), ([o, names], header) => {
        const reader = new JsonMemberReader(names);
        const out: (string | undefined)[] = ['left over'];
        const base = 1;
        expect(reader.read(header + JSON.stringify(o), header.length, out, base)).toBe(true);
        expect(out[0]).toBe('left over');
        names.forEach((n, i) => expect(out[base + i]).toBe(Object.hasOwn(o, n) ? JSON.stringify((o as Record<string, unknown>)[n]) : undefined));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not an object (the caller parses it instead)', () => {
    const reader = new JsonMemberReader(['a']);
    for (const text of ['[1,2]', '"a"', '1', 'null', '', '{"a":1', '{"a":1}x', '{"a" :1}', '{a:1}', '{"a":"1}']) {
      expect(reader.read(text, 0, [], 0), text).toBe(false);
    }
  });
});
