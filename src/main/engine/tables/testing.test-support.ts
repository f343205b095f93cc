/**
 * Helpers for the data-table tests (the name does not match the vitest include, so it only runs
 * when imported): an in-memory engine with a controllable clock, subjects, and error checks.
 */
import { expect } from 'vitest';
import type { Role } from '../../../shared/access';
import type { CreateTableInput } from '../../../shared/ddl';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import { type UserId, UserIdSchema } from '../../../shared/keys/user-id';
import { UserNameSchema } from '../../../shared/keys/user-name';
import { type Subject, SYSTEM_SUBJECT } from '../access/subject';
import { Engine } from '../engine';
import { EngineError, type EngineErrorCode, ValidationError } from '../errors';
import { newUser } from '../system/users/new-user';

export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function testClock(start = 1_767_225_600_000): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** An in-memory engine with namespace "app" and the given clock. */
export function testEngine(clock: TestClock = testClock(), databasePath = ':memory:'): Engine {
  const engine = Engine.open({ databasePath, storageDirectory: '/tmp/kalam-test-storage', now: () => clock.now() });
  if (!engine.system.namespaces.exists('app' as never)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  return engine;
}

export const uid = (s: string): UserId => UserIdSchema.parse(s);

/** Live users with these ids (and the same usernames): an admin may only name existing users as owners of new rows. */
export function addUsers(engine: Engine, ...ids: string[]): void {
  for (const id of ids) engine.system.users.insert(newUser({ user_id: uid(id), username: UserNameSchema.parse(id) }, engine.now()));
}
export const tid = (s: string): TableId => TableIdKey.parse(s);

/** A subject acting as a user (a "view as"), role user unless given. */
export const as = (user: string, role: Role = 'user'): Subject => ({ userId: uid(user), role });
/** The admin view: no user, role dba. */
export const ADMIN: Subject = { userId: null, role: 'dba' };
export { SYSTEM_SUBJECT };

export function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

/** Asserts an EngineError with the code; for VALIDATION also the exact field names (in order). */
export function expectError(fn: () => unknown, code: EngineErrorCode, fields?: readonly string[]): EngineError {
  const e = errorOf(fn);
  expect(e, String(e)).toBeInstanceOf(EngineError);
  expect((e as EngineError).code, (e as Error).message).toBe(code);
  if (fields) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.field)).toEqual(fields);
  }
  return e as EngineError;
}

/** The message of the issue for a field. */
export function issueOf(e: EngineError, field: string): string | undefined {
  return (e as ValidationError).issues.find((i) => i.field === field)?.message;
}

/** A table definition: columns id (integer key), title (text, not null), done (boolean, default false), note (nullable text). */
export function todoTable(type: CreateTableInput['type'], name = `todos_${type}`, extra: Partial<CreateTableInput> = {}): CreateTableInput {
  return {
    namespace: 'app',
    name,
    type,
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text', nullable: false },
      { name: 'done', type: 'boolean', nullable: false, default: false },
      { name: 'note', type: 'text' },
    ],
    ...(type === 'shared' ? { access_level: 'public' as const } : {}),
    ...(type === 'stream' ? { ttl_seconds: 60 } : {}),
    ...extra,
  };
}
