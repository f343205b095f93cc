import { z } from 'zod';
import { type KeyCodec, stringElement, parseWith } from './key-codec';
import { lowerCased } from './rules';
import { decodeTuple, encodeTuple } from './tuple';

/** Login names: case-insensitive (stored lower-cased), so "Alice" and "alice" are one user. */
export const UserNameSchema = z
  .string()
  .transform(lowerCased)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .regex(/^[a-z0-9][a-z0-9_.@-]*$/, 'must start with a letter or digit and contain only a-z, 0-9, "_", ".", "@", "-"')
      .refine((s) => !s.includes('..'), 'must not contain ".."'),
  )
  .brand<'UserName'>();
export type UserName = z.infer<typeof UserNameSchema>;

export const UserNameKey: KeyCodec<UserName> = {
  kind: 'UserName',
  schema: UserNameSchema,
  encode: (name) => encodeTuple([name]),
  decode: (bytes) => stringElement('UserName', decodeTuple(bytes), 0) as UserName,
  display: (name) => name,
  parse: (text) => parseWith('UserName', UserNameSchema, text),
};
