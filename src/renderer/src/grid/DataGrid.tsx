import { type ColumnVisibilityState, useTable } from '@tanstack/react-table';
import { elementScroll, observeElementOffset, type Rect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, type KeyboardEvent, type MouseEvent, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ColumnInfo, Row, Sort } from '../../../shared/browse';
import type { CellEditing } from './cell-editing';
import { readStored, writeStored } from '../components/storage';
import { gridColumns, gridFeatures } from './grid-columns';
import { GridRow, type RowColumn } from './GridRow';
import { type Placement, place } from './row-positions';

/** Every row is exactly this tall (grid.css sets the same height): nothing is measured. */
export const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 36;
/** Start loading the next (or previous) page this many rows before its edge comes into view. */
const PREFETCH_ROWS = 60;
/** Rows rendered beyond the view on each side once the grid has scrolled (before: just one). */
const OVERSCAN = 8;
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
  /** Toggles sorting by a column; called only for columns canSort accepts (the others have no sort button). */
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
  /** In-place cell editing (data tables); without it Enter and double-click open the row. */
  editing?: CellEditing | undefined;
  /** A short status shown on a row and read with it, e.g. "deleted" for a deleted user. */
  rowNote?: ((row: Row) => string | undefined) | undefined;
}

function ariaSort(column: ColumnInfo, sort: Sort | undefined, keyColumn: string | undefined): 'ascending' | 'descending' | undefined {
  if (sort?.column === column.name) return sort.order === 'asc' ? 'ascending' : 'descending';
  // Without a sort the engine returns key order.
  if (!sort && column.name === keyColumn) return 'ascending';
  return undefined;
}

const RECT_KEY = 'kalam.grid.rect';
/**
 * The last size a grid's scroller had (also remembered across reloads): a new grid, with the same
 * layout around it, draws just the rows that fit from its first render.
 */
let lastRect: Rect | undefined;

function parseRect(v: unknown): Rect | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { width, height } = v as Partial<Rect>;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : undefined;
}

/** Before the first measurement: the last size, else the window (a few rows more than fit is harmless). */
function initialRect(): Rect {
  lastRect ??= readStored(RECT_KEY, parseRect);
  // Never taller than the window now (it may have been resized since).
  return lastRect && lastRect.height <= window.innerHeight ? lastRect : { width: window.innerWidth, height: window.innerHeight };
}

function rememberRect(rect: Rect): void {
  if (rect.width === 0 || rect.height === 0 || (lastRect?.width === rect.width && lastRect.height === rect.height)) return;
  lastRect = rect;
  writeStored(RECT_KEY, rect);
}

/**
 * The scroller's size from a ResizeObserver only. The default also reads it synchronously when the
 * grid mounts, which forces a layout of the page in the middle of React's commit (and the layout is
 * then done again for the first rows).
 */
function observeRect(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void): (() => void) | undefined {
  const el = instance.scrollElement;
  if (!el) return undefined;
  const observer = new ResizeObserver(() => {
    // Read in the observer's callback, where layout is already up to date.
    const rect = { width: el.clientWidth, height: el.clientHeight };
    rememberRect(rect);
    cb(rect);
  });
  observer.observe(el);
  return () => observer.disconnect();
}

/** Scrollers that have scrolled or been scrolled: the others are still at the top. */
const moved = new WeakSet<Element>();

/** The default, noting that the scroller has moved. */
function observeOffset(instance: Virtualizer<HTMLDivElement, Element>, cb: (offset: number, isScrolling: boolean) => void): (() => void) | undefined {
  return observeElementOffset(instance, (offset, isScrolling) => {
    if (instance.scrollElement) moved.add(instance.scrollElement);
    cb(offset, isScrolling);
  });
}

/**
 * The default, except that it does not scroll a scroller that has never moved to the top: the
 * virtualizer does that when it mounts, and `scrollTo` forces a layout of the page in the middle of
 * React's commit, before the first rows have been laid out once.
 */
function scrollToFn(offset: number, options: { adjustments?: number; behavior?: ScrollBehavior }, instance: Virtualizer<HTMLDivElement, Element>): void {
  const el = instance.scrollElement;
  if (!el || (offset + (options.adjustments ?? 0) === 0 && !moved.has(el))) return;
  moved.add(el);
  elementScroll(offset, options, instance);
}

const estimateSize = () => ROW_HEIGHT;

/**
 * The rows of a table, virtualized: only the rows in view are in the DOM, pages load as the user
 * scrolls either way. A keyboard-operable ARIA grid: arrows, Page Up/Down, Home/End move the
 * selected row; Enter opens it.
 */
