import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorCode, errorMessage, issuesByIndex } from '../api/errors';
import { useReadOnly } from '../app/engine';
import { Alert } from '../components/Alert';
import { ContextMenu } from '../components/ContextMenu';
import { useToast } from '../components/toast-context';
import { routeHref } from '../app/routes';
import { editableTable } from '../editor/editable';
import { EntityActions, type EntityDialog } from '../editor/EntityActions';
import { DataRowActions, type DataTableDescription, type RowDialog } from '../data-rows/DataRowActions';
import { TableDdlActions } from '../ddl/TableDdlActions';
import { PendingChangesBar } from '../staging/PendingChangesBar';
import { useCellStaging } from '../staging/use-cell-staging';
import { TableJobButtons } from '../jobs/TableJobButtons';
import { useViewShortcuts } from '../palette/use-view-shortcuts';
import { asField, describeViewAs, useViewAs, viewAsValue } from '../view-as/view-as-store';
import type { ColumnInfo, Filter, QuickSearch as QuickSearchRequest, Row } from '../../../shared/browse';
import type { TableDescription } from '../../../shared/contract';
import { countOf } from './cell-format';
import { cellMenuItems } from './cell-menu';
import { ColumnChooser } from './ColumnChooser';
import { DataGrid } from './DataGrid';
import { FilterBar } from './FilterBar';
import { describeFilters } from './filters';
import { QuickSearch } from './QuickSearch';
import { SavedFilters } from './SavedFilters';
import { GoToKey } from './GoToKey';
import { RowCount, useTotalRows } from './RowCount';
import { RowDetails, useDetailsWidth } from './RowDetails';
import { useColumnVisibility } from './use-column-visibility';
import { describeOptions, firstRowsOptions, isListedTable } from './open-table';
import { useRowPages } from './use-row-pages';
import { defaultSort } from './browse-view';
import { useKeepTabView, useTabBrowseView } from './tab-view';
import { useColumnWidths } from './use-column-widths';
import { ExportDialog } from '../io/ExportDialog';
import { ImportDialog } from '../io/ImportDialog';
import { type CopyFormat, copyText } from './row-copy';
import { planPaste } from '../io/paste-cells';
import { stagingStore } from '../staging/staging-store';
import { stageRecorded } from '../staging/history-store';
import { EditHistoryControls } from '../staging/EditHistoryControls';
import { newRowKey, nextNewRow, type StageInput } from '../staging/staged-changes';
import { ownValue } from '../../../shared/own-keys';
import { useRowSelection } from './use-row-selection';

/** Browses one table: describes it, then shows the grid with its toolbars. */
export function TableBrowser({ table, initialKey }: { table: string; initialKey?: string }) {
  const viewAs = useViewAs();
  const description = useQuery(describeOptions(table));
  // The first page of rows is asked for with the description, not after it (one round trip), when
  // the table is known to be there and readable; otherwise once the description says so. The view
  // is drawn once both are in: one render and one layout with the rows, not an empty grid first.
  // This observer lets go of the query once the view shows (`subscribed`), so a "go to key" page
  // (gcTime 0) is still forgotten when nothing shows it.
  const queryClient = useQueryClient();
  const [shown, setShown] = useState(false);
  const canFetchRows = description.isSuccess ? description.data.canRead : isListedTable(queryClient, table);
  const firstRows = useInfiniteQuery({ ...firstRowsOptions(table, initialKey), enabled: canFetchRows, subscribed: !shown });
  const rowsSettled = !firstRows.isPending || firstRows.isError || (description.isSuccess && !canFetchRows);
  if (!shown && description.isSuccess && rowsSettled) setShown(true);
  if (description.isPending || (description.isSuccess && !shown && !rowsSettled)) {
    return (
      <div className="view view--padded">
        <p className="muted" role="status">
          Loading {table}…
        </p>
      </div>
    );
  }
  if (description.isError) {
    return (
      <div className="view view--padded">
        <h1 className="view__title">{table}</h1>
        {errorCode(description.error) === 'ACCESS_DENIED' ? (
          <Alert kind="warning" title="No access">
            Viewed as {describeViewAs(viewAs)}, this table cannot be read: {errorMessage(description.error)}. Pick another subject in “View as” to see it.
          </Alert>
        ) : (
          <Alert kind="error" title={errorCode(description.error) === 'NOT_FOUND' ? 'No such table' : 'The table could not be opened'}>
            {errorMessage(description.error)}
          </Alert>
        )}
      </div>
    );
  }
  if (!description.data.canRead) {
    return (
      <div className="view view--padded">
        <h1 className="view__title">{table}</h1>
        <Alert kind="warning" title="No access">
          Viewed as {describeViewAs(viewAs)}, this table cannot be read
          {description.data.kind === 'shared' ? ` (its access level is ${description.data.access})` : ''}. Pick another subject in “View as” to see it.
        </Alert>
      </div>
    );
  }
  // Another subject sees other rows: its view starts afresh (no selection, seek or sort of the last one).
  return <Browser key={viewAsValue(viewAs)} description={description.data} {...(initialKey !== undefined ? { initialKey } : {})} />;
}

