import type { NamespaceSummary } from '../../shared/contract/tables-contract';
import { type TableListEntry, TABLE_LIST_COUNT_CAP, type TableSummary } from '../../shared/contract/tables-contract';
import { SYSTEM_NAMESPACE } from '../../shared/keys/namespace-id';
import type { Subject } from '../engine/access/subject';
import type { TableProvider } from '../engine/provider/table-provider';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import { TableListCounts } from './table-list-counts';

export function tablesService({ engine, catalog, data }: ServiceDeps) {
  const counts = new TableListCounts(engine);
  /** The summary with the rows the subject sees, counted up to the cap (null when it may not read). */
  const withCount = (summary: TableSummary, provider: TableProvider, subject: Subject): TableListEntry => {
    if (!summary.canRead) return { ...summary, rowCount: null, rowCountCapped: false };
    const count = counts.count(subject, summary.table, summary.kind, provider, TABLE_LIST_COUNT_CAP);
    return { ...summary, rowCount: count, rowCountCapped: count >= TABLE_LIST_COUNT_CAP };
  };
  return {
    list: impl.tables.list.handler(({ context }) => {
      const { subject } = context.acting;
      const system = catalog.list().map((entry) => withCount(catalog.summary(entry, subject), entry.provider, subject));
      const tables = [...data.list()].map((entry) => withCount(data.summary(entry, subject), entry.provider, subject));
      return [...system, ...tables];
    }),

    describe: impl.tables.describe.handler(({ input, context }) => {
      const { subject } = context.acting;
      if (data.isSystem(data.parseRef(input.table))) {
        const entry = catalog.readable(input.table, subject);
        const columns = entry.provider.columns();
        return {
          ...catalog.summary(entry, subject),
          columns,
          keyColumns: columns.filter((c) => c.primaryKey).map((c) => c.name),
          indexes: catalog.indexInfos(entry, subject),
          definition: null,
        };
      }
      const entry = data.resolve(input.table);
      // The engine's own refusal (ACCESS_DENIED with its reason) when the subject may not read it.
      entry.store.readScope(subject);
      const columns = entry.provider.columns();
      return {
        ...data.summary(entry, subject),
        columns,
        keyColumns: columns.filter((c) => c.primaryKey).map((c) => c.name),
        indexes: [],
        definition: entry.meta,
      };
    }),

    namespaces: impl.tables.namespaces.handler(() => {
      const { namespaces, tables } = engine.system;
      const out: NamespaceSummary[] = [{ name: SYSTEM_NAMESPACE, comment: 'The engine\u2019s system tables.', system: true, tables: catalog.list().length }];
      for (const [, ns] of namespaces.scan()) {
        let n = 0;
        for (const _ of tables.inNamespace(ns.namespace_id)) n++;
        out.push({ name: ns.namespace_id, comment: ns.comment, system: false, tables: n });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }),
  };
}
