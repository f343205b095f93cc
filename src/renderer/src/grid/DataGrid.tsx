import { type ColumnSizingState, type ColumnVisibilityState, type Updater, useTable } from '@tanstack/react-table';
import { type CSSProperties, type MouseEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ColumnInfo, Row, Sort } from '../../../shared/browse';
import type { CellEditing } from './cell-editing';
import { clampWidth, fitColumnWidth, fitColumnWidths } from './column-widths';
import { gridColumns, gridFeatures } from './grid-columns';
import { GridHeader } from './GridHeader';
import { GridRow, type RowColumn } from './GridRow';
import { useGridKeyboard } from './use-grid-keyboard';
import { hasMod } from '../palette/shortcuts';
import { canvasMeasure } from './text-measure';
import { HEADER_HEIGHT, useGridVirtualizer } from './use-grid-virtualizer';

export interface DataGridProps {
  /** Accessible name of the grid. */
  label: string;
  columns: readonly ColumnInfo[];
  rows: readonly Row[];
  /**
   * Index of rows[0] in the whole result (0 = its first row), from the query data; negative when
   * rows above a "go to key" page were loaded (their place in the table is not known).
   */
  firstIndex: number;
  columnVisibility: ColumnVisibilityState;
  onColumnVisibilityChange: (v: ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState)) => void;
  sort: Sort | undefined;
  /** Toggles sorting by a column (offered only where `canSort` says it can). */
  onSort: (column: ColumnInfo) => void;
  canSort: (column: ColumnInfo) => boolean;
  selectedKey: string | undefined;
  onSelect: (row: Row) => void;
  /**
   * Multi-row selection: the rows selected (aria-selected), Shift+click / Shift+arrows extending
   * it, Ctrl/Cmd+click toggling a row, Ctrl/Cmd+A taking every loaded row. Without it one row is selected.
   */
  selection?: { keys: ReadonlySet<string>; onSelect: (row: Row, how: 'extend' | 'toggle') => void; onSelectAll: () => void } | undefined;
  onOpen: (row: Row) => void;
  /** Rows in the whole result when known (for aria-rowcount); undefined when not. */
  totalRows: number | undefined;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  isFetchingNextPage: boolean;
  isFetchingPreviousPage: boolean;
  fetchNextPage: () => void;
  fetchPreviousPage: () => void;
  /** In-place cell editing (data tables); without it Enter and double-click open the row. */
  editing?: CellEditing | undefined;
  /** A short status shown on a row and read with it, e.g. "deleted" for a deleted user. */
  rowNote?: ((row: Row) => string | undefined) | undefined;
  /** What a live change last did to a row ("inserted", "updated", "deleted"): its `data-change`, which flashes or fades it. */
  rowChange?: ((row: Row) => string | undefined) | undefined;
  /** A cell's context menu is asked for (right click, Shift+F10, the menu key), at a point of the viewport. */
  onCellMenu?: ((row: Row, column: ColumnInfo, at: { x: number; y: number }) => void) | undefined;
  /** Column widths by name (fitted or set by hand); without them the grid keeps its own, fitted to the rows it opens with. */
  columnSizing?: ColumnSizingState | undefined;
  onColumnSizingChange?: ((u: Updater<ColumnSizingState>) => void) | undefined;
  /** Fits a column to its content (double-click or Enter on its resizer); without it the grid fits it to the rows loaded. */
  onAutoFit?: ((column: string) => void) | undefined;
}

/**
 * The rows of a table, virtualized: only the rows in view are in the DOM, pages load as the user
 * scrolls either way. A keyboard-operable ARIA grid: arrows, Page Up/Down, Home/End move the
 * selected row; Enter opens it.
 */
