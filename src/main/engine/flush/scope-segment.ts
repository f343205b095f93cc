import { join } from 'node:path';
import type { TableId } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import type { Storage } from '../../../shared/system/storages';
import type { TableMetadata } from '../../../shared/system/tables';
import { TEMP_SUFFIX } from '../cold/durable-fs';
import { scopeDirectory, segmentPath } from '../cold/storage-paths';
import type { Engine } from '../engine';
import { mkdirPrivateSync } from '../private-files';
import type { JournalSegment } from './flush-journal';

/** The next segment file of one scope, as a flush or a compaction is about to write it. */
export interface NewScopeSegment {
  /** Relative to the storage's base directory: what system.manifest records. */
  readonly relPath: string;
  /** What the journal records before the file's first byte. */
  readonly segment: JournalSegment;
}

/** Picks the scope's next batch and its file path, and creates the scope's folder. */
export function newScopeSegment(engine: Engine, id: TableId, storage: Storage, meta: TableMetadata, user: UserId | null): NewScopeSegment {
  const batch = engine.system.manifest.nextBatch(id, user);
  const relDir = scopeDirectory(storage, meta, user);
  const dir = join(storage.base_directory, relDir);
  mkdirPrivateSync(dir);
  const relPath = segmentPath(relDir, batch);
  const final = join(storage.base_directory, relPath);
  return { relPath, segment: { user, batch, temp: final + TEMP_SUFFIX, final, dir } };
}
