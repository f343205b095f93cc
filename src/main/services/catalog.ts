import { canRead, canWrite } from '../../shared/access';
import type { IndexInfo } from '../../shared/contract/indexes-contract';
import type { VersionedRow } from '../../shared/contract/rows-contract';
import type { TableSummary } from '../../shared/contract/tables-contract';
import { isEditableSystemTable } from '../../shared/forms';
import { SYSTEM_NAMESPACE } from '../../shared/keys/namespace-id';
import { TableIdKey } from '../../shared/keys/table-id';
import { AccessDeniedError, assertCanRead, type Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { EngineError, NotFoundError } from '../engine/errors';
import { indexStats } from '../engine/index/index-maintenance';
import type { SecondaryIndex } from '../engine/index/secondary-index';
import type { TableProvider } from '../engine/provider/table-provider';
import type { EntityStore } from '../engine/store/entity-store';
import { systemPartition } from '../engine/store/system-table-store';
import { type AuditSummary, summarize } from './audit';
import { asInput } from './errors';

/** One system table as the services see it: its browsing provider and its store. */
export interface SystemTableEntry {
  /** "users" */
  readonly name: string;
  /** "system.users" */
  readonly ref: string;
  readonly provider: TableProvider;
  readonly store: EntityStore<unknown, object>;
}

/** The system tables by name, and what the services ask of them (rows, versions, index info). */
export class SystemCatalog {
  private readonly entries: ReadonlyMap<string, SystemTableEntry>;

  constructor(engine: Engine) {
    const stores = new Map(engine.system.stores().map((s) => [s.partition, s]));
    const entries = new Map<string, SystemTableEntry>();
    for (const [name, provider] of engine.system.providers) {
      const store = stores.get(systemPartition(name));
      if (!store) throw new Error(`system.${name} has a provider but no store`);
      entries.set(name, { name, ref: `system.${name}`, provider, store });
    }
    this.entries = entries;
  }

  list(): SystemTableEntry[] {
    return [...this.entries.values()];
  }

  /** The table a "<namespace>.<table>" reference names; NOT_FOUND for anything else. */
  resolve(ref: string): SystemTableEntry {
    const id = asInput('table', () => TableIdKey.parse(ref));
    const entry = id.namespace === SYSTEM_NAMESPACE ? this.entries.get(id.table) : undefined;
    if (!entry) throw new NotFoundError(`table ${TableIdKey.display(id)}`);
    return entry;
  }

  /** The resolved table, checked readable for the subject. */
  readable(ref: string, subject: Subject): SystemTableEntry {
    const entry = this.resolve(ref);
    assertCanRead(subject, entry.ref, entry.provider.access);
    return entry;
  }

  index(entry: SystemTableEntry, name: string): SecondaryIndex<object> {
    const index = entry.store.indexes.get(name);
    if (!index) throw new EngineError('NOT_FOUND', `index "${name}" does not exist on ${entry.ref}`);
    return index;
  }

  /** The table's indexes, with what `subject` may do with them. */
  indexInfos(entry: SystemTableEntry, subject: Subject): IndexInfo[] {
    const access = entry.provider.access;
    const rebuildRefusal = canWrite(subject.role, access) ? null : new AccessDeniedError(subject.role, 'write', entry.ref, access).message;
    return [...entry.store.indexes.values()].map((index) => {
      const stats = indexStats(entry.store, index);
      return { table: entry.ref, ...stats, fields: [...stats.fields], rebuildRefusal };
    });
  }

  /** The table as `subject` sees it (whether it may read it, and write through forms). */
  summary(entry: SystemTableEntry, subject: Subject): TableSummary {
    const editable = isEditableSystemTable(entry.name);
    return {
      table: entry.ref,
      namespace: SYSTEM_NAMESPACE,
      name: entry.name,
      kind: entry.provider.kind,
      access: entry.provider.access,
      editable,
      canRead: canRead(subject.role, entry.provider.access),
      canWrite: editable && canWrite(subject.role, entry.provider.access),
    };
  }

  /** The encoded key of a key in display form; a bad key is a VALIDATION error on `field`. */
  encodeKey(entry: SystemTableEntry, keyText: string, field = 'key'): Uint8Array {
    return asInput(field, () => entry.store.keyCodec.encode(entry.store.keyCodec.parse(keyText)));
  }

  displayKey(entry: SystemTableEntry, keyBytes: Uint8Array): string {
    return entry.store.keyCodec.display(entry.store.keyCodec.decode(keyBytes));
  }

  /** A row (secrets removed) and its version; NOT_FOUND when there is none. */
  versionedRow(entry: SystemTableEntry, keyText: string, subject: Subject): VersionedRow {
    this.encodeKey(entry, keyText); // a bad key is a VALIDATION error on "key", not a read failure
    const row = entry.provider.get(subject, keyText);
    if (!row) throw new NotFoundError(`${entry.ref} row "${keyText}"`);
    return { row, version: row.version };
  }

  /** The audit log's view of an entity: its columns, without secrets. */
  summarize(entry: SystemTableEntry, value: object): AuditSummary {
    return summarize(entry.provider.columns(), value);
  }
}
