import { randomUUID } from 'node:crypto';
import { lstat, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BackupSummary } from '../../../shared/jobs/backup-summary';
import { readFooter } from '../cold/segment-file';
import type { Engine } from '../engine';
import { readInstanceId } from '../instance-id';
import { type JobContext, throwIfCancelled } from '../jobs/job-context';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../migrations';
import { checkDatabaseFile, DatabaseFileError } from '../storage/sqlite/database-check';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { StorageError } from '../storage/storage-backend';
import { SystemTables } from '../system/system-tables';
import {
  BACKUP_DATABASE,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_MANIFEST,
  BACKUP_STORAGES_DIR,
  type BackupFile,
  type BackupManifest,
  BackupManifestSchema,
  BackupRefusedError,
} from './backup-format';
import { CleanupJournal } from './cleanup-journal';
import { partitionCounts } from './database-summary';
import { copyHashed, hashFile } from './file-copy';
import { PhaseProgress } from './progress';
import { assertDestinations, dataDirectoryOf, planRestore, type RestorePlan } from './restore-plan';
import { plainPathProblem } from './safe-paths';

export type { BackupSummary };

export interface BackupCheckParams {
  readonly folder: string;
  /** Restore a backup of another database (e.g. onto a new machine); its instance id is taken over. */
  readonly allowForeign?: boolean | undefined;
  /** Folders outside the data directory the user confirmed in the summary (see planRestore). */
  readonly confirmedDirectories?: readonly string[] | undefined;
}

/** A backup folder whose manifest and file list passed the quick checks. */
export interface OpenedBackup {
  /** The folder, resolved. */
  readonly folder: string;
  readonly manifest: BackupManifest;
  readonly foreign: boolean;
}

async function readManifest(folder: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(folder, BACKUP_MANIFEST), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BackupRefusedError(`${folder} is not a Kalam Studio backup: ${BACKUP_MANIFEST} is missing`);
    }
    throw new BackupRefusedError(`cannot read ${join(folder, BACKUP_MANIFEST)}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefusedError(`the backup manifest ${join(folder, BACKUP_MANIFEST)} is corrupt (not valid JSON)`);
  }
  const head = json as { format?: unknown; format_version?: unknown };
  if (
    typeof head === 'object' &&
    head !== null &&
    head.format === BACKUP_FORMAT &&
    typeof head.format_version === 'number' &&
    head.format_version > BACKUP_FORMAT_VERSION
  ) {
    throw new BackupRefusedError(
      `the backup has format version ${head.format_version}, newer than this build reads (${BACKUP_FORMAT_VERSION}); update Kalam Studio`,
    );
  }
  const parsed = BackupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupRefusedError(
      `the backup manifest is corrupt or not a Kalam Studio backup: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  const m = parsed.data;
  if (m.files[0]?.path !== BACKUP_DATABASE) throw new BackupRefusedError(`the backup manifest is corrupt: its first file must be ${BACKUP_DATABASE}`);
  if (new Set(m.files.map((f) => f.path)).size !== m.files.length) throw new BackupRefusedError('the backup manifest is corrupt: it lists a file twice');
  // Anything else (a "kalam.sqlite-wal" beside the database, say) would change what the checks read.
  const stray = m.files.slice(1).find((f) => !f.path.startsWith(`${BACKUP_STORAGES_DIR}/`));
  if (stray) throw new BackupRefusedError(`the backup manifest is corrupt: ${stray.path} is neither the database nor under ${BACKUP_STORAGES_DIR}/`);
  if (m.schema_version > LATEST_SCHEMA_VERSION) {
    throw new BackupRefusedError(
      `the backup has schema version ${m.schema_version}, newer than this build supports (${LATEST_SCHEMA_VERSION}); update Kalam Studio`,
    );
  }
  return m;
}

/**
 * The quick checks, without reading file contents: the manifest (shape, format and schema
 * version), the lineage (a backup of another database unless allowForeign), and every file it
 * lists present in the folder as a regular file of its recorded size, reached without a symbolic
 * link. jobs.start runs these before queuing a restore.
 */
