import { z } from 'zod';
import { RoleSchema } from '../access';
import { timestamp } from '../column-meta';
import { AuditIdSchema } from '../keys/audit-id';
import { UserIdSchema } from '../keys/user-id';

/** system.audit_log: every write made through the services, oldest first. */
export const AuditEntrySchema = z.object({
  audit_id: AuditIdSchema,
  actor_user_id: UserIdSchema.nullable(),
  actor_role: RoleSchema,
  /** What was done, e.g. "users.update". */
  action: z.string().min(1).max(200),
  /** What it was done to, e.g. "system.users/u_42". */
  target: z.string().min(1).max(1000),
  at: timestamp(),
  /** Summaries of the entity before and after (secrets removed); null for creates and deletes. */
  before: z.json().nullable(),
  after: z.json().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
