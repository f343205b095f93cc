import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subject } from '../../access/subject';
import { StorageIdSchema } from '../../../../shared/keys/storage-id';
import { type UserId, UserIdSchema } from '../../../../shared/keys/user-id';
import { type UserName, UserNameInputSchema } from '../../../../shared/keys/user-name';
import type { User } from '../../../../shared/system/users';
import { Engine } from '../../engine';
import { EngineError, UniqueViolationError, ValidationError } from '../../errors';
import { verifyIndex } from '../../index/index-maintenance';
import type { UsersStore } from './users-store';
import { verifyPassword } from './passwords';

const uid = (s: string): UserId => UserIdSchema.parse(s);
const uname = (s: string): UserName => UserNameInputSchema.parse(s);
/** Shaped like an argon2id PHC string; enough for the schema, never hashed. */
const FAKE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$SECRET-HASH-BYTES';

let clock: number;
let engine: Engine;
let users: UsersStore;
beforeEach(() => {
  clock = 1_000;
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => clock });
  users = engine.system.users;
});
afterEach(() => engine.close());

function user(id: string, username: string, over: Partial<User> = {}): User {
  return {
    user_id: uid(id),
    // Raw input on purpose: the schema lower-cases it, as it would for a form.
    username: username as UserName,
    password_hash: null,
    role: 'user',
    email: null,
    auth_type: 'password',
    storage_mode: 'table',
    storage_id: null,
    failed_login_attempts: 0,
    locked_until: null,
    last_login_at: null,
    created_at: clock,
    updated_at: clock,
    deleted_at: null,
    ...over,
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

function fieldsOf(e: unknown): string[] {
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).issues.map((i) => i.field);
}

function expectIndexesClean(): void {
  for (const index of users.indexes.values()) {
    const report = verifyIndex(users, index);
    expect({ index: index.name, missing: report.missing, orphaned: report.orphaned, wrong: report.wrong }).toEqual({
      index: index.name,
      missing: [],
      orphaned: [],
      wrong: [],
    });
  }
}

describe('insert', () => {
  it('stores a user, lower-cases the username and indexes it', () => {
    const stored = users.insert(user('u1', 'Alice', { email: 'alice@example.com' }));
    expect(stored.username).toBe('alice');
    expect(users.get(uid('u1'))).toEqual(stored);
    expect(users.byUsername(uname('alice'))?.user_id).toBe('u1');
    expect([...users.withRole('user')].map((u) => u.user_id)).toEqual(['u1']);
    expectIndexesClean();
  });

  it('refuses a second user with the same id (ALREADY_EXISTS)', () => {
    users.insert(user('u1', 'alice'));
    const e = thrown(() => users.insert(user('u1', 'bob')));
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('ALREADY_EXISTS');
    expect(users.get(uid('u1'))?.username).toBe('alice');
    expect(users.byUsername(uname('bob'))).toBeUndefined();
  });

  it.each([
    ['alice', 'alice'],
    ['Alice', 'alice'],
    ['alice', 'ALICE'],
    [' Alice ', 'alice'],
  ])('refuses a duplicate username case-insensitively (%j then %j), writing nothing', (first, second) => {
    users.insert(user('u1', first));
    const countBefore = users.count();
    const e = thrown(() => users.insert(user('u2', second, { role: 'dba' })));
    expect(e).toBeInstanceOf(UniqueViolationError);
    const u = e as UniqueViolationError;
    expect(u.code).toBe('UNIQUE_VIOLATION');
    expect(u.field).toBe('username');
    expect(u.value).toBe('alice');
    expect(u.message).toContain('"alice"');
    // Nothing written: no row, no role index entry.
    expect(users.get(uid('u2'))).toBeUndefined();
    expect(users.count()).toBe(countBefore);
    expect([...users.withRole('dba')]).toEqual([]);
    expect(users.byUsername(uname('alice'))?.user_id).toBe('u1');
    expectIndexesClean();
  });
});

describe('rename', () => {
  it('frees the old name and takes the new one', () => {
    users.insert(user('u1', 'alice'));
    users.update(uid('u1'), (u) => ({ ...u, username: uname('alicia') }));
    expect(users.byUsername(uname('alice'))).toBeUndefined();
    expect(users.byUsername(uname('alicia'))?.user_id).toBe('u1');
    // The freed name can be taken by someone else.
    users.insert(user('u2', 'alice'));
    expect(users.byUsername(uname('alice'))?.user_id).toBe('u2');
    expectIndexesClean();
  });

  it('to a name another live user holds is refused and changes nothing', () => {
    users.insert(user('u1', 'alice'));
    users.insert(user('u2', 'bob'));
    const e = thrown(() => users.update(uid('u2'), (u) => ({ ...u, username: 'ALICE' as UserName, role: 'dba' })));
    expect(e).toBeInstanceOf(UniqueViolationError);
    expect(users.get(uid('u2'))).toMatchObject({ username: 'bob', role: 'user' });
    expect(users.byUsername(uname('bob'))?.user_id).toBe('u2');
    expect(users.byUsername(uname('alice'))?.user_id).toBe('u1');
    expectIndexesClean();
  });

  it('may not change the user id', () => {
    users.insert(user('u1', 'alice'));
    const e = thrown(() => users.update(uid('u1'), (u) => ({ ...u, user_id: uid('u9') })));
    expect((e as EngineError).code).toBe('VALIDATION');
    expect(users.get(uid('u9'))).toBeUndefined();
    expect(users.get(uid('u1'))).toBeDefined();
  });
});

describe('softDelete', () => {
  it('sets deleted_at, keeps the row and frees the username for a new user', () => {
    users.insert(user('u1', 'alice'));
    clock = 5_000;
    const deleted = users.softDelete(uid('u1'), clock);
    expect(deleted).toMatchObject({ deleted_at: 5_000, updated_at: 5_000 });
    expect(users.get(uid('u1'))).toMatchObject({ username: 'alice', deleted_at: 5_000 });
    expect(users.byUsername(uname('alice'))).toBeUndefined();

    users.insert(user('u2', 'Alice'));
    expect(users.byUsername(uname('alice'))?.user_id).toBe('u2');
    // Both rows remain; only the live one holds the name.
    expect(users.get(uid('u1'))?.deleted_at).toBe(5_000);
    expectIndexesClean();
  });

  it('of a missing user is NOT_FOUND', () => {
    const e = thrown(() => users.softDelete(uid('ghost'), 1));
    expect((e as EngineError).code).toBe('NOT_FOUND');
  });

  it('restoring a deleted user whose name was taken again is a unique violation', () => {
    users.insert(user('u1', 'alice'));
    users.softDelete(uid('u1'), 2_000);
    users.insert(user('u2', 'alice'));
    const e = thrown(() => users.update(uid('u1'), (u) => ({ ...u, deleted_at: null })));
    expect(e).toBeInstanceOf(UniqueViolationError);
    expect(users.get(uid('u1'))?.deleted_at).toBe(2_000);
    expectIndexesClean();
  });
});

describe('withRole', () => {
  it('lists users of a role, and follows role changes', () => {
    users.insert(user('u1', 'alice', { role: 'dba' }));
    users.insert(user('u2', 'bob'));
    users.insert(user('u3', 'carol', { role: 'dba' }));
    users.insert(user('u4', 'dave', { role: 'service' }));
    const ids = (role: 'user' | 'dba' | 'service' | 'system') => [...users.withRole(role)].map((u) => u.user_id).sort();
    expect(ids('dba')).toEqual(['u1', 'u3']);
    expect(ids('user')).toEqual(['u2']);
    expect(ids('service')).toEqual(['u4']);
    expect(ids('system')).toEqual(['root']);

    users.update(uid('u1'), (u) => ({ ...u, role: 'user' }));
    expect(ids('dba')).toEqual(['u3']);
    expect(ids('user')).toEqual(['u1', 'u2']);
    expectIndexesClean();
  });
});

describe('validation names the field', () => {
  it.each<[string, Partial<User>, string]>([
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['region storage without a storage id', { storage_mode: 'region', storage_id: null }, 'storage_id'],
    ['a hash with internal auth', { auth_type: 'internal', password_hash: FAKE_HASH }, 'password_hash'],
    ['a hash with oauth', { auth_type: 'oauth', password_hash: FAKE_HASH }, 'password_hash'],
    ['a hash that is not argon2id', { auth_type: 'password', password_hash: '$2b$10$bcrypt' }, 'password_hash'],
    ['a negative failed login count', { failed_login_attempts: -1 }, 'failed_login_attempts'],
  ])('%s → %s, and nothing is written', (_what, over, field) => {
    const before = users.count();
    const e = thrown(() => users.insert(user('u1', 'alice', over)));
    expect(fieldsOf(e)).toEqual([field]);
    expect((e as ValidationError).code).toBe('VALIDATION');
    expect(users.count()).toBe(before);
    expect(users.get(uid('u1'))).toBeUndefined();
    expect(users.byUsername(uname('alice'))).toBeUndefined();
  });

  it('accepts what those rules allow', () => {
    users.insert(user('u1', 'alice', { storage_mode: 'region', storage_id: StorageIdSchema.parse('eu') }));
    users.insert(user('u2', 'bob', { auth_type: 'password', password_hash: FAKE_HASH, email: 'bob@example.com' }));
    users.insert(user('u3', 'carol', { auth_type: 'oauth', password_hash: null }));
    expect(users.count()).toBe(4);
  });

  it('applies on update too, leaving the stored user as it was', () => {
    users.insert(user('u1', 'alice', { email: 'alice@example.com' }));
    const e = thrown(() => users.update(uid('u1'), (u) => ({ ...u, email: 'nope' })));
    expect(fieldsOf(e)).toEqual(['email']);
    expect(users.get(uid('u1'))?.email).toBe('alice@example.com');
  });
});

describe('setPassword', () => {
  it('stores an argon2id hash that verifies the right password only', async () => {
    users.insert(user('u1', 'alice', { auth_type: 'internal', failed_login_attempts: 3, locked_until: 9_999 }));
    clock = 7_000;
    const updated = await users.setPassword(uid('u1'), 'correct horse battery', clock);
    const stored = users.get(uid('u1'))!;
    expect(stored).toEqual(updated);
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.password_hash).not.toContain('correct horse battery');
    expect(stored).toMatchObject({ auth_type: 'password', failed_login_attempts: 0, locked_until: null, updated_at: 7_000 });
    expect(await verifyPassword(stored.password_hash!, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored.password_hash!, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(stored.password_hash!, '')).toBe(false);
  });

  it('refuses a short password with a field error and changes nothing', async () => {
    users.insert(user('u1', 'alice', { password_hash: FAKE_HASH }));
    const before = users.get(uid('u1'));
    const e = await rejected(users.setPassword(uid('u1'), 'short', 2_000));
    expect(fieldsOf(e)).toEqual(['password']);
    expect((e as ValidationError).message).toContain('password');
    expect(users.get(uid('u1'))).toEqual(before);
  });

  it('verifyPassword is false for a hash that is not one', async () => {
    expect(await verifyPassword('garbage', 'whatever1')).toBe(false);
  });
});

describe('the users provider', () => {
  const dba: Subject = { userId: uid('root'), role: 'dba' };

  beforeEach(() => {
    users.insert(user('u1', 'alice', { password_hash: FAKE_HASH, email: 'alice@example.com' }));
    users.insert(user('u2', 'bob', { password_hash: FAKE_HASH, role: 'dba' }));
    users.insert(user('u3', 'carol', { password_hash: FAKE_HASH }));
    // The hash is really stored, so its absence below is the provider's doing.
    expect(users.get(uid('u1'))?.password_hash).toBe(FAKE_HASH);
  });

  const provider = () => engine.system.providers.get('users')!;

  it('has no password_hash column', () => {
    const names = provider()
      .columns()
      .map((c) => c.name);
    expect(names).not.toContain('password_hash');
    expect(names).toEqual(expect.arrayContaining(['user_id', 'username', 'role', 'email', 'auth_type', 'deleted_at']));
    expect(JSON.stringify(provider().columns())).not.toContain('password');
  });

  it('never returns password_hash in browsed rows, however they are browsed', () => {
    const p = provider();
    const pages = [
      p.browse(dba, { limit: 100 }),
      p.browse(dba, { limit: 2 }),
      p.browse(dba, { limit: 100, direction: 'backward' }),
      p.browse(dba, { limit: 100, sort: { column: 'role', order: 'desc' } }),
      p.browse(dba, { limit: 100, sort: { column: 'user_id', order: 'desc' } }),
      p.browse(dba, { limit: 100, filters: [{ column: 'role', op: 'eq', value: 'dba' }] }),
      p.browse(dba, { limit: 100, filters: [{ column: 'username', op: 'eq', value: 'alice' }] }),
      p.browse(dba, { limit: 100, seek: 'u2' }),
    ];
    expect(pages[0]!.rows.map((r) => r.key)).toEqual(['root', 'u1', 'u2', 'u3']);
    expect(pages[0]!.rows[1]!.values).toMatchObject({ user_id: 'u1', username: 'alice', email: 'alice@example.com' });
    for (const page of pages) {
      expect(page.rows.length).toBeGreaterThan(0);
      const json = JSON.stringify(page);
      expect(json).not.toContain('password_hash');
      expect(json).not.toContain('argon2id');
      expect(json).not.toContain('SECRET-HASH-BYTES');
      for (const row of page.rows) expect(Object.keys(row.values)).not.toContain('password_hash');
    }
  });

  it('never returns password_hash from get()', () => {
    const row = provider().get(dba, 'u1');
    expect(row).toBeDefined();
    expect(row!.values).toMatchObject({ user_id: 'u1', username: 'alice' });
    expect(JSON.stringify(row)).not.toContain('password_hash');
    expect(JSON.stringify(row)).not.toContain('argon2id');
  });
});
