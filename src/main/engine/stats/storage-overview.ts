import { SCOPES_LISTED, type StorageOverview } from '../../../shared/stats';
import type { Engine } from '../engine';
import type { DatabaseSampler } from './database-sampler';
import { jobTimeline } from './job-timeline';
import { mostPressing, scopeHealth } from './scope-health';
import { byScope, liveSegments, tableTiers } from './table-tiers';

/**
 * Everything the Overview dashboard shows, for every data table: tiers, segment health, the
 * database's sizes over time and the job timeline. Its cost grows with tables, segments and jobs,
 * never with rows (see table-tiers.ts; bench/stats.ts measures it). Rows per user are asked per
 * table (tableUsers): they count each user's hot rows.
 */
export function storageOverview(engine: Engine, sampler: DatabaseSampler): StorageOverview {
  const tables: StorageOverview['tables'] = [];
  const scopes: StorageOverview['scopes'] = [];
  for (const meta of engine.data.list()) {
    const segments = liveSegments(engine, meta);
    const tiers = tableTiers(engine, meta, segments);
    tables.push(tiers);
    for (const scope of byScope(segments)) scopes.push(scopeHealth(tiers.table, scope.user, scope.entries));
  }
  sampler.sample();
  const { listed, totals } = mostPressing(scopes, SCOPES_LISTED);
  return {
    at: engine.now(),
    tables,
    scopes: listed,
    scopeTotals: totals,
    database: { pageSize: sampler.pageSize, samples: sampler.list() },
    jobs: jobTimeline(engine),
  };
}
