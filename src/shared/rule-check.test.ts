import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ruleCheck } from './rule-check';

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
