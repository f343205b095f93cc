import type { z } from 'zod';
import type { TableDescription } from '../../../shared/contract';
import { EDITABLE_SYSTEM_TABLES, type EditableSystemTable, isEditableSystemTable } from '../../../shared/forms';
import { formatLocalDateTime } from '../grid/cell-format';
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
  /**
   * Why a stored row can no longer be edited or deleted (a deleted user: kept for the audit
   * trail), or undefined. The grid marks such rows, the form says so, Edit and Delete are off.
   */
  retired(values: Readonly<Record<string, unknown>>): Retired | undefined;
}

/** A row that can no longer change: a short label for the grid ("deleted") and the reason. */
export interface Retired {
  readonly label: string;
  readonly reason: string;
}

/** A soft-deleted user (deleted_at set); the engine refuses to edit or delete it again. */
function deletedUser(values: Readonly<Record<string, unknown>>): Retired | undefined {
  const at = values.deleted_at;
  if (typeof at !== 'number') return undefined;
  return { label: 'deleted', reason: `This user was deleted on ${formatLocalDateTime(at)}: a deleted user cannot be edited or deleted` };
}

const notRetired = (): undefined => undefined;

const NOUNS: Record<EditableSystemTable, string> = { users: 'user', namespaces: 'namespace', storages: 'storage', schedules: 'schedule' };

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
    retired: description.name === 'users' ? deletedUser : notRetired,
  };
  cache.set(description.table, result);
  return result;
}
