import { TableIdKey } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import type { ManifestEntry } from '../../../shared/system/manifest';
import type { UserDistribution } from '../../../shared/stats';
import { hotScopes } from '../flush/flush-job';
import type { Engine } from '../engine';
import { ValidationError } from '../errors';
import type { UserTableStore } from '../tables/user/user-table-store';
import { liveSegments } from './table-tiers';

const TOP = 10;

/**
 * Rows per user of a user table: flushed rows from the manifest, hot rows counted by SQLite over
 * each user's key range (a count inside the database, no row is read out; the hot side holds what
 * the flush policy lets accumulate). Users are found by skipping from one user's range to the next.
 */
export function userDistribution(table: string, store: UserTableStore, segments: readonly ManifestEntry[]): UserDistribution {
  const rows = new Map<UserId, { hot: number; cold: number }>();
  const at = (user: UserId) => {
    let r = rows.get(user);
    if (!r) rows.set(user, (r = { hot: 0, cold: 0 }));
    return r;
  };
  for (const s of segments) if (s.user_id !== null) at(s.user_id).cold += s.row_count;
  for (const scope of hotScopes(store)) {
    if (scope.user === null) continue;
    at(scope.user).hot += store.backend.count(store.partition, { prefix: scope.prefix });
  }
  const all = [...rows].map(([userId, r]) => ({ userId, hot: r.hot, cold: r.cold }));
  all.sort((a, b) => b.hot + b.cold - (a.hot + a.cold) || a.userId.localeCompare(b.userId));
  return { table, users: all.length, top: all.slice(0, TOP), histogram: histogram(all.map((u) => u.hot + u.cold)) };
}

/** Users per power-of-ten bucket of their row count: [0, 10), [10, 100), … up to the largest. */
export function histogram(counts: readonly number[]): UserDistribution['histogram'] {
  if (counts.length === 0) return [];
  const max = Math.max(...counts);
  const buckets: UserDistribution['histogram'] = [];
  for (let from = 0, to = 10; from <= max; from = to, to *= 10) buckets.push({ from, to, users: 0 });
  for (const c of counts) buckets.find((b) => c >= b.from && c < b.to)!.users++;
  return buckets;
}

/** The rows per user of one user table (stats.users); NOT_FOUND for a missing table, VALIDATION for another type. */
export function tableUsers(engine: Engine, table: string): UserDistribution {
  const id = TableIdKey.parse(table);
  const meta = engine.data.metadata(id);
  if (meta.table_type !== 'user') throw ValidationError.single('stats', 'table', `${table} is a ${meta.table_type} table: only user tables have rows per user`);
  return userDistribution(TableIdKey.display(id), engine.data.user(id), liveSegments(engine, meta));
}