export async function openBackup(folder: string, options: { readonly instanceId: string; readonly allowForeign?: boolean | undefined }): Promise<OpenedBackup> {
  const dir = resolve(folder);
  const m = await readManifest(dir);
  const foreign = options.instanceId !== m.instance_id;
  if (foreign && !options.allowForeign) {
    throw new BackupRefusedError(
      `the backup in ${dir} is of another database (instance ${m.instance_id}, this one is ${options.instanceId}); restoring it would replace this database with a foreign one`,
    );
  }
  for (const f of m.files) {
    const problem = await plainPathProblem(dir, f.path, 'file');
    if (problem === 'is missing') throw new BackupRefusedError(`the backup is incomplete: ${f.path} is missing`);
    if (problem !== undefined) throw new BackupRefusedError(`the backup is refused: ${f.path} ${problem}`);
    const size = (await lstat(join(dir, ...f.path.split('/')))).size;
    if (size !== f.size) throw new BackupRefusedError(`the backup is corrupt: ${f.path} has ${size} bytes, the manifest says ${f.size} (truncated or changed)`);
  }
  return { folder: dir, manifest: m, foreign };
}

/**
 * Verifies the SHA-256 of every file of the backup, copying those `stage` selects into `staging`
 * on the way (the others are read in place). Progress: "verifying", in bytes.
 */
async function verifyFiles(backup: OpenedBackup, staging: string, stage: (f: BackupFile) => boolean, ctx: JobContext): Promise<void> {
  const files = backup.manifest.files;
  const progress = new PhaseProgress(
    ctx,
    'verifying',
    files.reduce((a, f) => a + f.size, 0),
    'bytes',
  );
  for (const f of files) {
    throwIfCancelled(ctx);
    const from = join(backup.folder, ...f.path.split('/'));
    const onBytes = (n: number) => progress.add(n);
    const read = stage(f) ? await copyHashed(from, join(staging, ...f.path.split('/')), onBytes, ctx.signal) : await hashFile(from, onBytes, ctx.signal);
    if (read.size !== f.size || read.sha256 !== f.sha256) {
      throw new BackupRefusedError(`the backup is corrupt: the checksum of ${f.path} does not match its manifest`);
    }
  }
  progress.finish();
}

/**
 * Opens a staged backup database read-only: integrity check, then (through the storage layer,
 * which refuses a table whose name is not a partition name before any SQL uses it) lineage, schema
 * version and row counts against the manifest. Returns the backend; the caller closes it.
 */
function openStagedDatabase(path: string, m: BackupManifest): SqliteBackend {
  let result: string[];
  try {
    result = checkDatabaseFile(path);
  } catch (e) {
    if (!(e instanceof DatabaseFileError)) throw e;
    throw new BackupRefusedError(
      e.stage === 'open' ? `the backup's database cannot be opened: ${e.message}` : `the backup's database is corrupt: ${e.message}`,
    );
  }
  if (result.length !== 1 || result[0] !== 'ok')
    throw new BackupRefusedError(`the backup's database fails its integrity check: ${result.slice(0, 3).join('; ')}`);
  let backend: SqliteBackend;
  try {
    backend = new SqliteBackend(path, { readonly: true });
  } catch (e) {
    if (e instanceof StorageError) throw new BackupRefusedError(`the backup's database is refused: ${e.message}`);
    throw e;
  }
  try {
    const instance = readInstanceId(backend);
    if (instance !== m.instance_id)
      throw new BackupRefusedError(`the backup's database is of instance ${instance ?? '(none)'}, its manifest says ${m.instance_id}`);
    const version = schemaVersion(backend);
    if (version !== m.schema_version)
      throw new BackupRefusedError(`the backup's database has schema version ${version}, its manifest says ${m.schema_version}`);
    const counts = partitionCounts(backend);
    const names = new Set([...Object.keys(counts), ...Object.keys(m.partitions)]);
    for (const name of names) {
      if (counts[name] !== m.partitions[name]) {
        throw new BackupRefusedError(
          `the backup's database does not match its manifest: ${name} has ${counts[name] ?? 'no'} rows, the manifest says ${m.partitions[name] ?? 'none'}`,
        );
      }
    }
    return backend;
  } catch (e) {
    backend.close();
    throw e;
  }
}

const PARQUET_MAGIC = Buffer.from('PAR1');

/** Why the file at `path` is not a Parquet segment of this engine holding `rows` rows, or undefined. */
async function segmentProblem(path: string, rows: number): Promise<string | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    if (bytesRead < 4 || !head.equals(PARQUET_MAGIC)) return 'it does not start like a Parquet file';
  } finally {
    await fh.close();
  }
  let footer;
  try {
    footer = readFooter(path);
  } catch (e) {
    return (e as Error).message.replace(`${path}: `, '');
  }
  return footer.rows === rows ? undefined : `its footer says ${footer.rows} rows, system.manifest says ${rows}`;
}

