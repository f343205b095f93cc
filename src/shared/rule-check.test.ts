import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ruleCheck, stringRules } from './rule-check';

const noDots = z
  .string()
  .max(5, 'too long')
  .check(ruleCheck((s) => (s.includes('.') ? 'must not contain "."' : undefined)))
  .regex(/^[a-z.]*$/, 'letters only');

const range = z
  .object({ lo: z.number(), hi: z.number(), name: noDots })
  .check(
    ruleCheck((r) => [
      ...(r.lo > r.hi ? [{ path: ['hi'], message: 'must not be below lo' }] : []),
      ...(r.lo < 0 ? [{ message: 'must start at zero or above' }] : []),
    ]),
  );

function issues(schema: z.ZodType, value: unknown): { path: PropertyKey[]; message: string }[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('ruleCheck', () => {
  it('passes values that break no rule, unchanged', () => {
    expect(noDots.parse('abc')).toBe('abc');
    expect(range.parse({ lo: 1, hi: 2, name: 'x' })).toEqual({ lo: 1, hi: 2, name: 'x' });
  });

  it('reports a message at the value, prefixed with the field when nested', () => {
    expect(issues(noDots, 'a.b')).toEqual([{ path: [], message: 'must not contain "."' }]);
    expect(issues(range, { lo: 1, hi: 2, name: 'a.b' })).toEqual([{ path: ['name'], message: 'must not contain "."' }]);
  });

  it("reports every problem of a list at its own path, and the schema's other rules still run", () => {
    expect(issues(range, { lo: -1, hi: -2, name: 'x' })).toEqual([
      { path: ['hi'], message: 'must not be below lo' },
      { path: [], message: 'must start at zero or above' },
    ]);
    expect(issues(noDots, 'a.1cdef')).toEqual([
      { path: [], message: 'too long' },
      { path: [], message: 'must not contain "."' },
      { path: [], message: 'letters only' },
    ]);
  });

  it('does not run on a value of the wrong type', () => {
    expect(issues(noDots, 42)).toEqual([{ path: [], message: expect.stringContaining('expected string') as string }]);
  });
});

describe('stringRules', () => {
  const code = z.string().check(stringRules(6, (s) => (/^[a-z]*$/.test(s) ? undefined : 'letters only')));

  it('checks the length first, then the rule, as one issue', () => {
    expect(code.parse('abc')).toBe('abc');
    expect(issues(code, 'abcdefg')).toEqual([{ path: [], message: 'must be at most 6 characters' }]);
    expect(issues(code, 'ab1')).toEqual([{ path: [], message: 'letters only' }]);
  });

  it('counts characters as zod does: a surrogate pair is one, a lone surrogate is one', () => {
    const any = z.string().check(stringRules(3, () => undefined));
    expect(any.safeParse('\u{1f600}\u{1f600}\u{1f600}').success).toBe(true);
    expect(any.safeParse('\u{1f600}\u{1f600}\u{1f600}a').success).toBe(false);
    expect(any.safeParse('\ud800\ud800\ud800').success).toBe(true);
    expect(any.safeParse('\ud800\ud800\ud800\ud800').success).toBe(false);
    expect(z.string().max(3).safeParse('\u{1f600}\u{1f600}\u{1f600}').success).toBe(true);
  });

  it('reports its length to forms as maxLength, and the tighter of two limits', () => {
    expect(code.maxLength).toBe(6);
    expect(code.max(4).maxLength).toBe(4);
    expect(
      z
        .string()
        .max(3)
        .check(stringRules(6, () => undefined)).maxLength,
    ).toBe(3);
  });
});
