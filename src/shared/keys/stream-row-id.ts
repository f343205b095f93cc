import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith } from './key-codec';
import { decodeElement, encodeTuple } from './tuple';
import { type UserId, UserIdSchema } from './user-id';

/**
 * Stream-table row key: (user, sequence). The sequence is the engine-wide `_seq` of the write, so
 * a user's rows sort by arrival and the oldest (first to expire) come first in its key range.
 */
export const StreamRowIdSchema = z.object({ user: UserIdSchema, seq: z.int().min(1, 'must be a positive integer') }).brand<'StreamRowId'>();
export type StreamRowId = z.infer<typeof StreamRowIdSchema>;

export function streamRowId(user: UserId, seq: number): StreamRowId {
  return { user, seq } as StreamRowId;
}

/** Key prefix of every stream row of one user; the string terminator keeps "alice" from matching "alice2". */
export function userStreamPrefix(user: UserId): Uint8Array {
  return encodeTuple([user]);
}

export const StreamRowIdKey: KeyCodec<StreamRowId> = {
  kind: 'StreamRowId',
  schema: StreamRowIdSchema,
  encode: (id) => encodeTuple([id.user, id.seq]),
  decode: (bytes) => {
    const [user, next] = decodeElement(bytes, 0);
    if (typeof user !== 'string') throw new KeyError('StreamRowId', 'stored key does not start with a user id');
    const [seq, end] = decodeElement(bytes, next);
    if (typeof seq !== 'number' || end !== bytes.length) throw new KeyError('StreamRowId', 'stored key does not end with one sequence number');
    return streamRowId(user as UserId, seq);
  },
  display: (id) => `${id.user}/${id.seq}`,
  parse: (text) => {
    const slash = text.lastIndexOf('/');
    if (slash < 0) throw new KeyError('StreamRowId', 'must have the form <user>/<sequence>');
    const seqText = text.slice(slash + 1);
    if (!/^\d{1,16}$/.test(seqText)) throw new KeyError('StreamRowId', 'sequence: must be a positive integer');
    return parseWith('StreamRowId', StreamRowIdSchema, { user: text.slice(0, slash), seq: Number(seqText) });
  },
};