/** The description of a data table (one with a definition), or undefined for system tables. */
function dataTable(description: TableDescription): DataTableDescription | undefined {
  return description.kind !== 'system' && description.definition ? (description as DataTableDescription) : undefined;
}

function Browser({ description, initialKey }: { description: TableDescription; initialKey?: string }) {
  const table = description.table;
  const columns = description.columns;
  const keyColumn = description.keyColumns[0] ?? columns.find((c) => c.primaryKey)?.name;
  const editable = useMemo(() => editableTable(description), [description]);
  const data = dataTable(description);
  const readOnly = useReadOnly();
  const viewAs = useViewAs();
  const [rowDialog, setRowDialog] = useState<RowDialog | undefined>();
  const [dialog, setDialog] = useState<EntityDialog | undefined>();
  const [detailsOpen, setDetailsOpen] = useState(true);
  const [detailsWidth, setDetailsWidth] = useDetailsWidth();
  const [ioDialog, setIoDialog] = useState<'export' | 'import' | undefined>();
  const toast = useToast();
  const [visibility, setVisibility] = useColumnVisibility(table);
  /** Rows on the clipboard, their shown columns in one of the copy formats (Ctrl/Cmd+C). */
  const copyRows = (format: CopyFormat, copied: readonly Row[]) => {
    const shownColumns = columns.filter((c) => visibility[c.name] !== false);
    const what = copied.length === 1 ? '1 row' : `${copied.length} rows`;
    const values = copied.map((r) => r.values);
    const text = copyText(format, table, shownColumns, values);
    navigator.clipboard.writeText(text).then(
      () => toast.show({ kind: 'info', message: `Copied ${what} (${format === 'insert' ? 'INSERT' : format.toUpperCase()})` }),
      (err: unknown) => toast.error(err, `${what} could not be copied`),
    );
  };
  const { view, dispatch, scrollTop: keptScroll, widths: keptWidths, openedAt } = useTabBrowseView(table, viewAsValue(viewAs), initialKey, defaultSort(table));
  const { sort, filters, search, seek, selected } = view;
  const setSelected = useCallback((row: Row | undefined) => dispatch({ type: 'select', row }), [dispatch]);

  const { query, rows, scanned, firstIndex } = useRowPages({
    table,
    filters,
    ...(search ? { search } : {}),
    ...(sort ? { sort } : {}),
    ...(seek !== undefined ? { seek } : {}),
  });
  const total = useTotalRows(table);
  const writable = data !== undefined && description.canWrite && !readOnly;
  const { editing, conflicts } = useCellStaging(description, rows, writable);
  /**
   * A TSV block pasted on the grid: staged cell edits from the selected row and active cell on,
   * reviewed and applied like typed ones; lines past the table's last row are staged new rows. One
   * step of the edit history.
   */
  const pasteCells = (text: string) => {
    const shownColumns = columns.filter((c) => visibility[c.name] !== false);
    const startRow = selectedRow ? rows.findIndex((r) => r.key === selectedRow.key) : -1;
    const active = editing.activeColumn ?? shownColumns.find((c) => editing.canEdit(c))?.name;
    const startColumn = shownColumns.findIndex((c) => c.name === active);
    if (!writable) return toast.show({ kind: 'error', message: 'This table cannot be edited here: nothing was pasted.' });
    if (startRow < 0 || startColumn < 0) return toast.show({ kind: 'error', message: 'Select the cell to paste into first.' });
    // New rows only below the table's real end (not below a page still to load), for tables whose rows are made here.
    const defined = new Set(data?.definition.columns.map((c) => c.name) ?? []);
    const owned = data?.kind === 'user';
    const newRows = data && data.kind !== 'stream' && !query.hasNextPage ? (c: ColumnInfo) => defined.has(c.name) || (owned && c.name === '_user') : undefined;
    const { cells, newRows: added, problems } = planPaste(text, { rows, columns: shownColumns, startRow, startColumn, canEdit: editing.canEdit, newRows });
    const as = asField(viewAs).as;
    const inputs: StageInput[] = cells.map(({ row, column, value }) => ({
      table,
      rowKey: row.key,
      column: column.name,
      value,
      original: ownValue(row.values, column.name),
      baseVersion: row.version,
      as,
    }));
    let n = nextNewRow(stagingStore.get().staged.get(table) ?? []);
    for (const { fields } of added) {
      const rowKey = newRowKey(n++);
      for (const { column, value } of fields) inputs.push({ table, rowKey, column: column.name, value, original: null, baseVersion: '', as, newRow: true });
    }
    const newCount = added.length === 1 ? '1 new row' : `${added.length} new rows`;
    const label = `Paste ${cells.length === 1 ? '1 cell' : `${cells.length} cells`}${added.length > 0 ? ` and ${newCount}` : ''}`;
    stageRecorded(table, inputs, label);
    const staged = `Pasted ${cells.length === 1 ? '1 cell' : `${cells.length} cells`}${added.length > 0 ? ` and ${newCount}` : ''} as staged edits`;
    toast.show(
      problems.length
        ? { kind: 'error', message: `${staged}; left out: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}` }
        : { kind: 'info', message: `${staged}.` },
    );
  };

  // Keep the selection's values fresh when pages are refetched; drop it when the row is gone.
  const selectedRow = useMemo(() => (selected ? (rows.find((r) => r.key === selected.key) ?? selected) : undefined), [rows, selected]);
  // Several rows may be selected (Shift, Ctrl/Cmd): copy and delete act on them all.
  const { selection, selectedRows, onSelect: selectOne } = useRowSelection(rows, selectedRow, setSelected);

  // Rows that can no longer change (deleted users) are marked in the grid.
  const rowNote = useMemo(() => (editable ? (row: Row) => editable.retired(row.values)?.label : undefined), [editable]);

  const canSort = useCallback((c: ColumnInfo) => (c.primaryKey && c.name === keyColumn) || c.index !== undefined, [keyColumn]);
  const onSort = useCallback((c: ColumnInfo) => dispatch({ type: 'sortBy', column: c.name, keyColumn }), [dispatch, keyColumn]);
  const widths = useColumnWidths(table, columns, rows, canSort, keptWidths);
  const onSeek = (key: string | undefined) => dispatch({ type: 'seek', key, keyColumn });
  // A new row may be anywhere in key order: go to it, and say so beside the anchor.
  const showCreated = (key: string) => dispatch({ type: 'seek', key, keyColumn, reason: 'created' });

  // After "go to key", select the row the page starts at (the first row of the page fetched
  // without a cursor), so it is highlighted and Enter opens it.
  const { seekPending } = view;
  useEffect(() => {
    if (!seekPending || !query.data) return;
    const at = query.data.pageParams.findIndex((p) => (p as { cursor?: string }).cursor === undefined);
    dispatch({ type: 'seekLanded', row: at >= 0 ? query.data.pages[at]?.rows[0] : undefined });
  }, [seekPending, query.data, dispatch]);

  const applyFilters = (next: Filter[]) => dispatch({ type: 'filter', filters: next });
  // Filters set from outside the filter bar (the context menu) give it a new start.
  const [filterEpoch, setFilterEpoch] = useState(0);
  const [menu, setMenu] = useState<{ row: Row; column: ColumnInfo; at: { x: number; y: number } } | undefined>();
  const menuItems = menu
    ? cellMenuItems({
        table,
        columns: columns.filter((c) => visibility[c.name] !== false),
        row: menu.row,
        selection: selectedRows.some((r) => r.key === menu.row.key) ? selectedRows : [menu.row],
        column: menu.column,
        editing: data ? editing : undefined,
        filters,
        onFilters: (next) => {
          applyFilters(next);
          setFilterEpoch((n) => n + 1);
        },
        copy: (text, what) =>
          void navigator.clipboard.writeText(text).then(
            () => toast.show({ kind: 'success', message: `Copied ${what}.` }),
            (e: unknown) => toast.error(e, 'Could not copy'),
          ),
        go: (route) => {
          window.location.hash = routeHref(route);
        },
      })
    : [];

  const onOpen = useCallback(
    (row: Row) => {
      setSelected(row);
      if (editable) setDialog({ mode: 'edit', key: row.key });
      else if (writable && description.kind !== 'stream') setRowDialog({ mode: 'edit', key: row.key });
      else setDetailsOpen(true);
    },
    [editable, writable, description.kind, setSelected],
  );

  // Problems the engine found in the filters, by filter index.
  const filterErrors = useMemo(() => issuesByIndex(query.error, ['request', 'filters']), [query.error]);

  // Keys of the view (Delete, Ctrl/Cmd+Enter, Ctrl/Cmd+F) press the buttons that declare them.
  const viewRef = useRef<HTMLDivElement>(null);
  useViewShortcuts(viewRef);
  // Opening a table puts the keyboard in its grid (not 19 Tabs away).
  useEffect(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && viewRef.current?.contains(active)) return;
    viewRef.current?.querySelector<HTMLElement>('[role="grid"]')?.focus({ preventScroll: true });
  }, []);

  // The details panel takes room only while it has a row to show.
  const showDetails = detailsOpen && selectedRow !== undefined;
  const unfiltered = filters.length === 0 && search === undefined && seek === undefined;
  const narrowed = filters.length > 0 || search !== undefined;
  const totalRows = unfiltered ? total : undefined;
  const gridKey = JSON.stringify({ sort, filters, search, seek });
  useKeepTabView(table, viewAsValue(viewAs), openedAt, view, widths.fitted, viewRef, gridKey, keptScroll);

  return (
    <div className="view view--browser" ref={viewRef}>
      <header className="view__header">
        <BrowserHeading description={description} data={data} readOnlyTable={!editable && !data} />
        {data ? (
          <div className="view__actions">
            <DataRowActions
              description={data}
              selectedKey={selectedRow?.key}
              selectedRows={selectedRows}
              readOnly={readOnly}
              dialog={rowDialog}
              onDialog={setRowDialog}
              onSaved={(row, mode) => {
                if (mode === 'edit') setSelected(row.row);
                else showCreated(row.row.key);
              }}
              onDeleted={(key) => {
                if (selectedRow?.key === key) setSelected(undefined);
              }}
            />
            {data.kind === 'shared' || data.kind === 'user' ? <TableJobButtons table={table} /> : null}
            <TableDdlActions description={data} />
          </div>
        ) : editable ? (
          <EntityActions
            editable={editable}
            selectedKey={selectedRow?.key}
            selectedValues={selectedRow?.values}
            readOnly={readOnly}
            dialog={dialog}
            onDialog={setDialog}
            onSaved={(row, mode) => {
              // An edited row is in view; a new one is gone to.
              if (mode === 'edit') setSelected(row.row);
              else showCreated(row.row.key);
            }}
            onDeleted={(key) => {
              if (selectedRow?.key === key) setSelected(undefined);
            }}
          />
        ) : null}
      </header>

      <div className="browser-bar">
        <GoToKey
          keyLabel={keyColumn ?? 'key'}
          seek={seek}
          reason={view.seekReason}
          missed={view.seekMissed && !view.seekPending && rows.length > 0}
          onSeek={onSeek}
        />
        <div className="browser-bar__spacer" />
        {sort ? (
          <span className="chip">
            Sorted by {sort.column} {sort.order === 'asc' ? '▲' : '▼'}
            <button type="button" className="chip__remove" aria-label="Clear sort" onClick={() => dispatch({ type: 'clearSort' })}>
              <span aria-hidden="true">×</span>
            </button>
          </span>
        ) : null}
        {data ? <EditHistoryControls description={data} readOnly={readOnly || !description.canWrite} /> : null}
        <ColumnChooser columns={columns} visibility={visibility} onChange={setVisibility} />
        <button type="button" className="button button--small" aria-pressed={detailsOpen} onClick={() => setDetailsOpen((o) => !o)}>
          Row details
        </button>
        <button type="button" className="button button--small" onClick={() => setIoDialog('export')}>
          Export…
        </button>
        {data && (data.kind === 'shared' || data.kind === 'user') ? (
          <button
            type="button"
            className="button button--small"
            disabled={!writable}
            title={
              writable ? 'Import rows from a CSV, TSV, JSON Lines or Parquet file' : readOnly ? 'Read-only mode is on' : 'This subject may not write this table'
            }
            onClick={() => setIoDialog('import')}
          >
            Import…
          </button>
        ) : null}
        <button type="button" className="button button--small" onClick={() => void query.refetch()} disabled={query.isFetching}>
          Refresh
        </button>
      </div>

      <div className="filter-row">
        <FilterBar key={filterEpoch} columns={columns} applied={filters} onApply={applyFilters} serverErrors={filterErrors} />
        <SavedFilters
          table={table}
          applied={filters}
          onApply={(next) => {
            applyFilters(next);
            setFilterEpoch((n) => n + 1);
          }}
        />
        <QuickSearch
          columns={columns.filter((c) => c.type === 'text' && visibility[c.name] !== false)}
          onSearch={(next) => dispatch({ type: 'search', search: next })}
          initial={search?.text}
        />
      </div>

      {query.isError && filterErrors.size === 0 ? (
        <Alert kind="error" title={errorCode(query.error) === 'ACCESS_DENIED' ? `No access as ${describeViewAs(viewAs)}` : 'Rows could not be loaded'}>
          {errorMessage(query.error)}
        </Alert>
      ) : null}

      {data ? <PendingChangesBar table={table} conflicts={conflicts} readOnly={readOnly || !description.canWrite} /> : null}

      <div className={`browser-body${showDetails ? ' browser-body--details' : ''}`}>
        <div
          className="browser-grid"
          onPaste={(e) => {
            if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
            const text = e.clipboardData.getData('text/plain');
            if (!text) return;
            e.preventDefault();
            pasteCells(text);
          }}
          onKeyDown={(e) => {
            // Ctrl/Cmd+C on the grid copies the selected rows as TSV (with its header), for spreadsheets.
            if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'c' || e.altKey || e.shiftKey) return;
            if (selectedRows.length === 0 || (e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
            if (window.getSelection()?.toString()) return;
            e.preventDefault();
            copyRows('tsv', selectedRows);
          }}
        >
          <DataGrid
            key={gridKey}
            label={`Rows of ${table}`}
            columns={columns}
            rows={rows}
            firstIndex={firstIndex}
            columnVisibility={visibility}
            onColumnVisibilityChange={setVisibility}
            sort={sort}
            onSort={onSort}
            canSort={canSort}
            selectedKey={selectedRow?.key}
            rowNote={rowNote}
            onSelect={selectOne}
            selection={selection}
            onOpen={onOpen}
            totalRows={totalRows}
            hasNextPage={query.hasNextPage}
            hasPreviousPage={query.hasPreviousPage}
            isFetchingNextPage={query.isFetchingNextPage}
            isFetchingPreviousPage={query.isFetchingPreviousPage}
            fetchNextPage={() => void query.fetchNextPage()}
            fetchPreviousPage={() => void query.fetchPreviousPage()}
            {...(data ? { editing } : {})}
            onCellMenu={(row, column, at) => setMenu({ row, column, at })}
            columnSizing={widths.sizing}
            onColumnSizingChange={widths.onSizingChange}
            onAutoFit={widths.autoFit}
          />
          {menu ? (
            <ContextMenu label={`Actions of ${menu.column.name} in row ${menu.row.key}`} items={menuItems} at={menu.at} onClose={() => setMenu(undefined)} />
          ) : null}
          {query.isPending ? (
            <div className="grid-overlay" role="status">
              Loading rows…
            </div>
          ) : rows.length === 0 && query.isFetching && narrowed ? (
            <div className="grid-overlay" role="status">
              Searching… {countOf(scanned, 'row')} examined
            </div>
          ) : rows.length === 0 && !query.isError && !query.isFetching ? (
            <div className="grid-overlay" role="status">
              {filters.length > 0
                ? 'No rows match these filters.'
                : search
                  ? `No rows contain “${search.text}”.`
                  : seek !== undefined
                    ? `No rows at or after “${seek}”.`
                    : 'This table is empty.'}
            </div>
          ) : null}
        </div>
        {showDetails && selectedRow ? (
          <RowDetails row={selectedRow} columns={columns} width={detailsWidth} onWidth={setDetailsWidth} onClose={() => setDetailsOpen(false)} />
        ) : null}
      </div>

      <GridStatus
        loaded={rows.length}
        selected={selectedRows.length}
        query={query}
        filters={narrowed ? describeSearch(filters, search, columns) : undefined}
        scanned={scanned}
        hint={
          writable
            ? '↑↓ rows · ←→ cells · Enter or double-click edits a cell (staged)'
            : `↑↓ select · Enter ${editable ? 'edit' : 'details'} · double-click opens`
        }
      />
      {ioDialog === 'export' ? (
        <ExportDialog table={table} columns={columns} filters={filters} search={search} sort={sort} onClose={() => setIoDialog(undefined)} />
      ) : null}
      {ioDialog === 'import' && data && (data.kind === 'shared' || data.kind === 'user') ? (
        <ImportDialog table={table} kind={data.kind} columns={columns} onClose={() => setIoDialog(undefined)} />
      ) : null}
    </div>
  );
}

