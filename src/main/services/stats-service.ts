import { storageOverview } from '../engine/stats/storage-overview';
import { tableStorage } from '../engine/stats/table-storage';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';

export function statsService(deps: ServiceDeps) {
  const { engine, rights, sampler } = deps;
  return {
    overview: impl.stats.overview.handler(({ context }) => {
      rights.assert(context.acting.subject, 'readStatistics');
      return storageOverview(engine, sampler);
    }),
    table: impl.stats.table.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readStatistics');
      return tableStorage(engine, input.table);
    }),
  };
}
