import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/access';
import { JobIdSchema } from '../../../shared/keys/job-id';
import { type UserId, UserIdSchema } from '../../../shared/keys/user-id';
import { type UserName, UserNameInputSchema } from '../../../shared/keys/user-name';
import type { User } from '../../../shared/system/users';
import { AccessDeniedError, type Subject } from '../access/subject';
import { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { verifyIndex } from '../index/index-maintenance';
import { auditLogTable } from './audit_log/audit-log-table';
import { jobsTable } from './jobs/jobs-table';
import { liveQueriesTable } from './live_queries/live-queries-table';
import { manifestTable } from './manifest/manifest-table';
import { namespacesTable } from './namespaces/namespaces-table';
import { schedulesTable } from './schedules/schedules-table';
import { storagesTable } from './storages/storages-table';
import type { SystemTableDefinition } from './system-table-definition';
import { tablesTable } from './tables/tables-table';
import { usersTable } from './users/users-table';

const DEFINITIONS: Record<string, SystemTableDefinition<unknown, object>> = {
  users: usersTable,
  namespaces: namespacesTable,
  tables: tablesTable,
  storages: storagesTable,
  jobs: jobsTable,
  live_queries: liveQueriesTable,
  audit_log: auditLogTable,
  manifest: manifestTable,
  schedules: schedulesTable,
} as unknown as Record<string, SystemTableDefinition<unknown, object>>;
const TABLES = Object.keys(DEFINITIONS);

const uid = (s: string): UserId => UserIdSchema.parse(s);
const uname = (s: string): UserName => UserNameInputSchema.parse(s);
const subject = (role: Role): Subject => ({ userId: role === 'anonymous' ? null : uid('someone'), role });

let engine: Engine;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
});
afterEach(() => engine.close());

function user(id: string, username: string, over: Partial<User> = {}): User {
  return {
    user_id: uid(id),
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
    created_at: 1_000,
    updated_at: 1_000,
    deleted_at: null,
    ...over,
  };
}

describe('providers', () => {
  it('exist for the nine system tables, in sidebar order, named by their table id', () => {
    expect([...engine.system.providers.keys()]).toEqual([
      'users',
      'namespaces',
      'tables',
      'storages',
      'jobs',
      'live_queries',
      'audit_log',
      'manifest',
      'schedules',
    ]);
    for (const [name, provider] of engine.system.providers) {
      expect(provider.tableId).toEqual({ namespace: 'system', table: name });
      expect(provider.kind).toBe('system');
      expect(provider.access).toBe('dba');
    }
    expect(engine.system.stores()).toHaveLength(9);
  });

  it.each(TABLES)('%s: the key columns, and only they, are primary keys', (name) => {
    const def = DEFINITIONS[name]!;
    const columns = engine.system.providers.get(name)!.columns();
    const names = columns.map((c) => c.name);
    for (const key of def.keyColumns) expect(names).toContain(key);
    expect(columns.filter((c) => c.primaryKey).map((c) => c.name)).toEqual([...def.keyColumns].sort((a, b) => names.indexOf(a) - names.indexOf(b)));
    expect(columns.filter((c) => c.primaryKey).length).toBeGreaterThan(0);
  });

  it('key columns are the ones expected', () => {
    const keys = (name: string) =>
      engine.system.providers
        .get(name)!
        .columns()
        .filter((c) => c.primaryKey)
        .map((c) => c.name);
    expect(keys('users')).toEqual(['user_id']);
    expect(keys('namespaces')).toEqual(['namespace_id']);
    expect(keys('tables')).toEqual(['namespace_id', 'table_name']);
    expect(keys('storages')).toEqual(['storage_id']);
    expect(keys('jobs')).toEqual(['job_id']);
    expect(keys('live_queries')).toEqual(['user_id', 'connection_id', 'subscription_id']);
    expect(keys('audit_log')).toEqual(['audit_id']);
    expect(keys('manifest')).toEqual(['namespace_id', 'table_name', 'user_id', 'batch']);
  });

  it.each(TABLES)('%s: a column names an index exactly when it is the first field of a full (non-partial) index', (name) => {
    const def = DEFINITIONS[name]!;
    const columns = engine.system.providers.get(name)!.columns();
    const store = engine.system.stores().find((s) => s.partition === `system.${name}`)!;
    for (const index of def.indexes) {
      const first = columns.find((c) => c.name === index.fields[0]);
      expect(first, `${name}.${index.name}: first field ${index.fields[0]} is a column`).toBeDefined();
      if (!index.partial) expect(first!.index).toBe(index.name);
      // Later fields do not sort through the index: its order is the first field's.
      for (const later of index.fields.slice(1)) {
        const c = columns.find((col) => col.name === later);
        if (c && !def.indexes.some((i) => !i.partial && i.fields[0] === later)) expect(c.index).toBeUndefined();
      }
    }
    for (const c of columns) {
      if (c.index === undefined) continue;
      // Every advertised index exists on the store and is a full index whose first field is that column.
      const index = store.index(c.index);
      expect(index.definition.fields[0]).toBe(c.name);
      expect(index.definition.partial ?? false).toBe(false);
    }
  });

  it('indexed columns are the ones expected', () => {
    const indexed = (name: string) =>
      Object.fromEntries(
        engine.system.providers
          .get(name)!
          .columns()
          .filter((c) => c.index !== undefined)
          .map((c) => [c.name, c.index]),
      );
    expect(indexed('users')).toEqual({ role: 'role' });
    expect(indexed('tables')).toEqual({ storage_id: 'storage' });
    expect(indexed('jobs')).toEqual({ status: 'status_created' });
    for (const name of ['namespaces', 'storages', 'live_queries', 'audit_log', 'manifest']) expect(indexed(name)).toEqual({});
  });
});