/**
 * Checks that every storage file the plan places parses as one of our Parquet segments with the
 * row count system.manifest records, reading it under `folder` (the backup, or a staged copy).
 * Progress: "checking files", in files.
 */
async function checkSegments(plan: RestorePlan, folder: string, ctx: JobContext): Promise<void> {
  const progress = new PhaseProgress(ctx, 'checking files', plan.files.length, 'files');
  for (const f of plan.files) {
    throwIfCancelled(ctx);
    const problem = await segmentProblem(join(folder, ...f.backupPath.split('/')), f.entry.row_count);
    if (problem !== undefined) throw new BackupRefusedError(`the backup's storage file ${f.backupPath} is not a valid Parquet segment: ${problem}`);
    progress.add(1);
  }
  progress.finish();
}

/** What a checked backup holds. */
export interface CheckedBackup {
  readonly summary: BackupSummary;
  readonly manifest: BackupManifest;
  readonly plan: RestorePlan;
  /** The checked copy of the database, inside the staging folder. */
  readonly stagedDb: string;
}

function summaryOf(backup: OpenedBackup, plan: RestorePlan): BackupSummary {
  const m = backup.manifest;
  return {
    folder: backup.folder,
    createdAt: m.created_at,
    appVersion: m.app_version,
    schemaVersion: m.schema_version,
    instanceId: m.instance_id,
    foreign: backup.foreign,
    tables: [...m.tables],
    files: m.files.length,
    bytes: m.files.reduce((a, f) => a + f.size, 0),
    storages: plan.storages.map(({ target: _t, root: _r, ...s }) => s),
  };
}

/**
 * Everything a restore checks before it changes anything, into `staging` (a fresh folder of the
 * data directory), after the quick checks (openBackup): every checksum, copying the database (and with
 * `stageAll` every file) into staging; the staged database (integrity, partition names, lineage,
 * schema version, row counts); where each storage's files go (planRestore) and that no
 * destination goes through a link; every storage file a valid Parquet segment (the staged copy
 * with `stageAll`, else the backup's file).
 */
export async function checkBackupInto(
  engine: Engine,
  backup: OpenedBackup,
  params: BackupCheckParams,
  staging: string,
  stageAll: boolean,
  ctx: JobContext,
): Promise<CheckedBackup> {
  await verifyFiles(backup, staging, (f) => stageAll || f.path === BACKUP_DATABASE, ctx);
  throwIfCancelled(ctx);
  ctx.report({ phase: 'checking', done: 0, total: null });
  const stagedDb = join(staging, BACKUP_DATABASE);
  const backend = openStagedDatabase(stagedDb, backup.manifest);
  let plan: RestorePlan;
  try {
    plan = planRestore(
      engine,
      { backend, system: new SystemTables(backend) },
      new Map(backup.manifest.files.map((f) => [f.path, f])),
      params.confirmedDirectories,
    );
  } finally {
    backend.close();
  }
  await assertDestinations(plan);
  await checkSegments(plan, stageAll ? staging : backup.folder, ctx);
  return { summary: summaryOf(backup, plan), manifest: backup.manifest, plan, stagedDb };
}

/** A new staging folder of the data directory, recorded in the cleanup journal; `done()` removes both. */
export function stagingFolder(engine: Engine): { readonly path: string; readonly tag: string; readonly journalId: string; done(): Promise<void> } {
  const id = randomUUID();
  const tag = id.slice(0, 8);
  const path = join(dataDirectoryOf(engine), `restore-staging-${tag}`);
  const journal = new CleanupJournal(engine.backend);
  const journalId = `restore:${id}`;
  journal.set(journalId, [path], engine.now());
  return {
    path,
    tag,
    journalId,
    async done() {
      await rm(path, { recursive: true, force: true });
      journal.clear(journalId);
    },
  };
}

/**
 * "Check backup": every check a restore makes before it changes anything (checkBackupInto), with
 * progress, leaving nothing behind. A tampered, truncated, foreign or hostile backup is refused
 * here, before the user is asked to confirm. Returns the summary the confirmation shows.
 */
export async function checkBackup(engine: Engine, params: BackupCheckParams, ctx: JobContext): Promise<BackupSummary> {
  const backup = await openBackup(params.folder, { instanceId: engine.instanceId, allowForeign: params.allowForeign });
  const staging = stagingFolder(engine);
  try {
    return (await checkBackupInto(engine, backup, params, staging.path, false, ctx)).summary;
  } finally {
    await staging.done();
  }
}
