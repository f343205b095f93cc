import type { Completion } from '@codemirror/autocomplete';
import type { SQLNamespace } from '@codemirror/lang-sql';
import { useQueries } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useMemo } from 'react';
import type { ColumnInfo } from '../../../shared/browse';
import type { TableDescription } from '../../../shared/contract';
import { orpc } from '../api/client';
import { useTableList } from '../namespaces/use-catalog';
import { completionSchema, referencedTables, statementColumns } from './sql-schema';

/** The described tables' columns, by table (a stable function: TanStack Query then re-runs it only when a result changes). */
function columnsByTable(results: readonly { data?: TableDescription | undefined }[]): ReadonlyMap<string, readonly ColumnInfo[]> {
  return new Map(results.flatMap((r) => (r.data ? [[r.data.table, r.data.columns] as const] : [])));
}

/**
 * What completion knows of the catalog, as the subject viewed as sees it: every namespace and table
 * (the sidebar's list, kept current by the change feed), and the columns of the tables the text
 * names (described on demand, refetched when the catalog changes).
 */
export function useSqlSchema(text: string): { schema: SQLNamespace; columnsFor: (statement: string) => Completion[] } {
  const tables = useTableList().data;
  const deferred = useDeferredValue(text);
  const named = useMemo(() => (tables ? referencedTables(deferred, tables) : []), [deferred, tables]);
  const columns = useQueries({ queries: named.map((table) => orpc.tables.describe.queryOptions({ input: { table } })), combine: columnsByTable });
  const schema = useMemo(() => completionSchema(tables ?? [], columns), [tables, columns]);
  const columnsFor = useCallback((statement: string) => statementColumns(statement, tables ?? [], columns), [tables, columns]);
  return { schema, columnsFor };
}
