import { jobKinds, type JobKinds } from './job-kind';
import { backupKind, restoreKind } from './kinds/backup-kinds';
import { compactKind } from './kinds/compact-kind';
import { evictKind } from './kinds/evict-job';
import { flushKind } from './kinds/flush-kind';
import { indexRebuildKind } from './kinds/index-rebuild-job';
import { exportKind, importKind } from './kinds/io-kinds';
import { indexVerifyKind } from './kinds/index-verify-job';

/** Every job kind the app runs; the manager and the job worker build on the same list. */
export function defaultJobKinds(): JobKinds {
  return jobKinds(flushKind, compactKind, evictKind, indexRebuildKind, indexVerifyKind, backupKind, restoreKind, exportKind, importKind);
}