/** The table's title and what it is: its row count, kind, access and schema version, the subject viewing it. */
function BrowserHeading({
  description,
  data,
  readOnlyTable,
}: {
  description: TableDescription;
  data: DataTableDescription | undefined;
  readOnlyTable: boolean;
}) {
  const viewAs = useViewAs();
  const table = description.table;
  return (
    <div className="view__heading">
      <h1 className="view__title">{description.kind === 'system' ? description.name : table}</h1>
      <p className="view__subtitle">
        <code>{table}</code>
        <span aria-hidden="true"> · </span>
        <RowCount table={table} />
        {data ? (
          <>
            <span aria-hidden="true"> · </span>
            <span>
              {description.kind} table{description.kind === 'shared' ? `, ${description.access}` : ''}, schema version {data.definition.schema_version}
            </span>
          </>
        ) : null}
        {viewAs.kind !== 'admin' ? (
          <>
            <span aria-hidden="true"> · </span>
            <span className="badge badge--warning badge--subject" title={`viewed as ${describeViewAs(viewAs)}`}>
              viewed as {describeViewAs(viewAs)}
            </span>
          </>
        ) : null}
        {readOnlyTable ? (
          <>
            <span aria-hidden="true"> · </span>
            <span>read-only table</span>
          </>
        ) : null}
      </p>
    </div>
  );
}

