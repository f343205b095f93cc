import type { ColumnDefinition, TableMetadata } from '../../../shared/system/tables';

export type ColumnMark = 'added' | 'changed' | 'same';

export interface ColumnLine {
  column: ColumnDefinition;
  mark: ColumnMark;
}

export interface OptionLine {
  name: string;
  before: string;
  after: string;
}

const OPTION_NAMES = ['access_level', 'ttl_seconds', 'flush_policy', 'storage_id', 'comment', 'schema_version'] as const;

const text = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * How an alter changes a definition: each column of the new one marked added / changed / same
 * (matched by name), the names of columns removed, and the options that differ.
 */
export function diffDefinitions(before: TableMetadata, after: TableMetadata): { columns: ColumnLine[]; removed: string[]; options: OptionLine[] } {
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const columns = after.columns.map((column): ColumnLine => {
    const was = old.get(column.name);
    return { column, mark: !was ? 'added' : JSON.stringify(was) === JSON.stringify(column) ? 'same' : 'changed' };
  });
  const kept = new Set(after.columns.map((c) => c.name));
  const removed = before.columns.filter((c) => !kept.has(c.name)).map((c) => c.name);
  const options = OPTION_NAMES.filter((n) => text(before[n]) !== text(after[n])).map((name) => ({
    name,
    before: text(before[name]),
    after: text(after[name]),
  }));
  return { columns, removed, options };
}

export function defaultText(c: ColumnDefinition): string {
  return c.default === undefined ? '' : JSON.stringify(c.default);
}
