import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith } from './key-codec';
import { decodeTuple, encodeTuple } from './tuple';

/** system.audit_log key: a sequence number, so the log reads in the order it was written. */
export const AuditIdSchema = z.number().int().nonnegative().brand<'AuditId'>();
export type AuditId = z.infer<typeof AuditIdSchema>;

export const AuditIdKey: KeyCodec<AuditId> = {
  kind: 'AuditId',
  schema: AuditIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => {
    const n = decodeTuple(bytes)[0];
    if (typeof n !== 'number') throw new KeyError('AuditId', 'stored key is not an integer');
    return n as AuditId;
  },
  display: (id) => String(id),
  parse: (text) => parseWith('AuditId', AuditIdSchema, /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN),
};
