import { z } from 'zod';
import { stringRules } from '../rule-check';

/**
 * Validation rules shared by the key types. Ids end up in file paths (storage templates use
 * {userId}) and in logs, so they may hold no path syntax and no control characters.
 */
export const MAX_ID_LENGTH = 128;

// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Ids made only of these characters (and no "..") need no further checks: the common case, kept cheap. */
const PLAIN_ID = /^[A-Za-z0-9_@:+=,-](?:[A-Za-z0-9_@:+=,-]|\.(?!\.))*$/;

/** The first rule an id breaks, or undefined. One pass instead of a chain of refinements: ids are validated on every write. */
export function idProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (PLAIN_ID.test(s)) return undefined;
  if (CONTROL.test(s)) return 'must not contain NUL or control characters';
  if (/\p{Cs}/u.test(s)) return 'must be well-formed Unicode (no lone surrogates)';
  if (s.includes('/') || s.includes('\\')) return 'must not contain path separators (/ or \\)';
  if (s.includes('..')) return 'must not contain ".."';
  if (s.trim() !== s) return 'must not start or end with whitespace';
  return undefined;
}

export const idString = z.string().check(stringRules(MAX_ID_LENGTH, idProblem));

export const MAX_NAME_LENGTH = 64;

/** Namespace and table names: SQL-identifier-like, stored lower-cased. */
export const identifierName = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((s) => !/^[0-9]/.test(s), 'must not start with a digit')
  .refine((s) => !s.startsWith('_'), 'must not start with "_"')
  .regex(/^[a-z0-9_]*$/, 'may only contain lower-case letters, digits and "_"');

/** Lower-cases text input before the identifier rules apply. */
export const lowerCased = (s: string): string => s.trim().toLowerCase();

export const RESERVED_NAMESPACES: ReadonlySet<string> = new Set(['system', 'sys', 'information_schema', 'pg_catalog', 'kalam']);
