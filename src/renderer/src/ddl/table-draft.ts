import type { TableAccess } from '../../../shared/access';
import type { ColumnType } from '../../../shared/browse';
import { type ColumnInput, type CreateTableInput, CreateTableInputSchema, type DataTableType } from '../../../shared/ddl';
import { fieldOfPath, pathOfField } from '../../../shared/field-path';
import { NewTableNameSchema } from '../../../shared/keys/table-id';
import type { FlushPolicy } from '../../../shared/system/tables';
import { parseColumnText } from '../data-rows/column-values';

/**
 * The create-table form: the shape of CreateTableInput with text for every number and default, so
 * react-hook-form can hold what the user types. Field names follow the input's paths, so the
 * engine's field errors ("columns.1.name", "ttl_seconds") land on the right input.
 */
export interface ColumnDraft {
  name: string;
  type: ColumnType;
  primary_key: boolean;
  nullable: boolean;
  /** Text of the default value for the column's type; empty for none. */
  default: string;
}

export interface TableDraft {
  namespace: string;
  name: string;
  type: DataTableType;
  columns: ColumnDraft[];
  access_level: TableAccess;
  ttl_seconds: string;
  flush_row_limit: string;
  flush_interval_seconds: string;
  comment: string;
}

export function emptyColumn(primaryKey = false): ColumnDraft {
  return { name: primaryKey ? 'id' : '', type: primaryKey ? 'integer' : 'text', primary_key: primaryKey, nullable: !primaryKey, default: '' };
}

export function newTableDraft(namespace: string): TableDraft {
  return {
    namespace,
    name: '',
    type: 'shared',
    columns: [emptyColumn(true), emptyColumn()],
    access_level: 'private',
    ttl_seconds: '3600',
    flush_row_limit: '',
    flush_interval_seconds: '',
    comment: '',
  };
}

export type DraftErrors = Record<string, string>;

function positiveInt(text: string, field: string, errors: DraftErrors): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < 1) {
    errors[field] = 'must be a whole number of at least 1';
    return undefined;
  }
  return n;
}

const TABLE_FIELDS: ReadonlySet<PropertyKey> = new Set(['name', 'namespace', 'type', 'comment', 'access_level', 'ttl_seconds']);
const COLUMN_FIELDS: ReadonlySet<PropertyKey> = new Set(['name', 'type', 'nullable', 'primary_key', 'default']);

/** Engine error fields (paths into the input; an alter's are under "change") → form field names (the flush policy is two inputs here). */
export function draftField(field: string): string {
  const whole = pathOfField(field);
  const path = whole[0] === 'change' && whole.length > 1 ? whole.slice(1) : whole;
  const [first, second, third] = path;
  if (first === 'flush_policy' && (path.length === 1 || (path.length === 2 && second === 'row_limit'))) return 'flush_row_limit';
  if (first === 'flush_policy' && path.length === 2 && second === 'interval_seconds') return 'flush_interval_seconds';
  if (path.length === 1 && first !== undefined && TABLE_FIELDS.has(first)) return String(first);
  if (first === 'columns' && typeof second === 'number' && third !== undefined && COLUMN_FIELDS.has(third)) return fieldOfPath(['columns', second, third]);
  return first === 'columns' ? 'columns' : fieldOfPath(path);
}

export function flushPolicyOf(rowLimit: string, interval: string, errors: DraftErrors): FlushPolicy | null {
  const row_limit = positiveInt(rowLimit, 'flush_row_limit', errors);
  const interval_seconds = positiveInt(interval, 'flush_interval_seconds', errors);
  if (row_limit === undefined && interval_seconds === undefined) return null;
  return { ...(row_limit !== undefined ? { row_limit } : {}), ...(interval_seconds !== undefined ? { interval_seconds } : {}) };
}

/** A column as the engine takes it; a default that does not parse for the type is an error on it. */
export function columnInput(c: ColumnDraft, field: string, errors: DraftErrors): ColumnInput {
  let def: unknown;
  if (c.default !== '') {
    const parsed = parseColumnText(c.type, c.default, false);
    if (parsed.ok) def = parsed.value;
    else errors[`${field}.default`] = parsed.message;
  }
  return {
    name: c.name,
    type: c.type,
    primary_key: c.primary_key,
    nullable: c.primary_key ? false : c.nullable,
    ...(def !== undefined ? { default: def as ColumnInput['default'] } : {}),
  };
}

/**
 * The input of a create, checked with the shared schema plus the table rules the engine applies
 * (one primary key, unique names, options that fit the type), so most mistakes show while typing.
 */
export function draftToInput(d: TableDraft): { input: CreateTableInput; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const name = NewTableNameSchema.safeParse(d.name);
  if (!name.success) errors.name = name.error.issues[0]?.message ?? 'is not a valid name';
  const columns = d.columns.map((c, i) => columnInput(c, `columns.${i}`, errors));
  const keys = d.columns.filter((c) => c.primary_key).length;
  if (keys !== 1) errors.columns = keys === 0 ? 'needs a primary key column' : `needs exactly one primary key column, found ${keys}`;
  const seen = new Map<string, number>();
  d.columns.forEach((c, i) => {
    const n = c.name.trim().toLowerCase();
    if (n !== '' && seen.has(n)) errors[`columns.${i}.name`] = `duplicate column ${n}`;
    seen.set(n, i);
  });
  const ttl = d.type === 'stream' ? positiveInt(d.ttl_seconds, 'ttl_seconds', errors) : undefined;
  if (d.type === 'stream' && ttl === undefined && !errors.ttl_seconds) errors.ttl_seconds = 'is required for stream tables';
  const flush = flushPolicyOf(d.flush_row_limit, d.flush_interval_seconds, errors);
  const input: CreateTableInput = {
    namespace: d.namespace,
    name: d.name,
    type: d.type,
    columns,
    ...(d.type === 'shared' ? { access_level: d.access_level } : {}),
    ...(ttl !== undefined ? { ttl_seconds: ttl } : {}),
    ...(flush ? { flush_policy: flush } : {}),
    ...(d.comment.trim() !== '' ? { comment: d.comment.trim() } : {}),
  };
  const checked = CreateTableInputSchema.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = draftField(fieldOfPath(issue.path));
      errors[field] ??= issue.message;
    }
  }
  return { input, errors };
}
