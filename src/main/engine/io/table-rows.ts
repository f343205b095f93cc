import type { ColumnInfo, Filter } from '../../../shared/browse';
import { SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { NotFoundError, ValidationError } from '../errors';
import type { TableProvider } from '../provider/table-provider';

/** The browsing provider of any table, system or data; NOT_FOUND for an unknown one. */
export function tableProvider(engine: Engine, ref: string): TableProvider {
  const id = TableIdKey.parse(ref);
  if (id.namespace !== SYSTEM_NAMESPACE) return engine.data.provider(id);
  const provider = engine.system.providers.get(id.table);
  if (!provider) throw new NotFoundError(`table ${TableIdKey.display(id)}`);
  return provider;
}

/** The columns to write: the named ones (in that order) or every column the provider shows (secrets never are). */
export function selectColumns(provider: TableProvider, names: readonly string[] | undefined, entity: string): ColumnInfo[] {
  const all = provider.columns();
  if (!names) return all;
  const byName = new Map(all.map((c) => [c.name, c]));
  return names.map((name, i) => {
    const column = byName.get(name);
    if (!column) throw new ValidationError(entity, [{ field: `columns.${i}`, message: `unknown column "${name}"` }]);
    return column;
  });
}

/**
 * Every row of a table the subject may read and the filters keep, page by page through the grid's
 * own pager (keyset cursors, hot and flushed rows merged, the subject's range only): memory holds
 * one page. Yields each page's row values.
 */
export function* tablePages(provider: TableProvider, subject: Subject, filters: readonly Filter[] | undefined): Generator<Record<string, unknown>[]> {
  let cursor: string | undefined;
  do {
    const page = provider.browse(subject, { limit: MAX_PAGE_SIZE, ...(filters?.length ? { filters: [...filters] } : {}), ...(cursor ? { cursor } : {}) });
    if (page.rows.length > 0) yield page.rows.map((r) => r.values);
    cursor = page.next;
  } while (cursor !== undefined);
}
