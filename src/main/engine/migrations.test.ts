import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NamespaceIdSchema } from '../../shared/keys/namespace-id';
import { TableNameSchema } from '../../shared/keys/table-id';
import { UserIdSchema } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import type { LiveQuery } from '../../shared/system/live-queries';
import { dataDirLayout, Engine } from './engine';
import { EngineError } from './errors';
import { LATEST_SCHEMA_VERSION, migrate, type Migration, type MigrationContext, MIGRATIONS, ROOT_USER_ID, schemaVersion } from './migrations';
import { SqliteBackend } from './storage/sqlite/sqlite-backend';
import { LOCAL_STORAGE_ID } from './system/storages/storages-table';

/** Every partition a freshly migrated database has: the meta partition, each system table and its indexes. */
const SYSTEM_PARTITIONS = [
  'engine.meta',
  'system.audit_log',
  'system.jobs',
  'system.jobs.idx.idempotency',
  'system.jobs.idx.status_created',
  'system.live_queries',
  'system.manifest',
  'system.namespaces',
  'system.schedules',
  'system.storages',
  'system.tables',
  'system.tables.idx.storage',
  'system.users',
  'system.users.idx.role',
  'system.users.idx.username',
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every partition with every key and value, to compare a database before and after. */
function snapshot(backend: SqliteBackend): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const p of backend.listPartitions()) {
    const rows: Record<string, string> = {};
    for (const [k, v] of backend.scan(p)) rows[hex(k)] = hex(v);
    out[p] = rows;
  }
  return out;
}

function liveQuery(user: string, connection: string, subscription: string, now: number): LiveQuery {
  return {
    user_id: UserIdSchema.parse(user),
    connection_id: connection,
    subscription_id: subscription,
    namespace_id: NamespaceIdSchema.parse('app'),
    table_name: TableNameSchema.parse('messages'),
    filter: null,
    status: 'active',
    created_at: now,
    last_update: now,
    changes: 0,
  };
}

const open: { close(): void }[] = [];
const dirs: string[] = [];
function track<T extends { close(): void }>(x: T): T {
  open.push(x);
  return x;
}
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kalam-migrations-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const x of open.splice(0)) x.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('first open', () => {
  it('creates every system partition, the local storage and the root user, at the latest version', () => {
    const clock = 1_700_000_000_000;
    const engine = track(Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => clock }));

    expect(engine.migrated).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(schemaVersion(engine.backend)).toBe(LATEST_SCHEMA_VERSION);
    expect(engine.backend.listPartitions().sort()).toEqual(SYSTEM_PARTITIONS);

    const local = engine.system.storages.get(LOCAL_STORAGE_ID);
    expect(local).toMatchObject({
      storage_id: 'local',
      storage_type: 'filesystem',
      base_directory: '/tmp/x',
      shared_tables_template: '{namespace}/{tableName}',
      user_tables_template: '{namespace}/{tableName}/{userId}',
      created_at: clock,
      updated_at: clock,
    });
    expect(engine.system.storages.count()).toBe(1);

    const root = engine.system.users.get(ROOT_USER_ID);
    expect(root).toMatchObject({
      user_id: 'root',
      username: 'root',
      role: 'system',
      auth_type: 'internal',
      password_hash: null,
      deleted_at: null,
      created_at: clock,
    });
    expect(engine.system.users.count()).toBe(1);
    // The root user went in through the store, so its index entries exist too.
    expect(engine.system.users.byUsername(UserNameSchema.parse('root'))?.user_id).toBe('root');
    expect([...engine.system.users.withRole('system')].map((u) => u.user_id)).toEqual(['root']);

    // Everything else starts empty.
    for (const store of [
      engine.system.namespaces,
      engine.system.tables,
      engine.system.jobs,
      engine.system.liveQueries,
      engine.system.auditLog,
      engine.system.manifest,
    ]) {
      expect(store.count()).toBe(0);
    }
  });

  it('uses the data directory layout with openDataDir', () => {
    const dir = tempDir();
    const engine = track(Engine.openDataDir(dir, { now: () => 5 }));
    expect(engine.backend.path).toBe(dataDirLayout(dir).databasePath);
    expect(engine.system.storages.get(LOCAL_STORAGE_ID)?.base_directory).toBe(dataDirLayout(dir).storageDirectory);
  });
});

