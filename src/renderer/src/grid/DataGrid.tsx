import { type ColumnVisibilityState, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useMemo, useRef } from 'react';
import type { ColumnInfo, Row, Sort } from '../../../shared/browse';
import { CellValue } from './CellValue';
import { gridColumns, gridFeatures } from './grid-columns';

export const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 36;
/** Start loading the next (or previous) page this many rows before its edge comes into view. */
const PREFETCH_ROWS = 60;

export interface DataGridProps {
  /** Accessible name of the grid. */
  label: string;
  columns: readonly ColumnInfo[];
  rows: readonly Row[];
  columnVisibility: ColumnVisibilityState;
  onColumnVisibilityChange: (v: ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState)) => void;
  sort: Sort | undefined;
  /** Toggles sorting by a column; undefined when that column cannot sort. */
  onSort: (column: ColumnInfo) => void;
  canSort: (column: ColumnInfo) => boolean;
  selectedKey: string | undefined;
  onSelect: (row: Row) => void;
  onOpen: (row: Row) => void;
  /** Rows in the whole result when known (for aria-rowcount); undefined when not. */
  totalRows: number | undefined;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  isFetchingNextPage: boolean;
  isFetchingPreviousPage: boolean;
  fetchNextPage: () => void;
  fetchPreviousPage: () => void;
}

function ariaSort(column: ColumnInfo, sort: Sort | undefined, keyColumn: string | undefined): 'ascending' | 'descending' | undefined {
  if (sort?.column === column.name) return sort.order === 'asc' ? 'ascending' : 'descending';
  // Without a sort the engine returns key order.
  if (!sort && column.name === keyColumn) return 'ascending';
  return undefined;
}

/**
 * The rows of a table, virtualized: only the rows in view are in the DOM, pages load as the user
 * scrolls either way. A keyboard-operable ARIA grid: arrows, Page Up/Down, Home/End move the
 * selected row; Enter opens it.
 */
