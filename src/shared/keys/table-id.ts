import { z } from 'zod';
import { type KeyCodec, KeyError, parseWith, stringElement } from './key-codec';
import { type NamespaceId, NamespaceIdSchema } from './namespace-id';
import { identifierName, lowerCased } from './rules';
import { decodeTuple, encodeTuple } from './tuple';

export const TableNameSchema = identifierName.brand<'TableName'>();
export type TableName = z.infer<typeof TableNameSchema>;

/** What a user may name a new table: lower-cased input, then the identifier rules. */
export const NewTableNameSchema = z.string().transform(lowerCased).pipe(TableNameSchema);

/** system.tables key: (namespace, table). Tables of a namespace share the namespace's prefix. */
export const TableIdSchema = z.object({ namespace: NamespaceIdSchema, table: TableNameSchema }).brand<'TableId'>();
export type TableId = z.infer<typeof TableIdSchema>;

export function tableId(namespace: NamespaceId, table: TableName): TableId {
  return { namespace, table } as TableId;
}

/** Key prefix of every table in a namespace. */
export function namespaceTablesPrefix(namespace: NamespaceId): Uint8Array {
  return encodeTuple([namespace]);
}

export const TableIdKey: KeyCodec<TableId> = {
  kind: 'TableId',
  schema: TableIdSchema,
  encode: (id) => encodeTuple([id.namespace, id.table]),
  decode: (bytes) => {
    const els = decodeTuple(bytes);
    return tableId(stringElement('TableId', els, 0) as NamespaceId, stringElement('TableId', els, 1) as TableName);
  },
  display: (id) => `${id.namespace}.${id.table}`,
  parse: (text) => {
    const parts = lowerCased(text).split('.');
    if (parts.length !== 2) throw new KeyError('TableId', 'must have the form <namespace>.<table>');
    return parseWith('TableId', TableIdSchema, { namespace: parts[0], table: parts[1] });
  },
};

/** A table named as "<namespace>.<table>", e.g. "system.users". */
export const TableRefSchema = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      TableIdKey.parse(s);
      return true;
    } catch {
      return false;
    }
  }, 'must name a table as <namespace>.<table>');
