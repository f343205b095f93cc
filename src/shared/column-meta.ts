import { z } from 'zod';
import type { ColumnType } from './browse';

/**
 * Metadata on entity schemas that JSON types cannot carry: which numbers are timestamps and which
 * fields are secrets (never shown, never sent to the renderer).
 */
export interface ColumnMeta {
  columnType?: ColumnType;
  secret?: boolean;
}

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
