import type { ColumnInfo, Filter, Row } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';
import type { Route } from '../app/routes';
import type { MenuItem } from '../components/ContextMenu';
import type { CellEditing } from './cell-editing';
import { opsFor } from './filters';
import { cellText, type CopyFormat, copyText } from './row-copy';

/** The filter that keeps (or, `exclude`, drops) the rows whose `column` holds `value`; undefined when no filter can say it. */
export function valueFilter(column: ColumnInfo, value: unknown, exclude: boolean): Filter | undefined {
  const ops = opsFor(column);
  if (value === null || value === undefined) {
    const op = exclude ? 'not_null' : 'is_null';
    return ops.includes(op) ? { column: column.name, op } : undefined;
  }
  // JSON and bytes compare as text in filters: only plain values are offered.
  if (column.type === 'json' || column.type === 'bytes' || typeof value === 'object') return undefined;
  const op = exclude ? 'ne' : 'eq';
  return ops.includes(op) ? { column: column.name, op, value: value as Filter['value'] } : undefined;
}

/**
 * The record a value points at, if any: a user id (`_user`, `…user_id`) to its user, a row of
 * system.tables or a job's table to that table.
 */
export function referenceOf(table: string, column: ColumnInfo, row: Row): Route | undefined {
  const value = ownValue(row.values, column.name);
  if (typeof value === 'string' && value !== '' && table !== 'system.users' && (column.name === '_user' || /(^|_)user_id$/.test(column.name))) {
    return { view: 'table', table: 'system.users', key: value };
  }
  if (table === 'system.tables' && (column.name === 'table_name' || column.name === 'namespace_id')) {
    const ns = ownValue(row.values, 'namespace_id');
    const name = ownValue(row.values, 'table_name');
    if (typeof ns === 'string' && typeof name === 'string') return { view: 'table', table: `${ns}.${name}` };
  }
  if (table === 'system.jobs' && column.name === 'parameters') {
    const target = (value as Record<string, unknown> | null)?.['table'];
    if (typeof target === 'string') return { view: 'table', table: target };
  }
  return undefined;
}

/** The row copies a cell's menu offers, and their names. */
const COPY_FORMATS: readonly (readonly [CopyFormat, string])[] = [
  ['tsv', 'TSV'],
  ['csv', 'CSV'],
  ['json', 'JSON'],
  ['insert', 'INSERT'],
];

export interface CellMenuContext {
  table: string;
  /** The columns shown, in order (what a copied row holds). */
  columns: readonly ColumnInfo[];
  row: Row;
  /** The rows the copy items copy: the selection the row is in, else the row alone. */
  selection: readonly Row[];
  column: ColumnInfo;
  editing: CellEditing | undefined;
  filters: readonly Filter[];
  onFilters: (filters: Filter[]) => void;
  copy: (text: string, what: string) => void;
  go: (route: Route) => void;
}

/** The items of a cell's context menu: copy, set NULL, filter by or exclude the value, the referenced record. */
export function cellMenuItems(c: CellMenuContext): MenuItem[] {
  const { table, columns, row, column } = c;
  const value = ownValue(row.values, column.name);
  const keep = valueFilter(column, value, false);
  const drop = valueFilter(column, value, true);
  const noFilter = 'No filter can match this value (JSON and bytes are compared as text)';
  const nullOff = !c.editing
    ? 'Cells of this table are not edited in place'
    : !c.editing.canEdit(column)
      ? `${column.name} cannot be edited here`
      : !column.nullable
        ? `${column.name} may not be null`
        : value === null
          ? 'It is null already'
          : undefined;
  const reference = referenceOf(table, column, row);
  // A row of a multi-row selection copies the whole selection.
  const copied = c.selection.length > 1 ? c.selection : [row];
  const what = copied.length > 1 ? `${copied.length} selected rows` : `row ${row.key}`;
  const values = copied.map((r) => r.values);
  return [
    { label: 'Copy value', onSelect: () => c.copy(cellText(column, value), `the value of ${column.name}`) },
    ...COPY_FORMATS.map(([format, name]) => ({
      label: copied.length > 1 ? `Copy ${what} as ${name}` : `Copy row as ${name}`,
      onSelect: () => c.copy(copyText(format, table, columns, values), `${what} as ${name}`),
    })),
    { label: 'Set NULL (staged)', separated: true, disabled: nullOff, onSelect: () => c.editing?.stage(row, column, null) },
    { label: 'Filter by this value', separated: true, disabled: keep ? undefined : noFilter, onSelect: () => keep && c.onFilters([...c.filters, keep]) },
    { label: 'Exclude this value', disabled: drop ? undefined : noFilter, onSelect: () => drop && c.onFilters([...c.filters, drop]) },
    ...(reference ? [{ label: referenceLabel(reference), separated: true, onSelect: () => c.go(reference) }] : []),
  ];
}

function referenceLabel(route: Route): string {
  if (route.view !== 'table') return 'Open the referenced record';
  return route.key !== undefined ? `Open ${route.key} in ${route.table}` : `Open table ${route.table}`;
}
