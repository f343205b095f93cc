import type { ColumnVisibilityState } from '@tanstack/react-table';
import { useState } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { DataGrid, type DataGridProps } from '../grid/DataGrid';

const noSort = () => false;
const ignore = () => undefined;

/** Reading further into a result: present while it has pages left to read. */
export interface ResultPaging {
  readonly hasNext: boolean;
  readonly fetching: boolean;
  readonly fetchNext: () => void;
}

/**
 * A result's rows in the project's virtual grid: unsortable (the statement's ORDER BY decides), one
 * selected row, columns the user may hide. Without `paging` every row is already there.
 */
export function SqlRowsGrid({
  label,
  columns,
  rows,
  paging,
  rowChange,
  rowNote,
}: {
  label: string;
  columns: ColumnInfo[];
  rows: Row[];
  paging?: ResultPaging | undefined;
  rowChange?: DataGridProps['rowChange'];
  rowNote?: DataGridProps['rowNote'];
}) {
  const [visibility, setVisibility] = useState<ColumnVisibilityState>({});
  const [selected, setSelected] = useState<string | undefined>(undefined);
  return (
    <DataGrid
      label={label}
      columns={columns}
      rows={rows}
      firstIndex={0}
      columnVisibility={visibility}
      onColumnVisibilityChange={setVisibility}
      sort={undefined}
      onSort={ignore}
      canSort={noSort}
      selectedKey={selected}
      onSelect={(row) => setSelected(row.key)}
      onOpen={(row) => setSelected(row.key)}
      totalRows={paging?.hasNext ? undefined : rows.length}
      hasNextPage={paging?.hasNext ?? false}
      hasPreviousPage={false}
      isFetchingNextPage={paging?.fetching ?? false}
      isFetchingPreviousPage={false}
      fetchNextPage={paging?.fetchNext ?? ignore}
      fetchPreviousPage={ignore}
      rowChange={rowChange}
      rowNote={rowNote}
    />
  );
}
