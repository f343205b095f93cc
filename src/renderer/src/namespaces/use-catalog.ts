import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { orpc } from '../api/client';
import type { NamespaceSummary, TableListEntry } from '../../../shared/contract';

export interface NamespaceNode {
  namespace: NamespaceSummary;
  tables: TableListEntry[];
}

/** Every table as the current "view as" subject sees it (row counts and access are theirs). */
export function useTableList() {
  return useQuery(orpc.tables.list.queryOptions({ input: {} }));
}

/** The namespaces of data tables (not "system") with their tables, in name order. */
export function useNamespaceTree() {
  const namespaces = useQuery(orpc.tables.namespaces.queryOptions());
  const tables = useTableList();
  const tree = useMemo<NamespaceNode[] | undefined>(() => {
    if (!namespaces.data) return undefined;
    const byNamespace = new Map<string, TableListEntry[]>();
    for (const t of tables.data ?? []) {
      if (t.kind === 'system') continue;
      const list = byNamespace.get(t.namespace);
      if (list) list.push(t);
      else byNamespace.set(t.namespace, [t]);
    }
    return namespaces.data.filter((n) => !n.system).map((n) => ({ namespace: n, tables: byNamespace.get(n.name) ?? [] }));
  }, [namespaces.data, tables.data]);
  return { tree, namespaces, tables };
}
