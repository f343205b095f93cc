import type { z } from 'zod';
import { type KeyCodec, parseWith, singleStringKey } from './key-codec';
import { idString } from './rules';
import { encodeTuple } from './tuple';

export const StorageIdSchema = idString.brand<'StorageId'>();
export type StorageId = z.infer<typeof StorageIdSchema>;

export const StorageIdKey: KeyCodec<StorageId> = {
  kind: 'StorageId',
  schema: StorageIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => singleStringKey('StorageId', bytes) as StorageId,
  display: (id) => id,
  parse: (text) => parseWith('StorageId', StorageIdSchema, text),
};