describe('reopening', () => {
  it('runs no migration (from === to) and keeps the data', () => {
    const dir = tempDir();
    let clock = 1_000;
    const first = Engine.openDataDir(dir, { now: () => clock });
    first.system.namespaces.insert({ namespace_id: NamespaceIdSchema.parse('app'), options: {}, comment: 'kept', created_at: clock, updated_at: clock });
    first.close();

    clock = 9_000;
    const second = track(Engine.openDataDir(dir, { now: () => clock }));
    expect(second.migrated).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    // The root user and local storage were not re-created with the new clock, nor duplicated.
    expect(second.system.users.get(ROOT_USER_ID)?.created_at).toBe(1_000);
    expect(second.system.users.count()).toBe(1);
    expect(second.system.storages.get(LOCAL_STORAGE_ID)?.created_at).toBe(1_000);
    expect(second.system.storages.count()).toBe(1);
    expect(second.system.namespaces.get(NamespaceIdSchema.parse('app'))?.comment).toBe('kept');
  });

  it('does not call up() of a migration already applied', () => {
    const backend = track(new SqliteBackend(':memory:'));
    const ctx: MigrationContext = { backend, now: 1, storageDirectory: '/tmp/x' };
    const up = vi.fn();
    const list: Migration[] = [{ version: 1, description: 'spy', up }];
    expect(migrate(ctx, list)).toEqual({ from: 0, to: 1 });
    expect(up).toHaveBeenCalledTimes(1);
    expect(migrate(ctx, list)).toEqual({ from: 1, to: 1 });
    expect(up).toHaveBeenCalledTimes(1);

    // A new migration appended later runs alone.
    const up2 = vi.fn();
    expect(migrate(ctx, [...list, { version: 2, description: 'next', up: up2 }])).toEqual({ from: 1, to: 2 });
    expect(up).toHaveBeenCalledTimes(1);
    expect(up2).toHaveBeenCalledTimes(1);
    expect(schemaVersion(backend)).toBe(2);
  });
});