export function DataGrid(props: DataGridProps) {
  const { columns, rows, firstIndex, sort, selectedKey, onSelect, onOpen, editing, rowNote, rowChange, selection } = props;
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);

  const columnDefs = useMemo(() => gridColumns(columns), [columns]);
  const keyColumn = useMemo(() => columns.find((c) => c.primaryKey)?.name, [columns]);

  // Without widths from the caller (SQL results), the columns fit the rows the grid opens with.
  const [ownSizing, setOwnSizing] = useState<ColumnSizingState>(() =>
    props.columnSizing ? {} : fitColumnWidths(columns, rows, props.canSort, canvasMeasure()),
  );
  const columnSizing = props.columnSizing ?? ownSizing;
  const onColumnSizingChange = props.onColumnSizingChange ?? setOwnSizing;
  const onResize = useCallback(
    (column: string, width: number) => onColumnSizingChange((old) => ({ ...old, [column]: clampWidth(width) })),
    [onColumnSizingChange],
  );
  const { onAutoFit: fit, canSort } = props;
  const onAutoFit = useCallback(
    (column: string) => {
      const info = columns.find((c) => c.name === column);
      if (fit) fit(column);
      else if (info) onColumnSizingChange((old) => ({ ...old, [column]: fitColumnWidth(info, rows, canSort(info), canvasMeasure()) }));
    },
    [fit, columns, rows, canSort, onColumnSizingChange],
  );

  // The table model holds the columns (visibility, sizes, resizing); rows are drawn straight from
  // `rows` (its row model would build an object per loaded row on every page).
  const table = useTable({
    features: gridFeatures,
    columns: columnDefs,
    data: rows,
    getRowId: (row) => row.key,
    state: { columnVisibility: props.columnVisibility, columnSizing },
    onColumnVisibilityChange: props.onColumnVisibilityChange,
    onColumnSizingChange,
    columnResizeMode: 'onChange',
  });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const totalWidth = table.getTotalSize();
  const visibleIds = headers.map((h) => h.column.id).join('\n');
  const rowColumns = useMemo<RowColumn[]>(() => {
    const byName = new Map(columns.map((c) => [c.name, c]));
    return visibleIds === '' ? [] : visibleIds.split('\n').flatMap((id) => (byName.has(id) ? [rowColumn(byName.get(id)!)] : []));
  }, [columns, visibleIds]);
  // One template for the header and every row: resizing a column restyles no row.
  const template = headers.map((h) => `${h.getSize()}px`).join(' ');

  const { hasPreviousPage, isFetchingPreviousPage, fetchPreviousPage } = props;
  const { virtualizer, items, low, first, onScroll } = useGridVirtualizer(scrollRef, rows.length, firstIndex, props);

  const selectedIndex = useMemo(() => (selectedKey === undefined ? -1 : rows.findIndex((r) => r.key === selectedKey)), [rows, selectedKey]);
  // DOM ids and data-index hold the row's index in the result: unchanged when pages come and go.
  const rowDomId = (index: number) => `${gridId}-row-${firstIndex + index}`;
  const selectedRendered = selectedIndex >= 0 && items.some((i) => i.index === selectedIndex);

  const onKeyDown = useGridKeyboard({
    rows,
    columns,
    rowColumns,
    selectedIndex,
    first,
    scrollRef,
    virtualizer,
    onSelect,
    onExtend: selection ? (row: Row) => selection.onSelect(row, 'extend') : undefined,
    onOpen,
    editing,
    hasPreviousPage,
    isFetchingPreviousPage,
    fetchPreviousPage,
  });

  // One click handler for the body (not one per row): the row is found from the DOM.
  const rowAt = useCallback(
    (e: MouseEvent<HTMLDivElement>): Row | undefined => {
      const el = (e.target as Element).closest<HTMLElement>('[data-index]');
      return el?.dataset['index'] !== undefined ? rows[Number(el.dataset['index']) - firstIndex] : undefined;
    },
    [rows, firstIndex],
  );

  // The cell's column from its aria-colindex (cells carry no per-cell column attribute).
  const columnAt = (e: MouseEvent<HTMLDivElement>): ColumnInfo | undefined => {
    const index = (e.target as Element).closest<HTMLElement>('[role="gridcell"]')?.getAttribute('aria-colindex');
    return index ? rowColumns[Number(index) - 1]?.info : undefined;
  };

  // An inline edit that ends (committed or cancelled) gives the keyboard back to the grid.
  const isEditing = editing?.editingCell !== undefined;
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !isEditing && (document.activeElement === document.body || scrollRef.current?.contains(document.activeElement))) {
      scrollRef.current?.focus();
    }
    wasEditing.current = isEditing;
  }, [isEditing]);

  const editColumn = editing?.editingCell ? columns.find((c) => c.name === editing.editingCell?.column) : undefined;
  const ariaFirst = firstIndex - low + 2;
  const colCount = headers.length;

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={props.totalRows === undefined ? -1 : props.totalRows + 1}
      aria-colcount={colCount}
      aria-multiselectable={selection !== undefined}
      aria-activedescendant={
        selectedRendered ? (editing?.activeColumn !== undefined ? `${rowDomId(selectedIndex)}-${editing.activeColumn}` : rowDomId(selectedIndex)) : undefined
      }
      tabIndex={0}
      onKeyDown={(e) => {
        // Shift+F10 or the menu key: the selected row's menu, for its active cell (or its first).
        if (props.onCellMenu && e.target === e.currentTarget && (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) {
          const row = rows[selectedIndex];
          const info = columns.find((c) => c.name === editing?.activeColumn) ?? rowColumns[0]?.info;
          const el = selectedRendered ? document.getElementById(rowDomId(selectedIndex)) : null;
          if (row && info) {
            e.preventDefault();
            const r = (el ?? e.currentTarget).getBoundingClientRect();
            props.onCellMenu(row, info, { x: r.left + 24, y: el ? r.bottom : r.top + 40 });
          }
          return;
        }
        // Ctrl/Cmd+A: every loaded row (not the page's text).
        if (selection && e.target === e.currentTarget && hasMod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'a') {
          e.preventDefault();
          selection.onSelectAll();
          return;
        }
        onKeyDown(e);
      }}
      onScroll={onScroll}
      style={{ '--grid-columns': template } as CSSProperties}
    >
      <GridHeader
        headers={headers}
        totalWidth={totalWidth}
        sort={sort}
        keyColumn={keyColumn}
        canSort={props.canSort}
        onSort={props.onSort}
        onResize={onResize}
        onAutoFit={onAutoFit}
      />
      <div
        role="rowgroup"
        className="grid__body"
        style={{ height: virtualizer.getTotalSize(), width: totalWidth }}
        onMouseDown={(e) => {
          // Shift+click extends the selection: not a text selection across the rows.
          if (selection && e.shiftKey && !(e.target as Element).closest('.cell-editor')) {
            e.preventDefault();
            scrollRef.current?.focus({ preventScroll: true });
          }
        }}
        onClick={(e) => {
          const row = rowAt(e);
          if (row && selection && e.shiftKey) selection.onSelect(row, 'extend');
          else if (row && selection && hasMod(e)) selection.onSelect(row, 'toggle');
          else if (row) onSelect(row);
          const info = editing ? columnAt(e) : undefined;
          if (row && info) editing?.onActiveColumn(info.name);
        }}
        onContextMenu={(e) => {
          const row = rowAt(e);
          const info = columnAt(e);
          if (!row || !info || !props.onCellMenu || (e.target as Element).closest('.cell-editor')) return;
          e.preventDefault();
          // A row of the selection keeps it: the menu then copies the whole selection.
          if (!selection?.keys.has(row.key) || selection.keys.size < 2) onSelect(row);
          editing?.onActiveColumn(info.name);
          props.onCellMenu(row, info, { x: e.clientX, y: e.clientY });
        }}
        onDoubleClick={(e) => {
          const row = rowAt(e);
          if (!row || (e.target as Element).closest('.cell-editor')) return;
          const info = editing ? columnAt(e) : undefined;
          if (editing && info && editing.canEdit(info)) editing.onStartEdit(row, info);
          else onOpen(row);
        }}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <GridRow
              key={row.key}
              row={row}
              columns={rowColumns}
              index={firstIndex + item.index}
              domId={rowDomId(item.index)}
              ariaIndex={ariaFirst + item.index}
              top={item.start - HEADER_HEIGHT}
              odd={(firstIndex + item.index) % 2 !== 0}
              selected={item.index === selectedIndex}
              inSelection={selection ? selection.keys.has(row.key) : undefined}
              note={rowNote?.(row)}
              change={rowChange?.(row)}
              {...(editing
                ? {
                    activeColumn: item.index === selectedIndex ? editing.activeColumn : undefined,
                    marks: editing.rowMarks(row.key),
                    editor:
                      editing.editingCell?.rowKey === row.key && editColumn
                        ? { column: editColumn.name, node: editing.renderEditor(row, editColumn) }
                        : undefined,
                  }
                : {})}
            />
          );
        })}
      </div>
    </div>
  );
}

function rowColumn(info: ColumnInfo): RowColumn {
  const number = info.type === 'integer' || info.type === 'double';
  return { info, className: `grid__cell${info.primaryKey ? ' grid__cell--key' : ''}${number ? ' grid__cell--number' : ''}` };
}
