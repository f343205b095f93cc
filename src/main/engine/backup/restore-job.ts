import { link, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import type { StorageId } from '../../../shared/keys/storage-id';
import type { Engine } from '../engine';
import { type JobContext, throwIfCancelled, TransientJobError } from '../jobs/job-context';
import { mkdirPrivate } from '../private-files';
import { adoptStorageDirectory } from '../system/storages/local-storage-root';
import { LOCAL_STORAGE_ID } from '../system/storages/storages-table';
import { type BackupCheckParams, type BackupSummary, checkBackupInto, type CheckedBackup, openBackup, stagingFolder } from './backup-check';
import { CleanupJournal } from './cleanup-journal';
import { copyHashed, hashFile, syncDir } from './file-copy';
import { replaceDatabaseContent } from './partition-swap';
import { PhaseProgress } from './progress';
import { mayTouch, type PlannedFile, type RestorePlan } from './restore-plan';
import { isInside } from './safe-paths';
import { syncScopeManifests } from './scope-manifests';
import { referencedPaths } from './storage-files';

export type RestoreParams = BackupCheckParams;

export interface RestoreResult {
  readonly summary: BackupSummary;
  /** Storage files copied into place (files already present with the same content are not copied). */
  readonly filesPlaced: number;
  /** Storage files of the replaced data, removed after the swap. */
  readonly filesRemoved: number;
}

interface Placement {
  readonly file: PlannedFile;
  /** Inside the staging folder. */
  readonly from: string;
  /** Where it goes; undefined when an identical file is already there. */
  readonly to: string | undefined;
  /** A new file_path for its system.manifest entry, when a different file already holds the original name. */
  readonly rewrite: string | undefined;
}

/**
 * Where each storage file of the checked backup goes: its planned path, or a fresh name beside a
 * different file that holds it. Destinations were checked (no link below their root; a regular
 * file or nothing).
 */
async function planPlacements(checked: CheckedBackup, staging: string, tag: string): Promise<Placement[]> {
  const inBackup = new Map(checked.manifest.files.map((f) => [f.path, f]));
  const out: Placement[] = [];
  for (const file of checked.plan.files) {
    const entry = inBackup.get(file.backupPath)!;
    const from = join(staging, ...file.backupPath.split('/'));
    let existing: { sha256: string } | undefined;
    try {
      existing = await hashFile(file.absolute);
    } catch {
      existing = undefined;
    }
    if (existing === undefined) out.push({ file, from, to: file.absolute, rewrite: undefined });
    else if (existing.sha256 === entry.sha256) out.push({ file, from, to: undefined, rewrite: undefined });
    else {
      const name = basename(file.absolute).replace(/(\.[^.]*)?$/, (ext) => `.restored-${tag}${ext}`);
      out.push({ file, from, to: join(dirname(file.absolute), name), rewrite: posix.join(posix.dirname(file.entry.file_path), name) });
    }
  }
  return out;
}

/**
 * Points each storage of the restored database where the plan put its files (inside the transaction
 * of the swap, after the restored local storage followed this data directory): a storage confined
 * to the data directory no longer names the folder the backup recorded.
 */
function pointStorages(engine: Engine, plan: RestorePlan): void {
  for (const s of plan.storages) {
    const id = s.storage_id as StorageId;
    const current = engine.system.storages.get(id);
    if (current === undefined || resolve(current.base_directory) === s.target) continue;
    // local confined to this data directory's storage folder follows the data directory again from now on.
    if (id === LOCAL_STORAGE_ID && s.target === resolve(engine.storageDirectory))
      adoptStorageDirectory(engine.backend, engine.system.storages, s.target, engine.now());
    else engine.system.storages.update(id, (row) => ({ ...row, base_directory: s.target, updated_at: engine.now() }));
  }
}

/** Copies a staged file next to its target, then links it in place: an existing file is never overwritten. */
async function place(p: Placement, tmp: string, onBytes: (n: number) => void, signal: AbortSignal): Promise<void> {
  await mkdirPrivate(dirname(p.to!));
  // A leftover (or a link) at the temporary name is removed, never written through.
  await rm(tmp, { force: true });
  await copyHashed(p.from, tmp, onBytes, signal);
  try {
    await link(tmp, p.to!);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new TransientJobError(`cannot restore ${p.to}: a file appeared there while restoring (a flush running at the same time?)`, { cause: e });
    }
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dirname(p.to!));
}