export function DataGrid(props: DataGridProps) {
  const { columns, rows, sort, selectedKey, onSelect, onOpen } = props;
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);

  const columnDefs = useMemo(() => gridColumns(columns), [columns]);
  const keyColumn = useMemo(() => columns.find((c) => c.primaryKey)?.name, [columns]);
  const data = rows as Row[];

  const table = useTable({
    features: gridFeatures,
    columns: columnDefs,
    data,
    getRowId: (row) => row.key,
    state: { columnVisibility: props.columnVisibility },
    onColumnVisibilityChange: props.onColumnVisibilityChange,
    columnResizeMode: 'onChange',
  });

  const tableRows = table.getRowModel().rows;
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const totalWidth = table.getTotalSize();

  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => tableRows[i]?.id ?? i,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  // Keep the same rows in view when pages are added above or dropped from the top.
  const previous = useRef<{ rows: readonly Row[]; offset: number }>({ rows, offset: 0 });
  useLayoutEffect(() => {
    const prev = previous.current;
    const el = scrollRef.current;
    let offset = prev.offset;
    const oldFirst = prev.rows[0]?.key;
    const newFirst = rows[0]?.key;
    if (el && oldFirst !== undefined && newFirst !== undefined && oldFirst !== newFirst) {
      const added = rows.findIndex((r) => r.key === oldFirst);
      if (added > 0) {
        el.scrollTop += added * ROW_HEIGHT;
        offset = Math.max(0, offset - added);
      } else {
        const dropped = prev.rows.findIndex((r) => r.key === newFirst);
        if (dropped > 0) {
          el.scrollTop = Math.max(0, el.scrollTop - dropped * ROW_HEIGHT);
          offset += dropped;
        }
      }
    }
    previous.current = { rows, offset };
  }, [rows]);

  // Fetch more when the rendered window nears either loaded edge.
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  const { hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage } = props;
  useEffect(() => {
    // No rows in view (e.g. filtered pages that matched nothing yet) also means: keep going.
    if (hasNextPage && !isFetchingNextPage && (last ?? -1) >= tableRows.length - PREFETCH_ROWS) fetchNextPage();
    if (hasPreviousPage && !isFetchingPreviousPage && (first ?? 0) <= PREFETCH_ROWS) fetchPreviousPage();
  }, [first, last, tableRows.length, hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage]);

  const selectedIndex = useMemo(() => (selectedKey === undefined ? -1 : rows.findIndex((r) => r.key === selectedKey)), [rows, selectedKey]);
  const rowDomId = (index: number) => `${gridId}-row-${index}`;
  const selectedRendered = selectedIndex >= 0 && items.some((i) => i.index === selectedIndex);

  function move(to: number): void {
    if (rows.length === 0) return;
    const index = Math.max(0, Math.min(rows.length - 1, to));
    const row = rows[index];
    if (!row) return;
    onSelect(row);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    if (index === 0 && hasPreviousPage && !isFetchingPreviousPage) fetchPreviousPage();
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 300) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const from = selectedIndex;
    switch (e.key) {
      case 'ArrowDown':
        move(from < 0 ? (first ?? 0) : from + 1);
        break;
      case 'ArrowUp':
        move(from < 0 ? (first ?? 0) : from - 1);
        break;
      case 'PageDown':
        move(from < 0 ? page : from + page);
        break;
      case 'PageUp':
        move(from - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter': {
        const row = rows[selectedIndex];
        if (row) onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  const offset = previous.current.offset;
  const colCount = headers.length;

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={props.totalRows === undefined ? -1 : props.totalRows + 1}
      aria-colcount={colCount}
      aria-multiselectable="false"
      aria-activedescendant={selectedRendered ? rowDomId(selectedIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="grid__head" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
        <div role="row" className="grid__row grid__row--head" aria-rowindex={1}>
          {headers.map((header, i) => {
            const info = header.column.columnDef.meta?.info;
            if (!info) return null;
            const sortable = props.canSort(info);
            const dir = ariaSort(info, sort, keyColumn);
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-colindex={i + 1}
                aria-sort={dir}
                className={`grid__header${info.primaryKey ? ' grid__header--key' : ''}${header.column.getIsResizing() ? ' grid__header--resizing' : ''}`}
                style={{ width: header.getSize() }}
              >
                {sortable ? (
                  <button
                    type="button"
                    className="grid__sort"
                    title={`Sort by ${info.name}${info.index ? ` (index ${info.index})` : ''}`}
                    onClick={() => props.onSort(info)}
                  >
                    <span className="grid__header-name">{info.name}</span>
                    <span className={`grid__sort-icon${dir ? ' grid__sort-icon--active' : ''}`} aria-hidden="true">
                      {dir === 'descending' ? '▼' : dir === 'ascending' ? '▲' : '↕'}
                    </span>
                  </button>
                ) : (
                  <span className="grid__header-name" title={`${info.name} (not indexed: cannot sort)`}>
                    {info.name}
                  </span>
                )}
                <span className="grid__header-type" aria-hidden="true">
                  {info.primaryKey ? 'key' : info.type}
                </span>
                <span
                  className="grid__resizer"
                  aria-hidden="true"
                  onMouseDown={header.getResizeHandler()}
                  onTouchStart={header.getResizeHandler()}
                  onDoubleClick={() => header.column.resetSize()}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="grid__body" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
        {items.map((item) => {
          const row = tableRows[item.index];
          if (!row) return null;
          const selected = item.index === selectedIndex;
          return (
            <div
              key={row.id}
              id={rowDomId(item.index)}
              role="row"
              aria-rowindex={offset + item.index + 2}
              aria-selected={selected}
              className={`grid__row${selected ? ' grid__row--selected' : ''}${item.index % 2 ? ' grid__row--odd' : ''}`}
              style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`, height: ROW_HEIGHT }}
              onClick={() => onSelect(row.original)}
              onDoubleClick={() => onOpen(row.original)}
            >
              {row.getVisibleCells().map((cell, i) => {
                const info = cell.column.columnDef.meta?.info;
                return (
                  <div
                    key={cell.id}
                    role="gridcell"
                    aria-colindex={i + 1}
                    className={`grid__cell${info?.primaryKey ? ' grid__cell--key' : ''}${info && (info.type === 'integer' || info.type === 'double') ? ' grid__cell--number' : ''}`}
                    style={{ width: cell.column.getSize() }}
                  >
                    {info ? <CellValue type={info.type} value={cell.getValue()} /> : null}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
