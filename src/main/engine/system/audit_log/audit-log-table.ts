import { type AuditId, AuditIdKey } from '../../../../shared/keys/audit-id';
import { type AuditEntry, AuditEntrySchema } from '../../../../shared/system/audit-log';
import type { SystemTableDefinition } from '../system-table-definition';

export const auditLogTable: SystemTableDefinition<AuditId, AuditEntry> = {
  name: 'audit_log',
  key: AuditIdKey,
  entity: { kind: 'audit_entry', version: 1, schema: AuditEntrySchema },
  keyOf: (e) => e.audit_id,
  keyColumns: ['audit_id'],
  indexes: [],
};
