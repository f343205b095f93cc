import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith, stringElement } from './key-codec';
import { idString } from './rules';
import { decodeTuple, encodeTuple } from './tuple';
import { type UserId, UserIdSchema } from './user-id';

/** system.live_queries key: one subscription of one connection of one user. */
export const LiveQueryIdSchema = z.object({ user: UserIdSchema, connection: idString, subscription: idString }).brand<'LiveQueryId'>();
export type LiveQueryId = z.infer<typeof LiveQueryIdSchema>;

/** Key prefix of every live query of a user. */
export function userLiveQueriesPrefix(user: UserId): Uint8Array {
  return encodeTuple([user]);
}

export const LiveQueryIdKey: KeyCodec<LiveQueryId> = {
  kind: 'LiveQueryId',
  schema: LiveQueryIdSchema,
  encode: (id) => encodeTuple([id.user, id.connection, id.subscription]),
  decode: (bytes) => {
    const els = decodeTuple(bytes);
    return {
      user: stringElement('LiveQueryId', els, 0),
      connection: stringElement('LiveQueryId', els, 1),
      subscription: stringElement('LiveQueryId', els, 2),
    } as LiveQueryId;
  },
  display: (id) => `${id.user}/${id.connection}/${id.subscription}`,
  parse: (text) => {
    const parts = text.split('/');
    if (parts.length !== 3) throw new KeyError('LiveQueryId', 'must have the form <user>/<connection>/<subscription>');
    return parseWith('LiveQueryId', LiveQueryIdSchema, {
      user: parts[0],
      connection: parts[1],
      subscription: parts[2],
    });
  },
};