interface GridStatusProps {
  loaded: number;
  /** Rows in the selection: said when more than one. */
  selected: number;
  query: { hasNextPage: boolean; hasPreviousPage: boolean; isFetchingNextPage: boolean; isFetchingPreviousPage: boolean };
  /** The applied filters, described; undefined without filters. */
  filters: string | undefined;
  scanned: number;
  hint: string;
}

/** The filters and the quick search in words, for the status bar. */
function describeSearch(filters: readonly Filter[], search: QuickSearchRequest | undefined, columns: readonly ColumnInfo[]): string {
  const searched = search ? `text contains “${search.text}”` : '';
  if (filters.length === 0) return searched;
  const described = describeFilters(filters, columns);
  // An OR among the filters binds looser than the search: say it with brackets.
  const grouped = search && filters.some((f, i) => i > 0 && f.or) ? `(${described})` : described;
  return search ? `${grouped} and ${searched}` : described;
}

/** The grid's status bar: rows loaded and whether more can load, the filters and rows examined (the key gone to is beside the go-to box). */
function GridStatus({ loaded, selected, query, filters, scanned, hint }: GridStatusProps) {
  return (
    <footer className="status-bar" aria-label="Grid status">
      <span role="status">
        {countOf(loaded, 'row')} loaded
        {query.hasNextPage ? ' (more below)' : ''}
        {query.hasPreviousPage ? ' (more above)' : ''}
        {selected > 1 ? ` · ${countOf(selected, 'row')} selected` : ''}
        {query.isFetchingNextPage || query.isFetchingPreviousPage ? ' · loading…' : ''}
      </span>
      {filters !== undefined ? (
        <span>
          {filters} · {countOf(scanned, 'row')} examined
        </span>
      ) : null}
      <span className="status-bar__hint">{hint}</span>
    </footer>
  );
}
