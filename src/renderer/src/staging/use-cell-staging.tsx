import { useCallback, useMemo, useState } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import type { TableDescription } from '../../../shared/contract';
import type { CellEditing, CellMark, EditingCell } from '../grid/cell-editing';
import { asField, useViewAs } from '../view-as/view-as-store';
import { CellEditor } from './CellEditor';
import { inConflict, rowConflicts } from './row-conflicts';
import { useStaged } from './staging-store';
import { stageRecorded } from './history-store';
import { ownValue } from '../../../shared/own-keys';

/** Columns edited in place: the table's own, not the key (stream rows never change). */
function editableColumn(description: TableDescription, column: ColumnInfo): boolean {
  return description.kind !== 'stream' && !column.name.startsWith('_') && !column.primaryKey;
}

/**
 * Inline editing for a data table's grid: which cell is active and being edited, marks on staged
 * cells (staged or in conflict), and the editor that stages a value into the staging store.
 */
export function useCellStaging(description: TableDescription, rows: readonly Row[], writable: boolean) {
  const table = description.table;
  const viewAs = useViewAs();
  const { changes, problems } = useStaged(table);
  const [activeColumn, setActiveColumn] = useState<string | undefined>();
  const [editingCell, setEditingCell] = useState<EditingCell | undefined>();

  const conflicts = useMemo(() => rowConflicts(changes, rows), [changes, rows]);
  // Row key → its marked cells. A row's map is rebuilt only when the changes are, so unchanged
  // rows of the grid keep their memoized rendering.
  const marks = useMemo(() => {
    const map = new Map<string, Map<string, CellMark>>();
    for (const c of changes) {
      if (c.newRow) continue;
      const row = map.get(c.rowKey) ?? new Map<string, CellMark>();
      row.set(c.column, { value: c.value, state: inConflict(c.rowKey, conflicts, problems) ? 'conflict' : 'staged' });
      map.set(c.rowKey, row);
    }
    return map;
  }, [changes, conflicts, problems]);

  const rowMarks = useCallback((rowKey: string) => marks.get(rowKey), [marks]);
  const canEdit = useCallback((c: ColumnInfo) => writable && editableColumn(description, c), [writable, description]);

  // Each edit is a step of the table's edit history (Ctrl/Cmd+Z takes it back).
  const stage = useCallback(
    (row: Row, column: ColumnInfo, value: unknown) =>
      stageRecorded(
        table,
        [
          {
            table,
            rowKey: row.key,
            column: column.name,
            value,
            original: ownValue(row.values, column.name),
            baseVersion: row.version,
            as: asField(viewAs).as,
          },
        ],
        `Edit ${column.name} of row ${row.key}`,
      ),
    [table, viewAs],
  );

  const renderEditor = useCallback(
    (row: Row, column: ColumnInfo) => {
      const mark = marks.get(row.key)?.get(column.name);
      const done = () => setEditingCell(undefined);
      return (
        <CellEditor
          column={column}
          rowKey={row.key}
          value={mark ? mark.value : ownValue(row.values, column.name)}
          onCancel={done}
          onCommit={(value) => {
            stage(row, column, value);
            done();
          }}
        />
      );
    },
    [marks, stage],
  );

  const editing = useMemo<CellEditing>(
    () => ({
      activeColumn,
      onActiveColumn: setActiveColumn,
      canEdit,
      editingCell,
      onStartEdit: (row, column) => setEditingCell({ rowKey: row.key, column: column.name }),
      renderEditor,
      stage,
      rowMarks,
    }),
    [activeColumn, canEdit, editingCell, renderEditor, stage, rowMarks],
  );
  return { editing, conflicts };
}
