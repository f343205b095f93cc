import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith } from './key-codec';
import { type TableId, TableIdKey } from './table-id';
import { decodeTuple, encodeTuple } from './tuple';
import { type UserId, UserIdSchema } from './user-id';

/**
 * system.manifest key: one flushed segment (batch N) of one table scope. The scope is a user for
 * user tables and null for shared tables; null sorts first, so a table's shared segments lead.
 */
export const ManifestIdSchema = z
  .object({
    table: TableIdKey.schema,
    user: UserIdSchema.nullable(),
    batch: z.number().int().nonnegative(),
  })
  .brand<'ManifestId'>();
export type ManifestId = z.infer<typeof ManifestIdSchema>;

export function manifestId(table: TableId, user: UserId | null, batch: number): ManifestId {
  return { table, user, batch } as ManifestId;
}

/** Key prefix of all segments of one table (every scope). */
export function tableSegmentsPrefix(table: TableId): Uint8Array {
  return encodeTuple([table.namespace, table.table]);
}

/** Key prefix of the segments of one scope of a table. */
export function scopeSegmentsPrefix(table: TableId, user: UserId | null): Uint8Array {
  return encodeTuple([table.namespace, table.table, user]);
}

export const ManifestIdKey: KeyCodec<ManifestId> = {
  kind: 'ManifestId',
  schema: ManifestIdSchema,
  encode: (id) => encodeTuple([id.table.namespace, id.table.table, id.user, id.batch]),
  decode: (bytes) => {
    const [ns, table, user, batch] = decodeTuple(bytes);
    if (typeof ns !== 'string' || typeof table !== 'string' || typeof batch !== 'number' || (user !== null && typeof user !== 'string')) {
      throw new KeyError('ManifestId', 'stored key has the wrong shape');
    }
    return manifestId(TableIdKey.decode(encodeTuple([ns, table])), user as UserId | null, batch);
  },
  display: (id) => `${TableIdKey.display(id.table)}/${id.user ?? ''}/${id.batch}`,
  parse: (text) => {
    const parts = text.split('/');
    if (parts.length !== 3 || !/^\d+$/.test(parts[2]!)) {
      throw new KeyError('ManifestId', 'must have the form <namespace>.<table>/<user or empty>/<batch>');
    }
    return parseWith('ManifestId', ManifestIdSchema, {
      table: TableIdKey.parse(parts[0]!),
      user: parts[1] === '' ? null : parts[1],
      batch: Number(parts[2]),
    });
  },
};