/**
 * Restores a backup while the app keeps running. Nothing live changes until every check passed
 * (checkBackupInto: manifest, lineage, every file copied into a staging folder next to the database
 * with its SHA-256 checked, the staged database, where each storage's files go, every segment a
 * valid Parquet file). Then the backup's storage files are put in place beside the live ones (a
 * name taken by a different file gets a fresh name), and one SQLite transaction replaces the
 * content of every partition (replaceDatabaseContent) and points the storages where their files
 * went. Storage files only the replaced data used are removed after the commit.
 *
 * A restore writes, renames and deletes only inside the data directory and the folders the user
 * confirmed (see planRestore). The CleanupJournal entry follows each step, so a crash at any point
 * leaves the old or the restored data whole and recoverBackupRestore() removes the leftovers.
 * Cancel works until the swap begins.
 */
export async function runRestore(engine: Engine, params: RestoreParams, ctx: JobContext): Promise<RestoreResult> {
  const backup = await openBackup(params.folder, { instanceId: engine.instanceId, allowForeign: params.allowForeign });
  const staging = stagingFolder(engine);
  const journal = new CleanupJournal(engine.backend);
  /** Files this restore created that no committed data references yet. */
  let created: string[] = [];
  let swapped = false;
  try {
    const checked = await checkBackupInto(engine, backup, params, staging.path, true, ctx);
    const { plan } = checked;
    throwIfCancelled(ctx);

    const placements = await planPlacements(checked, staging.path, staging.tag);
    const toPlace = placements.filter((p) => p.to !== undefined);
    const tmpOf = (p: Placement) => `${p.to!}.restore-tmp-${staging.tag}`;
    created = toPlace.flatMap((p) => [p.to!, tmpOf(p)]);
    // Recorded before the first file appears: a crash from here on leaves nothing behind.
    journal.set(staging.journalId, [staging.path, ...created], engine.now());
    const placing = new PhaseProgress(
      ctx,
      'placing files',
      toPlace.reduce((a, p) => a + p.file.entry.size_bytes, 0),
      'bytes',
    );
    for (const p of toPlace) {
      throwIfCancelled(ctx);
      await place(p, tmpOf(p), (n) => placing.add(n), ctx.signal);
    }
    placing.finish();
    throwIfCancelled(ctx);

    ctx.report({ phase: 'swapping', done: 0, total: null });
    let before = new Set<string>();
    const scopeDirs = new Set<string>();
    // Only files inside the restore's roots are ever removed: the old data's files elsewhere (a storage folder not confirmed) stay.
    const confined = (path: string) => plan.roots.some((r) => isInside(r, path));
    const oldFiles = replaceDatabaseContent(engine, checked.stagedDb, {
      before: () => {
        before = referencedPaths(engine.system);
      },
      after: () => {
        pointStorages(engine, plan);
        for (const p of placements) {
          if (p.rewrite === undefined) continue;
          engine.system.manifest.update(engine.system.manifest.keyOf(p.file.entry), (e) => ({ ...e, file_path: p.rewrite! }));
        }
        const after = referencedPaths(engine.system);
        const stale = [...before].filter((f) => !after.has(f) && confined(f));
        for (const f of [...before, ...after]) if (confined(f)) scopeDirs.add(dirname(f));
        journal.set(staging.journalId, [staging.path, ...stale], engine.now());
        return stale;
      },
    });
    swapped = true;
    engine.reload();
    ctx.report({ phase: 'cleaning up', done: 0, total: oldFiles.length, unit: 'files' });
    let removed = 0;
    for (const f of oldFiles) {
      if (!(await mayTouch(plan.roots, f, 'file-or-missing'))) continue;
      await rm(f, { force: true });
      removed++;
    }
    const dirs: string[] = [];
    for (const dir of scopeDirs) if (await mayTouch(plan.roots, dir, 'folder-or-missing')) dirs.push(dir);
    syncScopeManifests(engine, dirs);
    await staging.done();
    return { summary: checked.summary, filesPlaced: toPlace.length, filesRemoved: removed };
  } catch (e) {
    if (!swapped) {
      for (const f of created) await rm(f, { force: true });
      await staging.done();
    }
    throw e;
  }
}