describe('browsing never hides rows', () => {
  // Partial indexes leave rows out: a sort or an equality filter through one would drop them.
  beforeEach(() => {
    const users = engine.system.users;
    users.insert(user('u1', 'alice'));
    users.softDelete(uid('u1'), 2_000);
    users.insert(user('u2', 'alice', { role: 'dba' }));
    users.insert(user('u3', 'bob'));
    const jobs = engine.system.jobs;
    const job = (id: string, status: 'queued' | 'completed', key: string | null, created_at: number) =>
      jobs.insert({
        job_id: JobIdSchema.parse(id),
        job_type: 'flush',
        status,
        parameters: {},
        progress: null,
        message: null,
        result: null,
        error: null,
        idempotency_key: key,
        owner: null,
        retries: 0,
        max_retries: 0,
        created_at,
        started_at: null,
        finished_at: null,
        updated_at: created_at,
      });
    job('FL-1', 'completed', 'flush:app.t', 1);
    job('FL-2', 'queued', 'flush:app.t', 2);
    job('FL-3', 'queued', null, 3);
  });

  const dba = subject('dba');

  it.each(TABLES)('%s: sorting by any sortable column returns every row', (name) => {
    const provider = engine.system.providers.get(name)!;
    const all = provider.count(dba);
    for (const c of provider.columns()) {
      if (!c.primaryKey && c.index === undefined) continue;
      for (const order of ['asc', 'desc'] as const) {
        const page = provider.browse(dba, { limit: 1000, sort: { column: c.name, order } });
        expect(page.rows, `${name} sorted by ${c.name} ${order}`).toHaveLength(all);
      }
    }
  });

  it('filtering users by username finds the deleted user too', () => {
    const page = engine.system.providers.get('users')!.browse(dba, { limit: 100, filters: [{ column: 'username', op: 'eq', value: 'alice' }] });
    expect(page.rows.map((r) => r.key)).toEqual(['u1', 'u2']);
  });

  it('filtering jobs by idempotency key finds finished jobs too', () => {
    const page = engine.system.providers.get('jobs')!.browse(dba, { limit: 100, filters: [{ column: 'idempotency_key', op: 'eq', value: 'flush:app.t' }] });
    expect(page.rows.map((r) => r.key)).toEqual(['FL-1', 'FL-2']);
  });

  it('sorting by a column without a full index is refused, not answered with a subset', () => {
    const provider = engine.system.providers.get('users')!;
    expect(() => provider.browse(dba, { limit: 100, sort: { column: 'username', order: 'asc' } })).toThrow(ValidationError);
  });

  it('an indexed equality filter uses the index and is still exact', () => {
    const page = engine.system.providers.get('users')!.browse(dba, { limit: 100, filters: [{ column: 'role', op: 'eq', value: 'user' }] });
    expect(page.rows.map((r) => r.key)).toEqual(['u1', 'u3']);
    // Through the index only the matching rows are examined.
    expect(page.scanned).toBe(2);
  });
});

