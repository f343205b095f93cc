import { type ColumnDef, columnResizingFeature, columnSizingFeature, columnVisibilityFeature, metaHelper, tableFeatures } from '@tanstack/react-table';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from './column-widths';

export const gridFeatures = tableFeatures({
  columnVisibilityFeature,
  columnSizingFeature,
  columnResizingFeature,
  columnMeta: metaHelper<{ info: ColumnInfo }>(),
});
export type GridFeatures = typeof gridFeatures;
export type GridColumnDef = ColumnDef<GridFeatures, Row, unknown>;

/** A starting width that fits the usual values of a type. */
export function defaultWidth(info: ColumnInfo): number {
  if (info.primaryKey) return 220;
  switch (info.type) {
    case 'boolean':
      return 96;
    case 'integer':
    case 'double':
      return 120;
    case 'timestamp':
      return 180;
    case 'json':
      return 260;
    case 'bytes':
    case 'text':
      return Math.min(260, Math.max(140, info.name.length * 9 + 48));
  }
}

/** Column definitions for a table's columns; the values come from `row.values`. */
export function gridColumns(columns: readonly ColumnInfo[]): GridColumnDef[] {
  return columns.map((info) => ({
    id: info.name,
    header: info.name,
    accessorFn: (row: Row) => ownValue(row.values, info.name),
    size: defaultWidth(info),
    minSize: MIN_COLUMN_WIDTH,
    maxSize: MAX_COLUMN_WIDTH,
    enableHiding: !info.primaryKey,
    meta: { info },
  }));
}
