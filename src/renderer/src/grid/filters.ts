import type { ColumnInfo, Filter, FilterOp } from '../../../shared/browse';
import { formatLocalDateTime } from './cell-format';

/** A filter as edited in the filter bar: the value is still text. */
export interface DraftFilter {
  id: number;
  column: string;
  op: FilterOp;
  value: string;
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
    case 'timestamp':
      return ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', ...nulls];
    case 'boolean':
      return ['eq', 'ne', ...nulls];
    case 'json':
    case 'bytes':
      return ['contains', 'starts_with', 'eq', 'ne', ...nulls];
    case 'text':
      return ['eq', 'ne', 'contains', 'starts_with', 'lt', 'lte', 'gt', 'gte', ...nulls];
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
  if (op === 'contains' || op === 'starts_with') {
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
    const parsed = parseFilterValue(column, d.op, d.value);
    if (!parsed.ok) errors.set(d.id, parsed.message);
    else filters.push(parsed.value === undefined ? { column: d.column, op: d.op } : { column: d.column, op: d.op, value: parsed.value });
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, filters };
}

/** The draft form of applied filters, to edit them again. */
export function toDrafts(filters: readonly Filter[], firstId: number): DraftFilter[] {
  return filters.map((f, i) => ({
    id: firstId + i,
    column: f.column,
    op: f.op,
    value: f.value === undefined || f.value === null ? '' : String(f.value),
  }));
}

/** Short text of a filter for chips and summaries, e.g. `role = dba`; timestamps in local time. */
export function describeFilter(f: Filter, columns: readonly ColumnInfo[] = []): string {
  if (!opTakesValue(f.op)) return `${f.column} ${OP_LABELS[f.op]}`;
  const type = columns.find((c) => c.name === f.column)?.type;
  const value = type === 'timestamp' && typeof f.value === 'number' ? formatLocalDateTime(f.value) : String(f.value);
  return `${f.column} ${OP_LABELS[f.op]} ${value}`;
}
