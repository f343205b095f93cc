import type { ColumnInfo, Filter, QuickSearch, Sort } from '../../../shared/browse';
import { SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { NotFoundError, ValidationError } from '../errors';
import type { TableProvider } from '../provider/table-provider';
import { DataTableProvider } from '../tables/data-table-provider';
import type { JsonRows } from '../tables/data-table-store';

/** The browsing provider of any table, system or data; NOT_FOUND for an unknown one. */
export function tableProvider(engine: Engine, ref: string): TableProvider {
  const id = TableIdKey.parse(ref);
  if (id.namespace !== SYSTEM_NAMESPACE) return engine.data.provider(id);
  const provider = engine.system.providers.get(id.table);
  if (!provider) throw new NotFoundError(`table ${TableIdKey.display(id)}`);
  return provider;
}

/** The columns to write: the named ones (in that order) or all of them (a provider's columns never hold secrets). */
export function selectColumns(all: readonly ColumnInfo[], names: readonly string[] | undefined, entity: string): ColumnInfo[] {
  if (!names) return [...all];
  const byName = new Map(all.map((c) => [c.name, c]));
  return names.map((name, i) => {
    const column = byName.get(name);
    if (!column) throw new ValidationError(entity, [{ field: `columns.${i}`, message: `unknown column "${name}"` }]);
    return column;
  });
}

/** The grid's view of a table: its filters, its quick search and its sort. */
export interface TableView {
  readonly filters?: readonly Filter[] | undefined;
  readonly search?: QuickSearch | undefined;
  readonly sort?: Sort | undefined;
}

/**
 * Every row of a table the subject may read and the view's filters keep, in its sort's order (key
 * order by default), in batches: memory holds one batch. Data tables in key order are read in one
 * merged scan of hot and flushed rows (DataTableProvider.rowBatches); otherwise page by page through the
 * grid's own pager. Access (and the sort) is checked before the first batch is asked for.
 */
export function tablePages(provider: TableProvider, subject: Subject, view: TableView = {}): Generator<Record<string, unknown>[]> {
  if (provider instanceof DataTableProvider && !view.sort) return provider.rowBatches(subject, view);
  provider.browse(subject, { limit: 1, ...(view.sort ? { sort: view.sort } : {}) });
  return pages(provider, subject, view);
}

/** Rows an export writes, a batch at a time: values by column name, or the JSON text of each column's value. */
export type ExportBatch = readonly Record<string, unknown>[] | JsonRows;

/** How many rows a batch holds. */
export function batchRows(batch: ExportBatch): number {
  return 'cells' in batch ? batch.rows : batch.length;
}

/**
 * tablePages' rows for an export of `columns`: as the JSON text of their values where the table
 * reads them so (DataTableProvider.jsonBatches: a data table in key order, no filters), otherwise
 * as values. Access is checked before the first batch is asked for.
 */
export function exportBatches(provider: TableProvider, subject: Subject, view: TableView, columns: readonly ColumnInfo[]): Iterator<ExportBatch> {
  const names = columns.map((c) => c.name);
  const texts = provider instanceof DataTableProvider && !view.sort ? provider.jsonBatches(subject, view, names) : undefined;
  return texts ?? tablePages(provider, subject, view);
}

function* pages(provider: TableProvider, subject: Subject, { filters, search, sort }: TableView): Generator<Record<string, unknown>[]> {
  let cursor: string | undefined;
  do {
    const page = provider.browse(subject, {
      limit: MAX_PAGE_SIZE,
      ...(filters?.length ? { filters: [...filters] } : {}),
      ...(search ? { search } : {}),
      ...(sort ? { sort } : {}),
      ...(cursor ? { cursor } : {}),
    });
    if (page.rows.length > 0) yield page.rows.map((r) => r.values);
    cursor = page.next;
  } while (cursor !== undefined);
}
