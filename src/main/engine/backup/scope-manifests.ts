import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { scopeManifest, writeScopeManifest } from '../cold/scope-manifest';
import type { Engine } from '../engine';
import { referencedFiles, type StorageFile } from './storage-files';

/**
 * Rewrites the manifest.json of each scope folder in `dirs` from system.manifest (the authority),
 * after a restore replaced it: a folder left without segments loses its manifest.json.
 */
export function syncScopeManifests(engine: Engine, dirs: Iterable<string>): void {
  const byDir = new Map<string, StorageFile[]>();
  for (const f of referencedFiles(engine.system)) {
    const dir = dirname(f.absolute);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  for (const dir of new Set(dirs)) {
    if (!existsSync(dir)) continue;
    const files = byDir.get(dir) ?? [];
    const first = files[0]?.entry;
    const table = first ? `${first.namespace_id}.${first.table_name}` : '';
    writeScopeManifest(
      dir,
      scopeManifest(
        table,
        first?.user_id ?? null,
        files.map((f) => f.entry),
      ),
    );
  }
}
