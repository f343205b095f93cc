import { FolderParamsSchema, RestoreParamsSchema } from '../../../../shared/jobs/params';
import { runBackup } from '../../backup/backup-job';
import { recoverBackupRestore } from '../../backup/cleanup-journal';
import { runRestore } from '../../backup/restore-job';
import { HostPathSchema } from '../../host-path';
import { jobKind } from '../job-kind';

/** The contract's folder parameters, with the folder checked by this machine's path rules. */
const HostFolderParamsSchema = FolderParamsSchema.extend({ folder: HostPathSchema });
const HostRestoreParamsSchema = RestoreParamsSchema.extend({ folder: HostPathSchema });

/** A backup reads a snapshot through its own connection: a worker's is as good as any. */
export const backupKind = jobKind({
  type: 'backup',
  params: HostFolderParamsSchema,
  idempotencyKey: (p) => `backup:${p.folder}`,
  conflictMessage: (p, active) => `a backup into ${p.folder} is already ${active.status} (${active.job_id})`,
  // It reads a snapshot and writes only its own folder: allowed in read-only mode.
  writes: false,
  thread: 'worker',
  describe: (p) => `back up into ${p.folder}`,
  run: (engine, p, ctx) => runBackup(engine, { folder: p.folder }, ctx),
  // Backups and restores share the cleanup journal; one recovery covers both.
  recover: async (engine) => {
    await recoverBackupRestore(engine);
  },
});

/**
 * A restore replaces every partition's content in one transaction on the app's own engine, which
 * then reloads its caches at once (a worker's connection could not tell it). It runs alone.
 */
export const restoreKind = jobKind({
  type: 'restore',
  params: HostRestoreParamsSchema,
  idempotencyKey: () => 'restore',
  conflictMessage: (_p, active) => `a restore is already ${active.status} (${active.job_id})`,
  maxRetries: 0,
  writes: true,
  thread: 'main',
  exclusive: true,
  describe: (p) => `restore from ${p.folder}`,
  run: (engine, p, ctx) => runRestore(engine, { folder: p.folder, allowForeign: p.allow_foreign, confirmedDirectories: p.confirmed_directories }, ctx),
  // Until the swap commits nothing changes; after it, only success follows.
  changedTables: (_p, r) => (r ? 'all' : []),
});
