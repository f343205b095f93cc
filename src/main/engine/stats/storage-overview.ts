import { SCOPES_LISTED, type ScopeHealth, type ScopeTotals, type StorageOverview, type TableTiers } from '../../../shared/stats';
import type { Job } from '../../../shared/system/jobs';
import type { Engine } from '../engine';
import type { DatabaseSampler } from './database-sampler';
import { jobBar, timelineJobs } from './job-timeline';
import { mostPressing, scopeHealth } from './scope-health';
import { byScope, liveSegments, tableTiers } from './table-tiers';
import { UntilChanged } from './until-changed';

/** What the Overview derives from the database's content (tiers, segment health, the jobs' rows). */
interface Collected {
  readonly tables: TableTiers[];
  readonly scopes: ScopeHealth[];
  readonly scopeTotals: ScopeTotals;
  readonly jobs: readonly Job[];
}

/**
 * Collects what the Overview derives from the database, reading no hot row: the partitions'
 * counters, system.manifest and the newest jobs. Paid once per change of the content (see
 * storageOverview); bench/stats.ts times this, uncached.
 */
export function collectOverview(engine: Engine): Collected {
  const tables: TableTiers[] = [];
  const scopes: ScopeHealth[] = [];
  for (const meta of engine.data.list()) {
    const segments = liveSegments(engine, meta);
    const tiers = tableTiers(engine, meta, segments);
    tables.push(tiers);
    for (const scope of byScope(segments)) scopes.push(scopeHealth(tiers.table, scope.user, scope.entries));
  }
  const { listed, totals } = mostPressing(scopes, SCOPES_LISTED);
  return { tables, scopes: listed, scopeTotals: totals, jobs: timelineJobs(engine) };
}

/**
 * One cache per engine: collecting reads every manifest entry and the newest jobs (10,000 segments
 * and 1,000 jobs cost tens of ms), and between two refreshes of the dashboard the database has
 * usually not moved. Any commit, by any connection, makes the next call collect again.
 */
const caches = new WeakMap<Engine, UntilChanged<Collected>>();

function collected(engine: Engine): Collected {
  let cache = caches.get(engine);
  if (!cache) {
    const created = new UntilChanged(engine.backend, () => collectOverview(engine));
    engine.onReload(() => created.forget());
    caches.set(engine, (cache = created));
  }
  return cache.get();
}

/**
 * Everything the Overview dashboard shows, for every data table: tiers, segment health, the
 * database's sizes over time and the job timeline. Its cost grows with tables, segments and jobs,
 * never with rows (see table-tiers.ts; bench/stats.ts measures it), and is paid once per change of
 * the database's content. Rows per user are asked per table (tableUsers): they count each user's
 * hot rows.
 */
export function storageOverview(engine: Engine, sampler: DatabaseSampler): StorageOverview {
  const { tables, scopes, scopeTotals, jobs } = collected(engine);
  const at = engine.now();
  sampler.sample();
  return {
    at,
    tables,
    scopes,
    scopeTotals,
    database: { pageSize: sampler.pageSize, samples: sampler.list() },
    // Bars of running jobs end now: drawn from the cached rows at each call.
    jobs: jobs.flatMap((job) => jobBar(job, at) ?? []),
  };
}