export function DataGrid(props: DataGridProps) {
  const { columns, rows, firstIndex, sort, selectedKey, onSelect, onOpen, editing, rowNote } = props;
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);

  const columnDefs = useMemo(() => gridColumns(columns), [columns]);
  const keyColumn = useMemo(() => columns.find((c) => c.primaryKey)?.name, [columns]);

  // The table model holds the columns (visibility, sizes, resizing); rows are drawn straight from
  // `rows` (its row model would build an object per loaded row on every page).
  const table = useTable({
    features: gridFeatures,
    columns: columnDefs,
    data: rows,
    getRowId: (row) => row.key,
    state: { columnVisibility: props.columnVisibility },
    onColumnVisibilityChange: props.onColumnVisibilityChange,
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

  // Derived during render from the query data (never from a value an effect updates later), so
  // every render places and numbers the rows it draws consistently.
  const [placement, setPlacement] = useState<Placement>(() => ({ base: firstIndex, low: firstIndex }));
  const next = place(placement, firstIndex);
  if (next !== placement) setPlacement(next);
  const spaceAbove = (firstIndex - next.base) * ROW_HEIGHT;

  const [scrolled, setScrolled] = useState(false);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // The first render draws what is in view and little more: it is what opening a table waits for.
    overscan: scrolled ? OVERSCAN : 1,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    paddingStart: spaceAbove,
    initialRect: initialRect(),
    observeElementRect: observeRect,
    observeElementOffset: observeOffset,
    scrollToFn,
  });
  const items = virtualizer.getVirtualItems();

  // When the body's top moves (rows loaded above it, or a re-base), move the scroll position with
  // it so the same rows stay in view. Dropping or re-adding pages above leaves it alone: their
  // rows keep their place as empty space, so a scroll in progress is never cut short.
  const drawnBase = useRef(next.base);
  useLayoutEffect(() => {
    const shift = drawnBase.current - placement.base;
    drawnBase.current = placement.base;
    const el = scrollRef.current;
    if (el && shift !== 0) el.scrollTop = Math.max(0, el.scrollTop + shift * ROW_HEIGHT);
  }, [placement.base]);

  // Fetch more when the rendered window nears either loaded edge.
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  const { hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage } = props;
  useEffect(() => {
    // No rows in view (e.g. filtered pages that matched nothing yet) also means: keep going.
    if (hasNextPage && !isFetchingNextPage && (last ?? -1) >= rows.length - PREFETCH_ROWS) fetchNextPage();
    if (hasPreviousPage && !isFetchingPreviousPage && (first ?? 0) <= PREFETCH_ROWS) fetchPreviousPage();
  }, [first, last, rows.length, hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage]);

  const selectedIndex = useMemo(() => (selectedKey === undefined ? -1 : rows.findIndex((r) => r.key === selectedKey)), [rows, selectedKey]);
  // DOM ids and data-index hold the row's index in the result: unchanged when pages come and go.
  const rowDomId = (index: number) => `${gridId}-row-${firstIndex + index}`;
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
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (!editing) return;
        const visible = rowColumns.map((c) => c.info.name);
        const at = editing.activeColumn === undefined ? -1 : visible.indexOf(editing.activeColumn);
        const to = visible[e.key === 'ArrowLeft' ? Math.max(0, at - 1) : Math.min(visible.length - 1, at + 1)];
        if (to !== undefined) editing.onActiveColumn(to);
        if (from < 0) move(first ?? 0);
        break;
      }
      case 'F2':
      case 'Enter': {
        const row = rows[selectedIndex];
        if (!row) break;
        const info = editing ? columns.find((c) => c.name === editing.activeColumn) : undefined;
        if (editing && info && editing.canEdit(info)) editing.onStartEdit(row, info);
        else if (e.key === 'Enter') onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

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
  const ariaFirst = firstIndex - next.low + 2;
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
      aria-activedescendant={
        selectedRendered ? (editing?.activeColumn !== undefined ? `${rowDomId(selectedIndex)}-${editing.activeColumn}` : rowDomId(selectedIndex)) : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={scrolled ? undefined : () => setScrolled(true)}
      style={{ '--grid-columns': template } as CSSProperties}
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
      <div
        role="rowgroup"
        className="grid__body"
        style={{ height: virtualizer.getTotalSize(), width: totalWidth }}
        onClick={(e) => {
          const row = rowAt(e);
          if (row) onSelect(row);
          const info = editing ? columnAt(e) : undefined;
          if (row && info) editing?.onActiveColumn(info.name);
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
              note={rowNote?.(row)}
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
