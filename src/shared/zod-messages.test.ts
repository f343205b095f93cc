import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { friendlyZodMessage } from './zod-messages';

const message = (schema: z.ZodType, input: unknown) => schema.safeParse(input, { error: friendlyZodMessage }).error?.issues[0]?.message;

describe('friendlyZodMessage', () => {
  it('says what was expected and what came, in plain words', () => {
    expect(message(z.record(z.string(), z.json()), [])).toBe('must be a JSON object ({ … }), not a list');
    expect(message(z.string(), 5)).toBe('must be text, not a number');
    expect(message(z.object({ a: z.string() }), {})).toBe('is required');
    expect(message(z.strictObject({}), { b: 1 })).toBe('has an unknown key: "b"');
    expect(message(z.enum(['a', 'b']), 'c')).toBe('must be one of "a", "b"');
  });

  it("keeps a schema's own messages", () => {
    expect(message(z.string().min(3, 'must be at least 3 characters'), 'ab')).toBe('must be at least 3 characters');
  });
});
