import { indexesContract } from '../../shared/contract/indexes-contract';
import { assertCanWrite, type Subject } from '../engine/access/subject';
import { rebuildIndex, verifyIndex } from '../engine/index/index-maintenance';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import { indexEntries } from './index-entries';
import { outputOf } from './writer';

export function indexesService(deps: ServiceDeps) {
  const { catalog, writer } = deps;

  /** The table and index a request names, the table checked readable. */
  const resolve = (input: { table: string; index: string }, subject: Subject) => {
    const entry = catalog.readable(input.table, subject);
    return { entry, index: catalog.index(entry, input.index) };
  };

  return {
    list: impl.indexes.list.handler(() => catalog.list().flatMap((entry) => catalog.indexInfos(entry))),
    entries: impl.indexes.entries.handler(({ input, context }) => {
      const { entry, index } = resolve(input, context.subject);
      return indexEntries(catalog, entry, index, input);
    }),
    verify: impl.indexes.verify.handler(({ input, context }) => {
      const { entry, index } = resolve(input, context.subject);
      return verifyIndex(entry.store, index);
    }),
    rebuild: impl.indexes.rebuild.handler(({ input, context }) => {
      writer.assertWritable();
      const { entry, index } = resolve(input, context.subject);
      assertCanWrite(context.subject, entry.ref, entry.provider.access);
      return writer.commit(
        context.subject,
        (scope) => {
          const result = rebuildIndex(entry.store, index);
          scope.changed(entry.ref, null, 'bulk');
          scope.audit({ action: 'indexes.rebuild', target: `${entry.ref}/indexes/${index.name}`, before: null, after: { entries: result.entries } });
          return result;
        },
        { output: outputOf(indexesContract.rebuild) },
      );
    }),
  };
}
