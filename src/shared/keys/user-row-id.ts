import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith } from './key-codec';
import { type RowId, RowIdKey, RowIdSchema } from './row-id';
import { concatBytes, decodeElement, encodeTuple } from './tuple';
import { type UserId, UserIdSchema } from './user-id';

/** User-table row key: (user, row). Every row of a user shares the user's prefix. */
export const UserRowIdSchema = z.object({ user: UserIdSchema, row: RowIdSchema }).brand<'UserRowId'>();
export type UserRowId = z.infer<typeof UserRowIdSchema>;

export function userRowId(user: UserId, row: RowId): UserRowId {
  return { user, row } as UserRowId;
}

/** Key prefix of all rows of one user; the string terminator keeps "alice" from matching "alice2". */
export function userRowsPrefix(user: UserId): Uint8Array {
  return encodeTuple([user]);
}

export const UserRowIdKey: KeyCodec<UserRowId> = {
  kind: 'UserRowId',
  schema: UserRowIdSchema,
  // RowId is already a tuple encoding, so concatenation is the tuple (user, key value).
  encode: (id) => concatBytes(encodeTuple([id.user]), id.row),
  decode: (bytes) => {
    const [user, next] = decodeElement(bytes, 0);
    if (typeof user !== 'string') throw new KeyError('UserRowId', 'stored key does not start with a user id');
    return userRowId(user as UserId, bytes.slice(next) as RowId);
  },
  display: (id) => `${id.user}/${RowIdKey.display(id.row)}`,
  parse: (text) => {
    const slash = text.indexOf('/');
    if (slash < 0) throw new KeyError('UserRowId', 'must have the form <user>/<row key>');
    const user = parseWith('UserRowId', UserIdSchema, text.slice(0, slash));
    return userRowId(user, RowIdKey.parse(text.slice(slash + 1)));
  },
};
