import type { ColumnInfo, Filter, FilterOp } from '../../../shared/browse';
import { formatLocalDateTime } from './cell-format';

/** A filter as edited in the filter bar: the value is still text. */
export interface DraftFilter {
  id: number;
  column: string;
  op: FilterOp;
  /** The value; `in`: the list, comma-separated; `between`: the lower bound. */
  value: string;
  /** `between`: the upper bound. */
  to?: string;
  /** Starts an OR group (see FilterSchema). */
  or?: boolean;
}

export const OP_LABELS: Record<FilterOp, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  contains: 'contains',
  starts_with: 'starts with',
  is_null: 'is null',
  not_null: 'is not null',
  ieq: '= (any case)',
  in: 'is one of',
  between: 'between',
};

/** Operators that take no value. */
export function opTakesValue(op: FilterOp): boolean {
  return op !== 'is_null' && op !== 'not_null';
}

/** The operators that make sense for a column's type. */
export function opsFor(column: ColumnInfo): FilterOp[] {
  const nulls: FilterOp[] = column.nullable ? ['is_null', 'not_null'] : [];
  switch (column.type) {
    case 'integer':
    case 'double':
      return ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'in', ...nulls];
    case 'timestamp':
      return ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', ...nulls];
    case 'boolean':
      return ['eq', 'ne', ...nulls];
    case 'json':
    case 'bytes':
      return ['contains', 'starts_with', 'eq', 'ne', ...nulls];
    case 'text':
      return ['eq', 'ieq', 'ne', 'contains', 'starts_with', 'in', 'lt', 'lte', 'gt', 'gte', 'between', ...nulls];
  }
}

export type ParsedValue = { ok: true; value: Filter['value'] } | { ok: false; message: string };

/**
 * Turns the typed text into the value the engine compares with: numbers for numeric columns,
 * milliseconds for timestamps (from a date-time input or a number), booleans for booleans.
 */
export function parseFilterValue(column: ColumnInfo, op: FilterOp, raw: string): ParsedValue {
  if (!opTakesValue(op)) return { ok: true, value: undefined };
  const text = raw.trim();
  if (op === 'contains' || op === 'starts_with' || op === 'ieq') {
    return raw === '' ? { ok: false, message: 'Enter some text' } : { ok: true, value: raw };
  }
  switch (column.type) {
    case 'integer':
    case 'double': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { ok: false, message: 'Enter a number' };
      if (column.type === 'integer' && !Number.isInteger(n)) return { ok: false, message: 'Enter a whole number' };
      return { ok: true, value: n };
    }
    case 'timestamp': {
      if (/^-?\d+$/.test(text)) return { ok: true, value: Number(text) };
      const ms = Date.parse(text);
      return text === '' || Number.isNaN(ms) ? { ok: false, message: 'Enter a date and time' } : { ok: true, value: ms };
    }
    case 'boolean':
      if (text === 'true') return { ok: true, value: true };
      if (text === 'false') return { ok: true, value: false };
      return { ok: false, message: 'Choose true or false' };
    case 'text':
    case 'json':
    case 'bytes':
      return { ok: true, value: raw };
  }
}

export type CompiledFilters = { ok: true; filters: Filter[] } | { ok: false; errors: Map<number, string> };

type DraftResult = { ok: true; filter: Filter } | { ok: false; message: string };

/** One draft as the filter the engine gets: `in` splits its list at commas, `between` reads both bounds. */
function compileDraft(column: ColumnInfo, d: DraftFilter): DraftResult {
  const base: Filter = { column: d.column, op: d.op, ...(d.or ? { or: true } : {}) };
  if (d.op === 'in') {
    const items = d.value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (items.length === 0) return { ok: false, message: 'Enter one or more values, separated by commas' };
    const values: (string | number | boolean)[] = [];
    for (const item of items) {
      const parsed = parseFilterValue(column, 'eq', item);
      if (!parsed.ok) return { ok: false, message: `${parsed.message} (“${item}”)` };
      if (parsed.value !== undefined && parsed.value !== null) values.push(parsed.value);
    }
    return { ok: true, filter: { ...base, values } };
  }
  const parsed = parseFilterValue(column, d.op, d.value);
  if (!parsed.ok) return { ok: false, message: d.op === 'between' ? `From: ${parsed.message.toLowerCase()}` : parsed.message };
  if (d.op === 'between') {
    const to = parseFilterValue(column, d.op, d.to ?? '');
    if (!to.ok) return { ok: false, message: `To: ${to.message.toLowerCase()}` };
    return { ok: true, filter: { ...base, value: parsed.value, to: to.value } };
  }
  return { ok: true, filter: parsed.value === undefined ? base : { ...base, value: parsed.value } };
}

/** Checks every draft; returns the filters to send, or a message per draft id that is not valid. */
export function compileDrafts(columns: readonly ColumnInfo[], drafts: readonly DraftFilter[]): CompiledFilters {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const filters: Filter[] = [];
  const errors = new Map<number, string>();
  for (const d of drafts) {
    const column = byName.get(d.column);
    if (!column) {
      errors.set(d.id, 'Choose a column');
      continue;
    }
    const result = compileDraft(column, { ...d, or: d.or === true && filters.length + errors.size > 0 });
    if (!result.ok) errors.set(d.id, result.message);
    else filters.push(result.filter);
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, filters };
}

const text = (v: Filter['value']): string => (v === undefined || v === null ? '' : String(v));

/** The draft form of applied filters, to edit them again. */
export function toDrafts(filters: readonly Filter[], firstId: number): DraftFilter[] {
  return filters.map((f, i) => ({
    id: firstId + i,
    column: f.column,
    op: f.op,
    value: f.op === 'in' ? (f.values ?? []).map(String).join(', ') : text(f.value),
    ...(f.op === 'between' ? { to: text(f.to) } : {}),
    ...(f.or ? { or: true } : {}),
  }));
}

/** Short text of a filter for chips and summaries, e.g. `role = dba`; timestamps in local time. */
export function describeFilter(f: Filter, columns: readonly ColumnInfo[] = []): string {
  if (!opTakesValue(f.op)) return `${f.column} ${OP_LABELS[f.op]}`;
  const type = columns.find((c) => c.name === f.column)?.type;
  const shown = (v: Filter['value']) => (type === 'timestamp' && typeof v === 'number' ? formatLocalDateTime(v) : String(v));
  if (f.op === 'in') return `${f.column} ${OP_LABELS.in} ${(f.values ?? []).map(shown).join(', ')}`;
  if (f.op === 'between') return `${f.column} between ${shown(f.value)} and ${shown(f.to)}`;
  if (f.op === 'ieq') return `${f.column} = ${shown(f.value)} (any case)`;
  return `${f.column} ${OP_LABELS[f.op]} ${shown(f.value)}`;
}

/** The applied filters in words: `a and b or c` (AND binds first, as the engine reads them). */
export function describeFilters(filters: readonly Filter[], columns: readonly ColumnInfo[] = []): string {
  return filters.map((f, i) => (i === 0 ? '' : f.or ? ' or ' : ' and ') + describeFilter(f, columns)).join('');
}