describe('access', () => {
  it.each(TABLES.flatMap((t) => (['user', 'service', 'anonymous'] as const).map((r) => [t, r] as const)))('%s as %s is ACCESS_DENIED', (name, role) => {
    const provider = engine.system.providers.get(name)!;
    const s = subject(role);
    for (const call of [() => provider.browse(s, { limit: 10 }), () => provider.count(s), () => provider.get(s, 'anything')]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AccessDeniedError);
      expect((error as EngineError).code).toBe('ACCESS_DENIED');
      expect((error as EngineError).message).toContain(`system.${name}`);
    }
  });

  it.each(TABLES.flatMap((t) => (['dba', 'system'] as const).map((r) => [t, r] as const)))('%s as %s works', (name, role) => {
    const provider = engine.system.providers.get(name)!;
    const s = subject(role);
    const page = provider.browse(s, { limit: 10 });
    expect(page.rows).toHaveLength(provider.count(s));
  });

  it('a dba sees the rows of users and storages, and gets one by key', () => {
    const dba = subject('dba');
    expect(
      engine.system.providers
        .get('users')!
        .browse(dba, { limit: 10 })
        .rows.map((r) => r.key),
    ).toEqual(['root']);
    expect(
      engine.system.providers
        .get('storages')!
        .browse(dba, { limit: 10 })
        .rows.map((r) => r.key),
    ).toEqual(['local']);
    expect(engine.system.providers.get('users')!.get(dba, 'root')?.values).toMatchObject({ username: 'root', role: 'system' });
  });
});

// -------------------------------------------------------------------------------------------------
// Property: any sequence of user writes keeps both users indexes exact.

const IDS = ['u0', 'u1', 'u2', 'u3', 'root'] as const;
/** Case variants of a few names, and "root", so that collisions are frequent. */
const NAMES = ['alice', 'Alice', 'ALICE', 'bob', 'Bob', 'carol', 'root'] as const;
const ROLES = ['user', 'service', 'dba', 'system'] as const;
type UserRole = (typeof ROLES)[number];

type Op =
  | { kind: 'insert'; id: string; name: string; role: UserRole }
  | { kind: 'rename'; id: string; name: string }
  | { kind: 'role'; id: string; role: UserRole }
  | { kind: 'delete'; id: string }
  | { kind: 'restore'; id: string };

const idArb = fc.constantFrom(...IDS);
const nameArb = fc.constantFrom(...NAMES);
const roleArb = fc.constantFrom(...ROLES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), id: idArb, name: nameArb, role: roleArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename' as const), id: idArb, name: nameArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('role' as const), id: idArb, role: roleArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: idArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), id: idArb }) },
);

interface ModelUser {
  username: string;
  role: UserRole;
  deleted: boolean;
}

type Outcome = 'ok' | 'ALREADY_EXISTS' | 'UNIQUE_VIOLATION' | 'NOT_FOUND';