describe('a database from a newer build', () => {
  it('is refused with a clear message and left untouched', () => {
    const dir = tempDir();
    const created = Engine.openDataDir(dir, { now: () => 1 });
    // A live query left behind: clearing it on open would be a write.
    created.system.liveQueries.insert(liveQuery('alice', 'c1', 's1', 1));
    created.close();

    // Pretend a newer build wrote it.
    const newer = LATEST_SCHEMA_VERSION + 1;
    const raw = new SqliteBackend(dataDirLayout(dir).databasePath);
    raw.put('engine.meta', new TextEncoder().encode('schema_version'), new TextEncoder().encode(String(newer)));
    const before = snapshot(raw);
    expect(Object.keys(before['system.live_queries'] ?? {})).toHaveLength(1);
    raw.close();

    let error: unknown;
    try {
      track(Engine.openDataDir(dir, { now: () => 2 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('CONFLICT');
    expect((error as EngineError).message).toContain(`schema version ${newer}`);
    expect((error as EngineError).message).toContain(`newer than this build supports (${LATEST_SCHEMA_VERSION})`);

    const after = track(new SqliteBackend(dataDirLayout(dir).databasePath));
    expect(schemaVersion(after)).toBe(newer);
    expect(snapshot(after)).toEqual(before);
  });

  it('is refused by migrate() without creating anything', () => {
    const backend = track(new SqliteBackend(':memory:'));
    backend.createPartition('engine.meta');
    backend.put('engine.meta', new TextEncoder().encode('schema_version'), new TextEncoder().encode('7'));
    expect(() => migrate({ backend, now: 1, storageDirectory: '/tmp/x' })).toThrow(/schema version 7, newer than this build supports/);
    expect(backend.listPartitions()).toEqual(['engine.meta']);
    expect(schemaVersion(backend)).toBe(7);
  });
});

describe('a failing migration', () => {
  const boom: Migration = {
    version: LATEST_SCHEMA_VERSION + 1,
    description: 'fails half-way',
    up({ backend }) {
      backend.createPartition('scratch.half_done');
      backend.put('scratch.half_done', new Uint8Array([1]), new Uint8Array([2]));
      throw new Error('boom');
    },
  };

  it('on a new database leaves no partitions and no version', () => {
    const backend = track(new SqliteBackend(':memory:'));
    const ctx: MigrationContext = { backend, now: 1, storageDirectory: '/tmp/x' };
    expect(() => migrate(ctx, [...MIGRATIONS, boom])).toThrow('boom');

    expect(backend.listPartitions()).toEqual([]);
    expect(backend.hasPartition('engine.meta')).toBe(false);
    expect(backend.hasPartition('system.users')).toBe(false);
    expect(schemaVersion(backend)).toBe(0);

    // The backend is still consistent: the real migrations then run from scratch.
    expect(migrate(ctx)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(backend.listPartitions().sort()).toEqual(SYSTEM_PARTITIONS);
  });

  it('on a migrated database leaves every row and the version as they were', () => {
    const backend = track(new SqliteBackend(':memory:'));
    const ctx: MigrationContext = { backend, now: 1, storageDirectory: '/tmp/x' };
    migrate(ctx);
    const before = snapshot(backend);

    const writesThenFails: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      description: 'edits the root user, then fails',
      up({ backend: b }) {
        b.dropPartition('system.audit_log');
        b.put('system.users', new Uint8Array([9]), new Uint8Array([9]));
        throw new Error('second migration failed');
      },
    };
    expect(() => migrate(ctx, [...MIGRATIONS, writesThenFails])).toThrow('second migration failed');
    expect(schemaVersion(backend)).toBe(LATEST_SCHEMA_VERSION);
    expect(snapshot(backend)).toEqual(before);
    expect(backend.hasPartition('system.audit_log')).toBe(true);
  });

  it('with a second migration that throws, the first one does not stay either', () => {
    const backend = track(new SqliteBackend(':memory:'));
    const first: Migration = {
      version: 1,
      description: 'creates a partition',
      up({ backend: b }) {
        b.createPartition('first.done');
        b.put('first.done', new Uint8Array([1]), new Uint8Array([1]));
      },
    };
    const second: Migration = { ...boom, version: 2 };
    expect(() => migrate({ backend, now: 1, storageDirectory: '/tmp/x' }, [first, second])).toThrow('boom');
    expect(backend.listPartitions()).toEqual([]);
    expect(schemaVersion(backend)).toBe(0);
  });
});

describe('live queries from a previous process', () => {
  it('are cleared on open, and nothing else is', () => {
    const dir = tempDir();
    const first = Engine.openDataDir(dir, { now: () => 10 });
    first.system.liveQueries.insert(liveQuery('alice', 'c1', 's1', 10));
    first.system.liveQueries.insert(liveQuery('alice', 'c1', 's2', 10));
    first.system.liveQueries.insert(liveQuery('bob', 'c2', 's1', 10));
    first.system.namespaces.insert({ namespace_id: NamespaceIdSchema.parse('app'), options: {}, comment: null, created_at: 10, updated_at: 10 });
    expect(first.system.liveQueries.count()).toBe(3);
    first.close();

    const second = track(Engine.openDataDir(dir, { now: () => 20 }));
    expect(second.system.liveQueries.count()).toBe(0);
    expect([...second.system.liveQueries.ofUser(UserIdSchema.parse('alice'))]).toEqual([]);
    expect(second.system.namespaces.count()).toBe(1);
    expect(second.system.users.count()).toBe(1);
  });
});
