import { TableRefSchema } from '../keys/table-id';
import { StorageOverviewSchema, TableStorageSchema, UserDistributionSchema } from '../stats';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';

/**
 * Storage statistics (reads only; they need the readStatistics right: they describe every table's
 * segments and every user's rows). Nothing here reads hot rows one by one.
 */
export const statsContract = {
  /** The Overview dashboard: tiers per table, segment health, database sizes over time, jobs. */
  overview: procedure.input(SubjectOnlyInputSchema).output(StorageOverviewSchema),
  /** The Overview's rows per user of one user table (top users, histogram): asked per table, as it counts each user's hot rows. */
  users: procedure.input(subjectInput({ table: TableRefSchema })).output(UserDistributionSchema),
  /** A table's Storage tab: tiers, segments, each scope's manifest.json, flush and compaction dry runs. */
  table: procedure.input(subjectInput({ table: TableRefSchema })).output(TableStorageSchema),
};
