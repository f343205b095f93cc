import type { z } from 'zod';
import type { TableDescription } from '../../../shared/contract';
import { EDITABLE_SYSTEM_TABLES, type EditableSystemTable, isEditableSystemTable } from '../../../shared/forms';
import { type FieldSpec, formFields } from './form-fields';

export interface EditableTable {
  table: string;
  name: EditableSystemTable;
  /** Singular noun for messages: "user", "namespace", "storage". */
  noun: string;
  keyColumn: string;
  /** Fields a unique index covers on its own: a clone must not copy them. */
  uniqueFields: readonly string[];
  create: { schema: z.ZodType; fields: FieldSpec[] };
  update: { schema: z.ZodType; fields: FieldSpec[] };
}

const NOUNS: Record<EditableSystemTable, string> = { users: 'user', namespaces: 'namespace', storages: 'storage' };

const cache = new Map<string, EditableTable>();

/** The forms of a table edited through forms; undefined for tables that are read-only here. */
export function editableTable(description: TableDescription): EditableTable | undefined {
  if (!description.editable || description.namespace !== 'system' || !isEditableSystemTable(description.name)) return undefined;
  const hit = cache.get(description.table);
  if (hit) return hit;
  const schemas = EDITABLE_SYSTEM_TABLES[description.name];
  const keyColumn = description.keyColumns[0] ?? description.columns.find((c) => c.primaryKey)?.name ?? 'key';
  const result: EditableTable = {
    table: description.table,
    name: description.name,
    noun: NOUNS[description.name],
    keyColumn,
    uniqueFields: description.indexes.filter((i) => i.unique && i.fields.length === 1).flatMap((i) => i.fields),
    create: { schema: schemas.create, fields: formFields(schemas.create, description.keyColumns) },
    update: { schema: schemas.update, fields: formFields(schemas.update, description.keyColumns) },
  };
  cache.set(description.table, result);
  return result;
}
