import { memo, type ReactNode } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import type { CellMark } from './cell-editing';
import { ownValue } from '../../../shared/own-keys';
import { formatCell } from './cell-format';

/** A visible column as a row draws it. */
export interface RowColumn {
  readonly info: ColumnInfo;
  /** The cell's classes for this column (computed once per column, not per cell). */
  readonly className: string;
}

interface GridRowProps {
  row: Row;
  columns: readonly RowColumn[];
  /** The row's index in the result: its DOM id and `data-index` (stable while pages come and go). */
  index: number;
  domId: string;
  ariaIndex: number;
  /** px from the top of the body. */
  top: number;
  odd: boolean;
  /** The current row (Enter opens it, the details show it). */
  selected: boolean;
  /** In the multi-row selection (aria-selected); undefined where the grid selects one row: the current one. */
  inSelection?: boolean | undefined;
  /** Inline editing (data tables): the active cell of the selected row, staged marks, the open editor. */
  activeColumn?: string | undefined;
  marks?: ReadonlyMap<string, CellMark> | undefined;
  editor?: { column: string; node: ReactNode } | undefined;
  /** A short status of the row ("deleted"): a badge after its first cell's text, and the row is dimmed. */
  note?: string | undefined;
  /** What a live change last did to the row: `data-change`, styled by the view that shows live rows. */
  change?: string | undefined;
}

/**
 * One body row: a cell per visible column, one element per cell (two more only for a boolean's
 * spoken form). Memoized: scrolling renders only the rows that come into view.
 */
export const GridRow = memo(function GridRow({
  row,
  columns,
  index,
  domId,
  ariaIndex,
  top,
  odd,
  selected,
  inSelection,
  activeColumn,
  marks,
  editor,
  note,
  change,
}: GridRowProps) {
  return (
    <div
      id={domId}
      role="row"
      data-index={index}
      aria-rowindex={ariaIndex}
      aria-selected={inSelection ?? selected}
      data-change={change}
      className={`grid__row${selected ? ' grid__row--selected' : ''}${inSelection ? ' grid__row--marked' : ''}${odd ? ' grid__row--odd' : ''}${note ? ' grid__row--noted' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      {columns.map((c, i) => {
        const name = c.info.name;
        if (editor?.column === name) {
          return (
            <div key={name} id={`${domId}-${name}`} role="gridcell" aria-colindex={i + 1} className={`${c.className} grid__cell--editing`}>
              {editor.node}
            </div>
          );
        }
        const mark = marks?.get(name);
        // Own properties only: a column may be named like a property every object has ("constructor").
        const cell = formatCell(c.info.type, mark ? mark.value : ownValue(row.values, name));
        const active = activeColumn === name;
        return (
          <div
            key={name}
            // Cell ids only where aria-activedescendant may point: the selected row's cells, when editing.
            id={activeColumn !== undefined ? `${domId}-${name}` : undefined}
            role="gridcell"
            aria-colindex={i + 1}
            aria-selected={activeColumn !== undefined ? active : undefined}
            className={`${c.className} cell--${cell.kind}${mark ? ` grid__cell--${mark.state}` : ''}${active ? ' grid__cell--active' : ''}`}
            title={cell.title}
          >
            {mark ? <span className="visually-hidden">{mark.state === 'conflict' ? 'In conflict, staged: ' : 'Staged: '}</span> : null}
            {cell.spoken ? (
              <>
                <span aria-hidden="true" className={`cell--${cell.spoken}`}>
                  {cell.text}
                </span>
                <span className="visually-hidden">{cell.spoken}</span>
              </>
            ) : (
              cell.text
            )}
            {note && i === 0 ? (
              <>
                {' '}
                <span className="badge badge--muted grid__note">{note}</span>
              </>
            ) : null}
          </div>
        );
      })}
    </div>
  );
});
