import type { AuditId } from '../../../../shared/keys/audit-id';
import type { AuditEntry } from '../../../../shared/system/audit-log';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { auditLogTable } from './audit-log-table';

export class AuditLogStore extends SystemTableStore<AuditId, AuditEntry> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, auditLogTable));
  }

  /**
   * Appends an entry with the next sequence number. Call it inside the transaction of the write it
   * records, so the write and its audit entry commit together.
   */
  append(entry: Omit<AuditEntry, 'audit_id'>): AuditEntry {
    return this.backend.transaction(() => {
      const last = this.scanKeys({ reverse: true, limit: 1 }).next();
      const next = (last.done ? 0 : last.value + 1) as AuditId;
      return this.insert({ ...entry, audit_id: next });
    });
  }
}
