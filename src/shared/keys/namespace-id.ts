import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith, singleStringKey } from './key-codec';
import { identifierName, lowerCased, RESERVED_NAMESPACES } from './rules';
import { encodeTuple } from './tuple';

/** Format rules only: stored ids (including "system") must always decode. */
export const NamespaceIdSchema = identifierName.brand<'NamespaceId'>();
export type NamespaceId = z.infer<typeof NamespaceIdSchema>;

/** What a user may name a new namespace: the format rules plus no reserved names. */
export const NewNamespaceNameSchema = z
  .string()
  .transform(lowerCased)
  .pipe(NamespaceIdSchema)
  .refine((s) => !RESERVED_NAMESPACES.has(s), { message: 'is a reserved name' });

/** The namespace of the system tables; reserved, so no user namespace can take it. */
export const SYSTEM_NAMESPACE = NamespaceIdSchema.parse('system');

export const NamespaceIdKey: KeyCodec<NamespaceId> = {
  kind: 'NamespaceId',
  schema: NamespaceIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => singleStringKey('NamespaceId', bytes) as NamespaceId,
  display: (id) => id,
  parse: (text) => {
    const id = parseWith('NamespaceId', NamespaceIdSchema, lowerCased(text));
    if (RESERVED_NAMESPACES.has(id)) throw new KeyError('NamespaceId', `"${id}" is a reserved name`);
    return id;
  },
};
