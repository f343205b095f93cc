import { z } from 'zod';
import { stringRules } from '../rule-check';
import { type KeyCodec, parseWith, singleStringKey } from './key-codec';
import { lowerCased } from './rules';
import { encodeTuple } from './tuple';

const USER_NAME = /^[a-z0-9][a-z0-9_.@-]*$/;

/** The first rule a (lower-cased) login name breaks, or undefined. */
export function userNameProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 64) return 'must be at most 64 characters';
  if (!USER_NAME.test(s)) return 'must start with a letter or digit and contain only a-z, 0-9, "_", ".", "@", "-"';
  if (s.includes('..')) return 'must not contain ".."';
  return undefined;
}

/**
 * A stored login name. Login names are case-insensitive, so a stored one is lower-case already;
 * its rules run as one pass (every user write validates one; a chain of zod checks cost several
 * times more). No transform here: lower-casing is the job of UserNameInputSchema, at the edges
 * where people type names, and a zod transform pipe on every stored write cost about as much as
 * all the checks of a user record together (bench/engine.ts).
 */
export const UserNameSchema = z.string().check(stringRules(64, userNameProblem)).brand<'UserName'>();
export type UserName = z.infer<typeof UserNameSchema>;

/** A login name as typed (forms, lookups): trimmed and lower-cased, then the stored rules, so "Alice" is "alice". */
export const UserNameInputSchema = z.string().max(64, 'must be at most 64 characters').transform(lowerCased).pipe(UserNameSchema);

export const UserNameKey: KeyCodec<UserName> = {
  kind: 'UserName',
  schema: UserNameSchema,
  encode: (name) => encodeTuple([name]),
  decode: (bytes) => singleStringKey('UserName', bytes) as UserName,
  display: (name) => name,
  parse: (text) => parseWith('UserName', UserNameInputSchema, text),
};
