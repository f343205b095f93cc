import { storageOverview } from '../engine/stats/storage-overview';
import { tableStorage } from '../engine/stats/table-storage';
import { tableUsers } from '../engine/stats/user-distribution';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';

export function statsService(deps: ServiceDeps) {
  const { engine, rights, sampler } = deps;
  return {
    overview: impl.stats.overview.handler(({ context }) => {
      rights.assert(context.acting.subject, 'readStatistics');
      return storageOverview(engine, sampler);
    }),
    users: impl.stats.users.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readStatistics');
      return tableUsers(engine, input.table);
    }),
    table: impl.stats.table.handler(({ input, context }) => {
      rights.assert(context.acting.subject, 'readStatistics');
      return tableStorage(engine, input.table);
    }),
  };
}
