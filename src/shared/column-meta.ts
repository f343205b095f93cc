import { z } from 'zod';
import type { ColumnType } from './browse';

/**
 * Metadata on entity schemas that JSON types cannot carry: which numbers are timestamps and which
 * fields are secrets (never shown, never sent to the renderer).
 */
export interface ColumnMeta {
  columnType?: ColumnType;
  secret?: boolean;
  /** The system table whose key this field holds (forms offer a picker of its rows, never free text). */
  references?: ReferencedTable;
}

/** Tables a form field can reference, with the column that labels a choice. */
export const REFERENCE_LABELS = { 'system.storages': 'storage_name' } as const;
export type ReferencedTable = keyof typeof REFERENCE_LABELS;

export const columnMeta = z.registry<ColumnMeta>();

/** Milliseconds since the Unix epoch. */
export const timestamp = () => {
  const s = z.number().int().min(0);
  columnMeta.add(s, { columnType: 'timestamp' });
  return s;
};

/** Marks a schema as secret: the providers drop it from every row they return. */
export function secret<T extends z.ZodType>(schema: T): T {
  columnMeta.add(schema, { ...columnMeta.get(schema), secret: true });
  return schema;
}

/** Marks a form field as holding a key of `table`: the form offers that table's rows to choose from. */
export function references<T extends z.ZodType>(schema: T, table: ReferencedTable): T {
  columnMeta.add(schema, { ...columnMeta.get(schema), references: table });
  return schema;
}
