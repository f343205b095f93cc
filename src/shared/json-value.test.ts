import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deeperThan, JsonObjectSchema, jsonValueProblem, JsonValueSchema, MAX_JSON_DEPTH } from './json-value';

/** `depth` arrays and objects inside each other around a leaf ([{k:1}] is depth 2). */
function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

describe('jsonValueProblem', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels of arrays and objects and refuses one more`, () => {
    expect(jsonValueProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonValueProblem(nested(MAX_JSON_DEPTH + 1))).toBe(`nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (the limit of a JSON value)`);
    expect(jsonValueProblem(nested(3), 2)).toMatch(/more than 2 levels/);
    expect(jsonValueProblem(42)).toBeUndefined();
  });

  it('refuses a value nested far too deep without running out of stack', () => {
    expect(jsonValueProblem(nested(200_000))).toMatch(/more than 64 levels/);
    expect(deeperThan(nested(200_000), 100)).toBe(true);
  });

  it('refuses "__proto__" keys at any depth, and what JSON cannot hold', () => {
    expect(jsonValueProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toMatch(/"__proto__"/);
    expect(jsonValueProblem({ constructor: 1, toString: [2], hasOwnProperty: null })).toBeUndefined();
    expect(jsonValueProblem([1, Number.NaN])).toMatch(/NaN is not a finite number/);
    expect(jsonValueProblem({ a: undefined })).toBe('must be a JSON value, got undefined');
    expect(jsonValueProblem(new Date(0))).toMatch(/plain objects and arrays/);
    expect(jsonValueProblem(new Map())).toMatch(/plain objects and arrays/);
    expect(jsonValueProblem(10n)).toBe('must be a JSON value, got a bigint');
    expect(jsonValueProblem(Object.create(null) as object)).toBeUndefined();
  });

  it('agrees with a JSON round trip on every value fast-check makes within the depth', () => {
    fc.assert(
      // fast-check may make a "__proto__" key, which is refused on purpose (above).
      fc.property(
        fc.jsonValue({ maxDepth: 8 }).filter((v) => !JSON.stringify(v).includes('"__proto__"')),
        (value) => {
          expect(jsonValueProblem(value)).toBeUndefined();
          expect(JsonValueSchema.parse(value)).toBe(value);
        },
      ),
    );
  });

  it('deeperThan counts levels of containers, whatever the leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (depth, limit) => {
        expect(deeperThan(nested(depth, undefined), limit)).toBe(depth > limit);
        expect(jsonValueProblem(nested(depth), limit) !== undefined).toBe(depth > limit);
      }),
    );
  });
});

describe('JsonObjectSchema', () => {
  it('names the key whose value breaks a rule; the object itself is one level', () => {
    expect(JsonObjectSchema.safeParse({ a: nested(MAX_JSON_DEPTH) }).success).toBe(true);
    const deep = JsonObjectSchema.safeParse({ ok: 1, a: nested(MAX_JSON_DEPTH + 1) });
    expect(deep.error?.issues.map((i) => [i.path, i.message])).toEqual([[['a'], expect.stringMatching(/more than 64 levels/)]]);
    const proto = JsonObjectSchema.safeParse(JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(proto.error?.issues.map((i) => i.path)).toEqual([['__proto__']]);
    expect(JsonObjectSchema.safeParse([1]).success).toBe(false);
  });
});
