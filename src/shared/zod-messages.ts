import { z } from 'zod';

/** What a value is, in words: "a list", "text", "a number", "nothing". */
function kindOf(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return 'text';
  if (typeof input === 'number') return Number.isNaN(input) ? 'not a number' : 'a number';
  if (typeof input === 'boolean') return 'true or false';
  if (typeof input === 'object') return 'an object';
  return `a ${typeof input}`;
}

const EXPECTED: Record<string, string> = {
  record: 'a JSON object ({ … })',
  object: 'a JSON object ({ … })',
  map: 'a JSON object ({ … })',
  array: 'a list ([ … ])',
  tuple: 'a list ([ … ])',
  set: 'a list ([ … ])',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  date: 'a date',
  null: 'null',
};

/**
 * Messages in the words the app uses elsewhere ("must be a JSON object ({ … }), not a list")
 * for zod's built-in issues, instead of its defaults ("Invalid input: expected record, received
 * array"). Messages a schema gives itself are kept. Both processes install it once at start, so
 * the browser's form checks and the engine's VALIDATION errors read the same.
 */
export const friendlyZodMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return `must be ${expected}, not ${kindOf(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'an unknown key' : 'unknown keys'}: ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
};

export function installFriendlyZodMessages(): void {
  z.config({ customError: friendlyZodMessage });
}
