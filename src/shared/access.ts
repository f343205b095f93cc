import { z } from 'zod';

/** Who is asking. `anonymous` is an unauthenticated caller; `system` is the engine itself. */
export const RoleSchema = z.enum(['anonymous', 'user', 'service', 'dba', 'system']);
export type Role = z.infer<typeof RoleSchema>;

/** How far a shared or system table opens to roles. */
export const TableAccessSchema = z.enum(['public', 'private', 'restricted', 'dba']);
export type TableAccess = z.infer<typeof TableAccessSchema>;

const READERS: Record<TableAccess, ReadonlySet<Role>> = {
  public: new Set(['user', 'service', 'dba', 'system']),
  private: new Set(['service', 'dba', 'system']),
  restricted: new Set(['service', 'dba', 'system']),
  dba: new Set(['dba', 'system']),
};

const WRITERS: Record<TableAccess, ReadonlySet<Role>> = {
  public: new Set(['service', 'dba', 'system']),
  private: new Set(['service', 'dba', 'system']),
  restricted: new Set(['service', 'dba', 'system']),
  dba: new Set(['dba', 'system']),
};

/** The one rule set for reading a cross-user table. */
export function canRead(role: Role, access: TableAccess): boolean {
  return READERS[access].has(role);
}

/** The one rule set for writing a cross-user table. */
export function canWrite(role: Role, access: TableAccess): boolean {
  return WRITERS[access].has(role);
}
