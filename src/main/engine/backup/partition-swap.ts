import type { Engine } from '../engine';
import { migrate } from '../migrations';
import { followStorageDirectory } from '../system/storages/local-storage-root';
import { CLEANUP_PARTITION } from './cleanup-journal';

/**
 * Partitions a restore leaves as they are: what the running process does rather than what the data
 * is (the jobs list, including the restore job itself; live subscriptions) and the cleanup journal.
 */
export function keptOnRestore(partition: string): boolean {
  return (
    partition === CLEANUP_PARTITION ||
    partition === 'system.jobs' ||
    partition.startsWith('system.jobs.') ||
    partition === 'system.live_queries' ||
    partition.startsWith('system.live_queries.')
  );
}

/** Engine-owned partitions are emptied rather than dropped when the backup lacks them: the stores expect them. */
function engineOwned(partition: string): boolean {
  return partition.startsWith('system.') || partition.startsWith('engine.');
}

/**
 * Replaces the content of every partition of the live database with that of the staged database
 * file, in ONE transaction on the engine's own connection, so the engine stays open and a crash
 * leaves either the old or the new content (SQLite's WAL). Partitions only the staged database has
 * are created, partitions it lacks are dropped (engine-owned ones emptied), kept ones (see
 * keptOnRestore) are untouched. Then, still inside the transaction: the database is migrated to
 * this build's schema, the row sequence is moved above every id handed out before (ids never go
 * backwards), and `hooks.after()` runs (`hooks.before()` ran first, on the old content) (file path rewrites, the cleanup journal). The caller reloads the
 * engine's caches after it returns (Engine.reload).
 */
export function replaceDatabaseContent<T>(engine: Engine, stagedPath: string, hooks: { before(): void; after(): T }): T {
  const backend = engine.backend;
  // Attached outside the swap's transaction (SQLite refuses ATTACH inside one), which starts right after.
  return backend.withAttached(stagedPath, (staged) =>
    backend.transaction(() => {
      hooks.before();
      // A staged table whose name is no partition name is refused here too (the restore's check refused it first).
      const names = new Set(staged.listPartitions());
      for (const name of backend.listPartitions()) {
        if (keptOnRestore(name) || names.has(name)) continue;
        if (engineOwned(name)) backend.deleteRange(name);
        else backend.dropPartition(name);
      }
      for (const name of names) if (!keptOnRestore(name)) staged.copyPartition(name);
      backend.reloadSchema();
      // A backup of an older schema is brought up to this build's.
      migrate({ backend, now: engine.now(), storageDirectory: engine.storageDirectory });
      // A backup of another data directory brings its path in: local follows this one (as at open).
      followStorageDirectory(backend, engine.system.storages, engine.storageDirectory, engine.now());
      // Reserve a fresh block above both the restored mark and every id this process handed out.
      engine.sequence.reload();
      engine.sequence.nextValue();
      return hooks.after();
    }),
  );
}
