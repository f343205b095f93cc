import type { Virtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent, RefObject } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import type { CellEditing } from './cell-editing';
import type { RowColumn } from './GridRow';
import { HEADER_HEIGHT, ROW_HEIGHT } from './use-grid-virtualizer';

export interface GridKeyboardOptions {
  rows: readonly Row[];
  columns: readonly ColumnInfo[];
  /** The visible columns, in order (←→ move the active cell along them). */
  rowColumns: readonly RowColumn[];
  /** Index of the selected row in `rows`, -1 for none. */
  selectedIndex: number;
  /** Index of the first rendered row (where ↑↓ start without a selection). */
  first: number | undefined;
  scrollRef: RefObject<HTMLDivElement | null>;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  onSelect: (row: Row) => void;
  /** Shift+arrows, Page Up/Down, Home/End: extend the selection to the row moved to (multi-row grids). */
  onExtend?: ((row: Row) => void) | undefined;
  onOpen: (row: Row) => void;
  editing: CellEditing | undefined;
  hasPreviousPage: boolean;
  isFetchingPreviousPage: boolean;
  fetchPreviousPage: () => void;
}

/**
 * The grid's keyboard (an ARIA grid): arrows, Page Up/Down, Home/End move the selected row and
 * scroll it into view; ←→ move the active cell when cells can be edited; Enter opens the row, or
 * with F2 edits the active cell. Returns the grid's keydown handler.
 */
export function useGridKeyboard(options: GridKeyboardOptions): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { rows, columns, rowColumns, selectedIndex, first, scrollRef, virtualizer, onSelect, onOpen, editing } = options;

  function move(to: number, extend = false): void {
    if (rows.length === 0) return;
    const index = Math.max(0, Math.min(rows.length - 1, to));
    const row = rows[index];
    if (!row) return;
    if (extend && options.onExtend) options.onExtend(row);
    else onSelect(row);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    if (index === 0 && options.hasPreviousPage && !options.isFetchingPreviousPage) options.fetchPreviousPage();
  }

  return function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.target !== e.currentTarget) return;
    // Chords (Ctrl/Cmd+Enter, Ctrl/Cmd+F…) are the view's shortcuts, not grid moves.
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 300) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const from = selectedIndex;
    // Shift with a move extends the selection from its anchor.
    const extend = e.shiftKey;
    switch (e.key) {
      case 'ArrowDown':
        move(from < 0 ? (first ?? 0) : from + 1, extend);
        break;
      case 'ArrowUp':
        move(from < 0 ? (first ?? 0) : from - 1, extend);
        break;
      case 'PageDown':
        move(from < 0 ? page : from + page, extend);
        break;
      case 'PageUp':
        move(from - page, extend);
        break;
      case 'Home':
        move(0, extend);
        break;
      case 'End':
        move(rows.length - 1, extend);
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
  };
}
