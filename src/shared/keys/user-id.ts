import type { z } from 'zod';
import { type KeyCodec, parseWith, singleStringKey } from './key-codec';
import { idString } from './rules';
import { encodeTuple } from './tuple';

export const UserIdSchema = idString.brand<'UserId'>();
export type UserId = z.infer<typeof UserIdSchema>;

export const UserIdKey: KeyCodec<UserId> = {
  kind: 'UserId',
  schema: UserIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => singleStringKey('UserId', bytes) as UserId,
  display: (id) => id,
  parse: (text) => parseWith('UserId', UserIdSchema, text),
};
