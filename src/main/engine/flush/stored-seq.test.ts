import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedSeq } from './hot-eviction';

/** Text made to look like the ending storedSeq reads, inside strings and nested objects. */
const decoy = fc.constantFrom(',"_seq":1,"_deleted":true}', ',"_seq":7,"_deleted":false}', '"_seq":', '\\",\\"_seq\\":3', '}', '{');
const member = fc.oneof(fc.string({ maxLength: 8 }), decoy);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    decoy,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(member, tie('value'), { maxKeys: 3 }),
    // A nested object with system columns of its own, last.
    fc.record({ a: fc.nat(), _seq: fc.nat(), _deleted: fc.boolean() }),
  ),
})).value;

describe('storedSeq: the _seq of a stored row, read off the end of its JSON when it can be', () => {
  it('is JSON.parse(text)._seq for any row, whatever its columns hold and in whatever order the members come', () => {
    fc.assert(
      fc.property(
        fc.dictionary(member, jsonValue, { maxKeys: 5 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.boolean(),
        fc.constantFrom('last', 'first', 'middle'),
        (columns, seq, deleted, where) => {
          const own = Object.fromEntries(Object.entries(columns).filter(([k]) => k !== '_seq' && k !== '_deleted'));
          const row =
            where === 'last'
              ? { ...own, _seq: seq, _deleted: deleted }
              : where === 'first'
                ? { _seq: seq, _deleted: deleted, ...own }
                : { _seq: seq, ...own, _deleted: deleted };
          const text = JSON.stringify(row);
          expect(storedSeq(text)).toBe(seq);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the common endings of live rows and tombstones', () => {
    expect(storedSeq('{"id":1,"title":"a,\\"_seq\\":9,\\"_deleted\\":true}","_seq":42,"_deleted":false}')).toBe(42);
    expect(storedSeq('{"id":1,"_seq":43,"_deleted":true}')).toBe(43);
    expect(storedSeq('{"_seq":44,"_deleted":false,"later":{"a":0,"_seq":1,"_deleted":true}}')).toBe(44);
    expect(storedSeq('{"_seq":45,"x":{"a":0,"_seq":1,"_deleted":false},"_deleted":true}')).toBe(45);
  });
});
