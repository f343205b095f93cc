import type { ServiceDeps } from './deps';
import { impl } from './implementer';

export function tablesService({ catalog }: ServiceDeps) {
  return {
    list: impl.tables.list.handler(() => catalog.list().map((entry) => catalog.summary(entry))),
    describe: impl.tables.describe.handler(({ input, context }) => {
      const entry = catalog.readable(input.table, context.subject);
      const columns = entry.provider.columns();
      return {
        ...catalog.summary(entry),
        columns,
        keyColumns: columns.filter((c) => c.primaryKey).map((c) => c.name),
        indexes: catalog.indexInfos(entry),
      };
    }),
  };
}
