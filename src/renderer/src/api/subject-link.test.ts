import { describe, expect, it } from 'vitest';
import { SubjectLink, withSubject } from './subject-link';

const BOB = { userId: 'u_bob' as never };

describe('withSubject', () => {
  it('adds the subject to every input shape a procedure takes', () => {
    expect(withSubject(undefined, BOB)).toEqual({ as: BOB });
    expect(withSubject({ table: 'demo.notes' }, BOB)).toEqual({ table: 'demo.notes', as: BOB });
    expect(withSubject({ type: 'flush', table: 'demo.notes' }, BOB)).toEqual({ type: 'flush', table: 'demo.notes', as: BOB });
  });

  it('leaves the admin (no subject) and a call that names its own subject alone', () => {
    const input = { table: 'demo.notes' };
    expect(withSubject(input, undefined)).toBe(input);
    const own = { table: 'demo.notes', as: { userId: 'u_alice' } };
    expect(withSubject(own, BOB)).toBe(own);
  });
});

describe('SubjectLink', () => {
  it('asks for the subject at call time', async () => {
    const seen: unknown[] = [];
    const viewing: { as?: typeof BOB } = {};
    const link = new SubjectLink({ call: (_path, input) => Promise.resolve(seen.push(input)) }, () => viewing.as);
    await link.call(['tables', 'list'], undefined, { context: {} });
    viewing.as = BOB;
    await link.call(['tables', 'list'], undefined, { context: {} });
    expect(seen).toEqual([undefined, { as: BOB }]);
  });
});
