import { tableId } from '../../../shared/keys/table-id';
import type { StorageBackend } from '../storage/storage-backend';
import type { SystemTables } from '../system/system-tables';
import { dataPartition, tombstonePartition } from '../tables/table-schema';
import type { BackupTable } from './backup-format';

/** Rows per partition: what a restore checks the staged database against. */
export function partitionCounts(backend: StorageBackend): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of backend.listPartitions()) out[name] = backend.count(name);
  return out;
}

/** Rows per table for people: system tables, then data tables with hot (minus tombstones) and cold rows. */
export function tableSummary(backend: StorageBackend, system: SystemTables): BackupTable[] {
  const count = (p: string) => (backend.hasPartition(p) ? backend.count(p) : 0);
  const out: BackupTable[] = [];
  for (const name of system.providers.keys()) out.push({ table: `system.${name}`, type: 'system', hot_rows: count(`system.${name}`), cold_rows: 0 });
  for (const [, meta] of system.tables.scan()) {
    if (meta.table_type === 'system') continue;
    const id = tableId(meta.namespace_id, meta.table_name);
    const hot = meta.table_type === 'stream' ? count(dataPartition(id, 'stream')) : count(dataPartition(id, meta.table_type)) - count(tombstonePartition(id));
    let cold = 0;
    for (const segment of system.manifest.segmentsOf(id)) cold += segment.row_count;
    out.push({ table: `${meta.namespace_id}.${meta.table_name}`, type: meta.table_type, hot_rows: Math.max(0, hot), cold_rows: cold });
  }
  return out;
}