/** What the store must do, and the model after it. */
function expected(model: Map<string, ModelUser>, op: Op): Outcome {
  const holder = (name: string) => [...model].find(([, u]) => !u.deleted && u.username === name)?.[0];
  const current = model.get(op.id);
  switch (op.kind) {
    case 'insert': {
      const name = op.name.toLowerCase();
      if (current) return 'ALREADY_EXISTS';
      if (holder(name) !== undefined) return 'UNIQUE_VIOLATION';
      model.set(op.id, { username: name, role: op.role, deleted: false });
      return 'ok';
    }
    case 'rename': {
      const name = op.name.toLowerCase();
      if (!current) return 'NOT_FOUND';
      const h = holder(name);
      if (!current.deleted && h !== undefined && h !== op.id) return 'UNIQUE_VIOLATION';
      current.username = name;
      return 'ok';
    }
    case 'role':
      if (!current) return 'NOT_FOUND';
      current.role = op.role;
      return 'ok';
    case 'delete':
      if (!current) return 'NOT_FOUND';
      current.deleted = true;
      return 'ok';
    case 'restore': {
      if (!current) return 'NOT_FOUND';
      const h = holder(current.username);
      if (current.deleted && h !== undefined) return 'UNIQUE_VIOLATION';
      current.deleted = false;
      return 'ok';
    }
  }
}

function apply(e: Engine, op: Op, now: number): void {
  const users = e.system.users;
  const id = uid(op.id);
  switch (op.kind) {
    case 'insert':
      users.insert(user(op.id, op.name, { role: op.role, created_at: now, updated_at: now }));
      return;
    case 'rename':
      users.update(id, (u) => ({ ...u, username: op.name as UserName, updated_at: now }));
      return;
    case 'role':
      users.update(id, (u) => ({ ...u, role: op.role, updated_at: now }));
      return;
    case 'delete':
      users.softDelete(id, now);
      return;
    case 'restore':
      users.update(id, (u) => ({ ...u, deleted_at: null, updated_at: now }));
      return;
  }
}

function checkAgainstModel(e: Engine, model: Map<string, ModelUser>): void {
  const users = e.system.users;
  expect(users.count()).toBe(model.size);
  for (const [id, m] of model) {
    const stored = users.get(uid(id));
    expect({ id, username: stored?.username, role: stored?.role, deleted: stored?.deleted_at !== null }).toEqual({ id, ...m });
  }
  for (const name of new Set(NAMES.map((n) => n.toLowerCase()))) {
    const holder = [...model].find(([, u]) => !u.deleted && u.username === name)?.[0];
    expect({ name, holder: users.byUsername(uname(name))?.user_id }).toEqual({ name, holder });
  }
  for (const role of ROLES) {
    const want = [...model].filter(([, u]) => u.role === role).map(([id]) => id);
    expect([...users.withRole(role)].map((u) => u.user_id).sort()).toEqual(want.sort());
  }
}

describe('users indexes under random writes', () => {
  it('stay exact: every collision throws, and verifyIndex finds nothing wrong', () => {
    let collisions = 0;
    let successes = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const e = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1 });
        try {
          const model = new Map<string, ModelUser>([['root', { username: 'root', role: 'system', deleted: false }]]);
          ops.forEach((op, step) => {
            const want = expected(model, op);
            let got: Outcome = 'ok';
            try {
              apply(e, op, 10 + step);
            } catch (err) {
              if (!(err instanceof EngineError)) throw err;
              got = err.code as Outcome;
            }
            expect({ step, op, outcome: got }).toEqual({ step, op, outcome: want });
            if (want === 'UNIQUE_VIOLATION') collisions++;
            if (want === 'ok') successes++;
            checkAgainstModel(e, model);
          });
          for (const name of ['username', 'role']) {
            const users = e.system.users;
            const report = verifyIndex(users, users.index(name));
            expect({ name, missing: report.missing, orphaned: report.orphaned, wrong: report.wrong, truncated: report.truncated }).toEqual({
              name,
              missing: [],
              orphaned: [],
              wrong: [],
              truncated: false,
            });
            expect(report.entities).toBe(model.size);
            const live = [...model.values()].filter((u) => !u.deleted).length;
            expect(report.entries).toBe(name === 'username' ? live : model.size);
          }
        } finally {
          e.close();
        }
      }),
      { numRuns: 150 },
    );
    // The generator really exercises both paths.
    expect(collisions).toBeGreaterThan(50);
    expect(successes).toBeGreaterThan(200);
  });
});
