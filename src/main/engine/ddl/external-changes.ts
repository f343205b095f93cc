import { TableIdKey } from '../../../shared/keys/table-id';
import type { DatabaseBackend } from '../storage/sqlite/sqlite-operations';
import type { SystemTables } from '../system/system-tables';
import type { DataTables } from '../tables/data-tables';

export interface ExternalCatalogDeps {
  readonly backend: DatabaseBackend;
  readonly system: SystemTables;
  readonly data: DataTables;
}

/**
 * Notices namespaces and tables created, altered or dropped by another process on the same
 * database (the CLI's `seed`, a second app): such DDL reaches this process through no call of its
 * own, so nothing announces it. `check()` is cheap when nothing was committed elsewhere (two
 * pragmas); otherwise it compares the catalog (namespace names, table names and schema versions)
 * with the last one seen, and when it moved, forgets what this connection cached about partitions
 * and data tables, so the new tables can be read at once.
 */
export class ExternalCatalogWatch {
  private counters: { data: number; schema: number };
  private fingerprint: string;

  constructor(private readonly deps: ExternalCatalogDeps) {
    this.counters = deps.backend.changeCounters();
    this.fingerprint = this.catalogFingerprint();
  }

  /** True when the catalog changed since the last check (or construction) through another connection or this one. */
  check(): boolean {
    const counters = this.deps.backend.changeCounters();
    if (counters.data === this.counters.data && counters.schema === this.counters.schema) return false;
    const schemaMoved = counters.schema !== this.counters.schema;
    this.counters = counters;
    if (schemaMoved) this.deps.backend.reloadSchema();
    const fingerprint = this.catalogFingerprint();
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.deps.data.forgetAll();
    return true;
  }

  private catalogFingerprint(): string {
    const parts: string[] = [];
    for (const key of this.deps.system.namespaces.scanKeys()) parts.push(String(key));
    for (const [id, t] of this.deps.system.tables.scan()) parts.push(`${TableIdKey.display(id)}@${t.schema_version}`);
    return parts.join('\n');
  }
}
