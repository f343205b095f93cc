import { describe, expect, it } from 'vitest';
import { canRead, canWrite, type Role, RoleSchema, type TableAccess, TableAccessSchema } from '../../../shared/access';
import { AccessDeniedError, assertCanRead, assertCanWrite, SYSTEM_SUBJECT } from './subject';

/**
 * The whole rule table, written out cell by cell (not derived from the implementation):
 *   read:  public → user, service, dba, system (not anonymous)
 *          private, restricted → service, dba, system
 *          dba → dba, system
 *   write: public, private, restricted → service, dba, system
 *          dba → dba, system
 */
const READ: Record<Role, Record<TableAccess, boolean>> = {
  anonymous: { public: false, private: false, restricted: false, dba: false },
  user: { public: true, private: false, restricted: false, dba: false },
  service: { public: true, private: true, restricted: true, dba: false },
  dba: { public: true, private: true, restricted: true, dba: true },
  system: { public: true, private: true, restricted: true, dba: true },
};

const WRITE: Record<Role, Record<TableAccess, boolean>> = {
  anonymous: { public: false, private: false, restricted: false, dba: false },
  user: { public: false, private: false, restricted: false, dba: false },
  service: { public: true, private: true, restricted: true, dba: false },
  dba: { public: true, private: true, restricted: true, dba: true },
  system: { public: true, private: true, restricted: true, dba: true },
};

const ROLES: Role[] = ['anonymous', 'user', 'service', 'dba', 'system'];
const LEVELS: TableAccess[] = ['public', 'private', 'restricted', 'dba'];

const cells = (table: Record<Role, Record<TableAccess, boolean>>) => ROLES.flatMap((role) => LEVELS.map((level) => [role, level, table[role][level]] as const));

describe('access rules', () => {
  it('the table covers exactly the 5 roles and 4 levels of the schemas', () => {
    expect([...RoleSchema.options].sort()).toEqual([...ROLES].sort());
    expect([...TableAccessSchema.options].sort()).toEqual([...LEVELS].sort());
    expect(cells(READ)).toHaveLength(20);
    expect(cells(WRITE)).toHaveLength(20);
  });

  describe('canRead', () => {
    it.each(cells(READ))('%s on a %s table → %s', (role, level, allowed) => {
      expect(canRead(role, level)).toBe(allowed);
    });
  });

  describe('canWrite', () => {
    it.each(cells(WRITE))('%s on a %s table → %s', (role, level, allowed) => {
      expect(canWrite(role, level)).toBe(allowed);
    });
  });

  it('whoever may write may also read', () => {
    for (const [role, level, allowed] of cells(WRITE)) if (allowed) expect(canRead(role, level)).toBe(true);
  });

  it('anonymous may do nothing; system may do everything', () => {
    for (const level of LEVELS) {
      expect(canRead('anonymous', level)).toBe(false);
      expect(canWrite('anonymous', level)).toBe(false);
      expect(canRead('system', level)).toBe(true);
      expect(canWrite('system', level)).toBe(true);
    }
  });
});

describe('assertCanRead / assertCanWrite', () => {
  it.each(cells(READ))('read: %s on %s (allowed: %s)', (role, level, allowed) => {
    const run = () => assertCanRead({ userId: null, role }, 'system.users', level);
    if (allowed) expect(run).not.toThrow();
    else {
      expect(run).toThrow(AccessDeniedError);
      expect(run).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED', message: `role "${role}" may not read system.users (access level ${level})` }));
    }
  });

  it.each(cells(WRITE))('write: %s on %s (allowed: %s)', (role, level, allowed) => {
    const run = () => assertCanWrite({ userId: null, role }, 'system.users', level);
    if (allowed) expect(run).not.toThrow();
    else {
      expect(run).toThrow(AccessDeniedError);
      expect(run).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED', message: `role "${role}" may not write system.users (access level ${level})` }));
    }
  });

  it('SYSTEM_SUBJECT is the system role without a user', () => {
    expect(SYSTEM_SUBJECT).toEqual({ userId: null, role: 'system' });
    expect(() => assertCanWrite(SYSTEM_SUBJECT, 'system.users', 'dba')).not.toThrow();
  });
});
