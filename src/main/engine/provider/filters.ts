import type { ColumnInfo, Filter, QuickSearch } from '../../../shared/browse';
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

function invalid(at: string, message: string): ValidationError {
  return new ValidationError('filter', [{ field: at, message }]);
}

/** What a column's values are compared with: numbers for numeric columns, booleans for booleans, else as given. */
function target(column: ColumnInfo, value: unknown, at: string): unknown {
  if (column.type === 'integer' || column.type === 'double' || column.type === 'timestamp') return asNumber(column, value, at);
  if (column.type === 'boolean') return value === true || value === 'true';
  return value;
}

function compileOne(f: Filter, column: ColumnInfo, at: string): RowPredicate {
  const name = column.name;
  const present = (r: Row) => ownValue(r, name) != null;
  if (f.op === 'is_null') return (r) => !present(r);
  if (f.op === 'not_null') return present;
  if (f.op === 'in') {
    if (!f.values) throw invalid(`${at}.values`, 'operator in needs a list of values');
    const wanted = f.values.map((v, i) => target(column, v, `${at}.values.${i}`));
    return (r) => present(r) && wanted.some((w) => compare(ownValue(r, name), w) === 0);
  }
  if (f.value === undefined || f.value === null) throw invalid(`${at}.value`, `operator ${f.op} needs a value`);
  if (f.op === 'contains' || f.op === 'starts_with' || f.op === 'ieq') {
    const needle = String(f.value).toLowerCase();
    const text = (r: Row) => textOf(ownValue(r, name)).toLowerCase();
    if (f.op === 'contains') return (r) => present(r) && text(r).includes(needle);
    if (f.op === 'starts_with') return (r) => present(r) && text(r).startsWith(needle);
    return (r) => present(r) && text(r) === needle;
  }
  const low = target(column, f.value, `${at}.value`);
  if (f.op === 'between') {
    if (f.to === undefined || f.to === null) throw invalid(`${at}.to`, 'operator between needs an upper bound');
    const high = target(column, f.to, `${at}.to`);
    return (r) => present(r) && compare(ownValue(r, name), low) >= 0 && compare(ownValue(r, name), high) <= 0;
  }
  const cmp = (r: Row) => compare(ownValue(r, name), low);
  switch (f.op) {
    case 'eq':
      return (r) => present(r) && cmp(r) === 0;
    case 'ne':
      return (r) => !present(r) || cmp(r) !== 0;
    case 'lt':
      return (r) => present(r) && cmp(r) < 0;
    case 'lte':
      return (r) => present(r) && cmp(r) <= 0;
    case 'gt':
      return (r) => present(r) && cmp(r) > 0;
    case 'gte':
      return (r) => present(r) && cmp(r) >= 0;
  }
}

/** Whether the filters hold an OR: then no single filter narrows the scan (an index seek on it would drop the other groups' rows). */
export function hasOrGroups(filters: readonly Filter[]): boolean {
  return filters.some((f, i) => i > 0 && f.or === true);
}

/**
 * Compiles filters once per request (value coercion and checks), then tests rows cheaply. Filters
 * are ANDed within a group and the groups ORed; a filter with `or` starts a new group. Pages and
 * whole-table reads (exports) alike go through compileRequestFilter, which adds the quick search.
 */
function compileFilters(columns: readonly ColumnInfo[], filters: readonly Filter[]): RowPredicate {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const groups: RowPredicate[][] = [[]];
  filters.forEach((f, i) => {
    const at = `filters.${i}`;
    const column = byName.get(f.column);
    if (!column) throw invalid(`${at}.column`, `unknown column "${f.column}"`);
    if (i > 0 && f.or === true) groups.push([]);
    groups.at(-1)!.push(compileOne(f, column, at));
  });
  if (groups.length === 1) {
    const [only] = groups;
    return (row) => only!.every((t) => t(row));
  }
  return (row) => groups.some((g) => g.every((t) => t(row)));
}

/** The quick search: any of its columns contains the text, in any letter case. */
function compileSearch(columns: readonly ColumnInfo[], search: QuickSearch): RowPredicate {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const names = search.columns.map((name, i) => {
    const column = byName.get(name);
    if (!column) throw invalid(`search.columns.${i}`, `unknown column "${name}"`);
    return column.name;
  });
  const needle = search.text.toLowerCase();
  return (r) =>
    names.some((name) => {
      const v = ownValue(r, name);
      return v != null && textOf(v).toLowerCase().includes(needle);
    });
}

/** What a request keeps: filters and a quick search (a page request's, or an export's view). */
export interface RowFilter {
  readonly filters?: readonly Filter[] | undefined;
  readonly search?: QuickSearch | undefined;
}

/** What a page request keeps: its filters, and its quick search. */
export function compileRequestFilter(columns: readonly ColumnInfo[], request: RowFilter): RowPredicate {
  const filters = compileFilters(columns, request.filters ?? []);
  if (!request.search) return filters;
  const search = compileSearch(columns, request.search);
  return (row) => filters(row) && search(row);
}
