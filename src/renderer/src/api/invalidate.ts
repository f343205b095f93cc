import type { QueryClient } from '@tanstack/react-query';
import { orpc } from './client';

const TABLE_CATALOG: ReadonlySet<string> = new Set(['system.tables', 'system.namespaces']);

/** Refetches everything that shows a table's rows: pages, counts, single rows, and the indexes. */
export async function invalidateTable(queryClient: QueryClient, table: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: orpc.rows.page.key({ input: { table } }) }),
    queryClient.invalidateQueries({ queryKey: orpc.rows.count.key({ input: { table } }) }),
    queryClient.invalidateQueries({ queryKey: orpc.rows.get.key({ input: { table } }) }),
    queryClient.invalidateQueries({ queryKey: orpc.indexes.key() }),
    // Storage statistics (the Overview, Storage tabs) count rows and segments of every table.
    queryClient.invalidateQueries({ queryKey: orpc.stats.key() }),
    table === 'system.schedules' ? queryClient.invalidateQueries({ queryKey: orpc.schedules.key() }) : Promise.resolve(),
    // Namespaces and tables decide which tables exist; a data table's rows change the row counts
    // of the table list (the sidebar).
    TABLE_CATALOG.has(table)
      ? queryClient.invalidateQueries({ queryKey: orpc.tables.key() })
      : table.startsWith('system.')
        ? Promise.resolve()
        : queryClient.invalidateQueries({ queryKey: orpc.tables.list.key() }),
  ]);
}

export async function invalidateEngine(queryClient: QueryClient): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: orpc.engine.info.key() });
}
