import { tableId } from '../../../shared/keys/table-id';
import { SCOPES_LISTED, type StorageOverview } from '../../../shared/stats';
import type { Engine } from '../engine';
import type { UserTableStore } from '../tables/user/user-table-store';
import type { DatabaseSampler } from './database-sampler';
import { jobTimeline } from './job-timeline';
import { mostPressing, scopeHealth } from './scope-health';
import { byScope, liveSegments, tableTiers } from './table-tiers';
import { userDistribution } from './user-distribution';

/**
 * Everything the Overview dashboard shows, for every data table: tiers, users, segment health, the
 * database's sizes over time and the job timeline. Its cost grows with tables, segments, users and
 * jobs, never with rows (see table-tiers.ts; bench/stats.ts measures it).
 */
export function storageOverview(engine: Engine, sampler: DatabaseSampler): StorageOverview {
  const tables: StorageOverview['tables'] = [];
  const users: StorageOverview['users'] = [];
  const scopes: StorageOverview['scopes'] = [];
  for (const meta of engine.data.list()) {
    const segments = liveSegments(engine, meta);
    const tiers = tableTiers(engine, meta, segments);
    tables.push(tiers);
    for (const scope of byScope(segments)) scopes.push(scopeHealth(tiers.table, scope.user, scope.entries));
    if (meta.table_type === 'user') {
      const store = engine.data.open(tableId(meta.namespace_id, meta.table_name)) as UserTableStore;
      users.push(userDistribution(tiers.table, store, segments));
    }
  }
  sampler.sample();
  const { listed, totals } = mostPressing(scopes, SCOPES_LISTED);
  return {
    at: engine.now(),
    tables,
    users,
    scopes: listed,
    scopeTotals: totals,
    database: { pageSize: sampler.pageSize, samples: sampler.list() },
    jobs: jobTimeline(engine),
  };
}
