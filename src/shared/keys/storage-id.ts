import type { z } from 'zod';
import { type KeyCodec, stringElement, parseWith } from './key-codec';
import { idString } from './rules';
import { decodeTuple, encodeTuple } from './tuple';

export const StorageIdSchema = idString.brand<'StorageId'>();
export type StorageId = z.infer<typeof StorageIdSchema>;

export const StorageIdKey: KeyCodec<StorageId> = {
  kind: 'StorageId',
  schema: StorageIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => stringElement('StorageId', decodeTuple(bytes), 0) as StorageId,
  display: (id) => id,
  parse: (text) => parseWith('StorageId', StorageIdSchema, text),
};
