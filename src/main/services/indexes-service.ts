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
    list: impl.indexes.list.handler(({ context }) =>
      catalog
        .list()
        .filter((entry) => catalog.summary(entry, context.acting.subject).canRead)
        .flatMap((entry) => catalog.indexInfos(entry, context.acting.subject)),
    ),
    entries: impl.indexes.entries.handler(({ input, context }) => {
      const { entry, index } = resolve(input, context.acting.subject);
      return indexEntries(catalog, entry, index, input);
    }),
    verify: impl.indexes.verify.handler(({ input, context }) => {
      const { entry, index } = resolve(input, context.acting.subject);
      return verifyIndex(entry.store, index);
    }),
    rebuild: impl.indexes.rebuild.handler(({ input, context }) => {
      writer.assertWritable();
      const { subject, actor } = context.acting;
      const { entry, index } = resolve(input, subject);
      assertCanWrite(subject, entry.ref, entry.provider.access);
      return writer.commit(
        actor,
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
