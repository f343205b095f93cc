import type { ReactNode } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';

/** A cell whose value on screen is not the stored one: a staged edit, possibly in conflict. */
export interface CellMark {
  value: unknown;
  state: 'staged' | 'conflict';
}

export interface EditingCell {
  rowKey: string;
  column: string;
}

/**
 * What the grid needs for in-place cell editing (data tables): an active column moved with ←/→,
 * Enter / F2 / double-click to edit a cell, the editor to render there, and marks on edited cells.
 */
export interface CellEditing {
  activeColumn: string | undefined;
  onActiveColumn: (column: string) => void;
  canEdit: (column: ColumnInfo) => boolean;
  editingCell: EditingCell | undefined;
  onStartEdit: (row: Row, column: ColumnInfo) => void;
  renderEditor: (row: Row, column: ColumnInfo) => ReactNode;
  /** Stages a value for a cell without the editor (the context menu's Set NULL). */
  stage: (row: Row, column: ColumnInfo, value: unknown) => void;
  /** The marked cells of a row (column → mark), undefined when none: the same map while unchanged. */
  rowMarks: (rowKey: string) => ReadonlyMap<string, CellMark> | undefined;
}
