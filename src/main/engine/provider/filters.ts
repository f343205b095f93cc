import type { ColumnInfo, Filter } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';
import { ValidationError } from '../errors';

type Row = Readonly<Record<string, unknown>>;
export type RowPredicate = (row: Row) => boolean;

function asNumber(column: ColumnInfo, value: unknown, at: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = column.type === 'timestamp' && !/^-?\d+(\.\d+)?$/.test(value.trim()) ? Date.parse(value) : Number(value);
    if (!Number.isNaN(n) && value.trim() !== '') return n;
  }
  throw new ValidationError('filter', [{ field: at, message: `"${String(value)}" is not a valid ${column.type} for column ${column.name}` }]);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

/** Compiles filters once per request (value coercion and checks), then tests rows cheaply. */
export function compileFilters(columns: readonly ColumnInfo[], filters: readonly Filter[]): RowPredicate {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const tests = filters.map((f, i): RowPredicate => {
    const at = `filters.${i}`;
    const column = byName.get(f.column);
    if (!column) throw new ValidationError('filter', [{ field: `${at}.column`, message: `unknown column "${f.column}"` }]);
    const name = column.name;
    if (f.op === 'is_null') return (r) => ownValue(r, name) === null || ownValue(r, name) === undefined;
    if (f.op === 'not_null') return (r) => ownValue(r, name) !== null && ownValue(r, name) !== undefined;
    if (f.value === undefined || f.value === null) {
      throw new ValidationError('filter', [{ field: `${at}.value`, message: `operator ${f.op} needs a value` }]);
    }
    if (f.op === 'contains' || f.op === 'starts_with') {
      const needle = String(f.value).toLowerCase();
      return f.op === 'contains'
        ? (r) => ownValue(r, name) != null && textOf(ownValue(r, name)).toLowerCase().includes(needle)
        : (r) => ownValue(r, name) != null && textOf(ownValue(r, name)).toLowerCase().startsWith(needle);
    }
    const numeric = column.type === 'integer' || column.type === 'double' || column.type === 'timestamp';
    const boolean = column.type === 'boolean';
    const target: unknown = numeric ? asNumber(column, f.value, `${at}.value`) : boolean ? f.value === true || f.value === 'true' : f.value;
    const cmp = (r: Row) => compare(ownValue(r, name), target);
    switch (f.op) {
      case 'eq':
        return (r) => ownValue(r, name) != null && cmp(r) === 0;
      case 'ne':
        return (r) => ownValue(r, name) == null || cmp(r) !== 0;
      case 'lt':
        return (r) => ownValue(r, name) != null && cmp(r) < 0;
      case 'lte':
        return (r) => ownValue(r, name) != null && cmp(r) <= 0;
      case 'gt':
        return (r) => ownValue(r, name) != null && cmp(r) > 0;
      case 'gte':
        return (r) => ownValue(r, name) != null && cmp(r) >= 0;
    }
  });
  return (row) => tests.every((t) => t(row));
}
