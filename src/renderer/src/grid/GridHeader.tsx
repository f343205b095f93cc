import type { Header } from '@tanstack/react-table';
import type { ColumnInfo, Row, Sort } from '../../../shared/browse';
import type { GridFeatures } from './grid-columns';
import { HEADER_HEIGHT } from './use-grid-virtualizer';

function ariaSort(column: ColumnInfo, sort: Sort | undefined, keyColumn: string | undefined): 'ascending' | 'descending' | undefined {
  if (sort?.column === column.name) return sort.order === 'asc' ? 'ascending' : 'descending';
  // Without a sort the engine returns key order.
  if (!sort && column.name === keyColumn) return 'ascending';
  return undefined;
}

interface GridHeaderProps {
  headers: readonly Header<GridFeatures, Row, unknown>[];
  totalWidth: number;
  sort: Sort | undefined;
  keyColumn: string | undefined;
  canSort: (column: ColumnInfo) => boolean;
  onSort: (column: ColumnInfo) => void;
  /** A column's width set from the keyboard (its separator's ←→). */
  onResize: (column: string, width: number) => void;
  /** Fits a column to its content (double-click or Enter on its separator). */
  onAutoFit: (column: string) => void;
}

/** px a column grows or shrinks per arrow key (Shift: four times that). */
const RESIZE_STEP = 16;

/**
 * The grid's header row: one column header per visible column, with its sort state (aria-sort),
 * a sort button when the column can sort (the key or an indexed column), its type, and a resizer.
 */
export function GridHeader({ headers, totalWidth, sort, keyColumn, canSort, onSort, onResize, onAutoFit }: GridHeaderProps) {
  return (
    <div role="rowgroup" className="grid__head" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
      <div role="row" className="grid__row grid__row--head" aria-rowindex={1}>
        {headers.map((header, i) => {
          const info = header.column.columnDef.meta?.info;
          if (!info) return null;
          const sortable = canSort(info);
          const dir = ariaSort(info, sort, keyColumn);
          return (
            <div
              key={header.id}
              role="columnheader"
              // Named by the column alone: its resizer's label is not part of the header's name.
              aria-label={info.name}
              aria-colindex={i + 1}
              aria-sort={dir}
              className={`grid__header${info.primaryKey ? ' grid__header--key' : ''}${header.column.getIsResizing() ? ' grid__header--resizing' : ''}`}
            >
              {sortable ? (
                <button
                  type="button"
                  className="grid__sort"
                  title={`Sort by ${info.name}${info.index ? ` (index ${info.index})` : ''}`}
                  onClick={() => onSort(info)}
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
              <ColumnResizer header={header} name={info.name} onResize={onResize} onAutoFit={onAutoFit} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * A column's resizer: dragged with the mouse or touch, and a focusable separator for the keyboard
 * (←→ resize, Enter fits the content, as double-click does). Its value is the width in px.
 */
function ColumnResizer({
  header,
  name,
  onResize,
  onAutoFit,
}: {
  header: Header<GridFeatures, Row, unknown>;
  name: string;
  onResize: (column: string, width: number) => void;
  onAutoFit: (column: string) => void;
}) {
  const width = header.getSize();
  const { minSize, maxSize } = header.column.columnDef;
  return (
    <div
      className="grid__resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of ${name}`}
      aria-valuenow={width}
      aria-valuemin={minSize}
      aria-valuemax={maxSize}
      aria-valuetext={`${width} pixels`}
      title="Drag to resize, double-click to fit the content"
      tabIndex={0}
      onMouseDown={header.getResizeHandler()}
      onTouchStart={header.getResizeHandler()}
      onDoubleClick={() => onAutoFit(header.column.id)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? RESIZE_STEP * 4 : RESIZE_STEP;
        if (e.ctrlKey || e.metaKey || e.altKey) return;
        if (e.key === 'ArrowLeft') onResize(header.column.id, width - step);
        else if (e.key === 'ArrowRight') onResize(header.column.id, width + step);
        else if (e.key === 'Enter') onAutoFit(header.column.id);
        else return;
        // The grid's own keys (rows, cells) are not for the separator.
        e.preventDefault();
        e.stopPropagation();
      }}
    />
  );
}
