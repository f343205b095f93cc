import { z } from 'zod';
import type { ColumnInfo, ColumnType } from '../../../shared/browse';
import { columnMeta } from '../../../shared/column-meta';

interface Unwrapped {
  inner: z.ZodType;
  nullable: boolean;
  secret: boolean;
  columnType?: ColumnType | undefined;
}

/** Peels optional/nullable/default wrappers, keeping what they say about the column. */
function unwrap(schema: z.ZodType): Unwrapped {
  let s = schema;
  let nullable = false;
  let secret = false;
  let columnType: ColumnType | undefined;
  for (;;) {
    const meta = columnMeta.get(s);
    if (meta?.secret) secret = true;
    if (meta?.columnType && !columnType) columnType = meta.columnType;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      nullable = true;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      // A transform feeding a schema (e.g. lower-casing, then the name rules): the column is what comes out.
      const out = s.out as z.ZodType;
      s = out instanceof z.ZodTransform ? (s.in as z.ZodType) : out;
    } else {
      return { inner: s, nullable, secret, columnType };
    }
  }
}

function typeOf(s: z.ZodType): ColumnType {
  // String formats (z.email()) are not ZodString instances, so go by the definition's type.
  const type = s.def.type;
  if (type === 'string' || type === 'enum') return 'text';
  if (s instanceof z.ZodNumber) return s.isInt ? 'integer' : 'double';
  if (type === 'boolean') return 'boolean';
  if (s instanceof z.ZodLiteral) {
    const v = s.value;
    return typeof v === 'number' ? 'integer' : typeof v === 'boolean' ? 'boolean' : 'text';
  }
  return 'json';
}

export interface ColumnsOptions {
  readonly primaryKey: readonly string[];
  /** Column name → name of an index whose first field it is. */
  readonly indexed?: Readonly<Record<string, string>>;
}

/** The browsable columns of an entity schema, in declaration order; secret fields are left out. */
export function columnsOf(schema: z.ZodObject<Record<string, z.ZodType>>, options: ColumnsOptions): { columns: ColumnInfo[]; secrets: string[] } {
  const columns: ColumnInfo[] = [];
  const secrets: string[] = [];
  for (const [name, field] of Object.entries(schema.shape)) {
    const u = unwrap(field);
    if (u.secret) {
      secrets.push(name);
      continue;
    }
    const index = options.indexed?.[name];
    columns.push({
      name,
      type: u.columnType ?? typeOf(u.inner),
      nullable: u.nullable,
      primaryKey: options.primaryKey.includes(name),
      ...(index ? { index } : {}),
    });
  }
  return { columns, secrets };
}
