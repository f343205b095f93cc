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
}

/**
 * The grid's header row: one column header per visible column, with its sort state (aria-sort),
 * a sort button when the column can sort (the key or an indexed column), its type, and a resizer.
 */
export function GridHeader({ headers, totalWidth, sort, keyColumn, canSort, onSort }: GridHeaderProps) {
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
  );
}
