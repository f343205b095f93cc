import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { type StorageId, StorageIdSchema } from '../../../../shared/keys/storage-id';
import { TableNameSchema } from '../../../../shared/keys/table-id';
import type { Storage } from '../../../../shared/system/storages';
import type { TableMetadata } from '../../../../shared/system/tables';
import { Engine } from '../../engine';
import { EngineError, ValidationError } from '../../errors';
import type { StoragesStore } from './storages-store';
import { LOCAL_STORAGE_ID } from './storages-table';

const sid = (s: string): StorageId => StorageIdSchema.parse(s);

let engine: Engine;
let storages: StoragesStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  storages = engine.system.storages;
});
afterEach(() => engine.close());

function storage(id: string, over: Partial<Storage> = {}): Storage {
  return {
    storage_id: sid(id),
    storage_name: `Storage ${id}`,
    description: null,
    storage_type: 'filesystem',
    base_directory: `/data/${id}`,
    shared_tables_template: '{namespace}/{tableName}',
    user_tables_template: '{namespace}/{tableName}/{userId}',
    created_at: 1_000,
    updated_at: 1_000,
    ...over,
  };
}

function table(namespaceId: string, name: string, storageId: string): TableMetadata {
  return {
    namespace_id: NamespaceIdSchema.parse(namespaceId),
    table_name: TableNameSchema.parse(name),
    table_type: 'shared',
    columns: [{ name: 'id', type: 'integer', nullable: false, primary_key: true }],
    access_level: 'public',
    storage_id: sid(storageId),
    flush_policy: null,
    ttl_seconds: null,
    schema_version: 1,
    comment: null,
    created_at: 1_000,
    updated_at: 1_000,
  };
}

function thrown(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected the call to throw');
}

describe('path templates', () => {
  it('accepts the defaults and other valid layouts', () => {
    storages.insert(storage('a'));
    storages.insert(
      storage('b', { shared_tables_template: 'shared/{namespace}/x/{tableName}', user_tables_template: 'users/{userId}/{namespace}/{tableName}' }),
    );
    storages.insert(storage('c', { shared_tables_template: '{namespace}-{tableName}', user_tables_template: '{namespace}/{tableName}/by-user/{userId}' }));
    expect(storages.count()).toBe(4);
  });

  it.each<[string, Partial<Storage>, string, string]>([
    [
      'shared: {tableName} before {namespace}',
      { shared_tables_template: '{tableName}/{namespace}' },
      'shared_tables_template',
      'must place {namespace} before {tableName}',
    ],
    ['shared: no {namespace}', { shared_tables_template: 'all/{tableName}' }, 'shared_tables_template', 'must contain {namespace} and {tableName}'],
    ['shared: no {tableName}', { shared_tables_template: '{namespace}/all' }, 'shared_tables_template', 'must contain {namespace} and {tableName}'],
    ['shared: with {userId}', { shared_tables_template: '{namespace}/{tableName}/{userId}' }, 'shared_tables_template', 'must not contain {userId}'],
    ['user: no {userId}', { user_tables_template: '{namespace}/{tableName}' }, 'user_tables_template', 'must contain {userId}'],
    [
      'user: {tableName} before {namespace}',
      { user_tables_template: '{userId}/{tableName}/{namespace}' },
      'user_tables_template',
      'must place {namespace} before {tableName}',
    ],
    ['shared: unknown placeholder', { shared_tables_template: '{namespace}/{tableName}/{date}' }, 'shared_tables_template', 'unknown placeholder {date}'],
    [
      'user: unknown placeholder',
      { user_tables_template: '{namespace}/{tableName}/{userId}/{user_id}' },
      'user_tables_template',
      'unknown placeholder {user_id}',
    ],
    ['shared: absolute path', { shared_tables_template: '/{namespace}/{tableName}' }, 'shared_tables_template', 'must be relative'],
    ['user: absolute path', { user_tables_template: '/srv/{namespace}/{tableName}/{userId}' }, 'user_tables_template', 'must be relative'],
    ['shared: drive letter', { shared_tables_template: 'C:{namespace}/{tableName}' }, 'shared_tables_template', 'must be relative'],
    ['shared: ".." segment', { shared_tables_template: '{namespace}/../{tableName}' }, 'shared_tables_template', 'must not contain ".." segments'],
    [
      'user: ".." segment (backslash)',
      { user_tables_template: '{namespace}\\..\\{tableName}/{userId}' },
      'user_tables_template',
      'must not contain ".." segments',
    ],
    ['shared: empty', { shared_tables_template: '' }, 'shared_tables_template', 'must not be empty'],
  ])('%s → an error on that template only', (_what, over, field, message) => {
    let error: unknown;
    try {
      storages.insert(storage('bad', over));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(new Set(v.issues.map((i) => i.field))).toEqual(new Set([field]));
    expect(v.issues.some((i) => i.message.includes(message))).toBe(true);
    expect(storages.exists(sid('bad'))).toBe(false);
  });

  it('".." inside a segment name is not a ".." segment', () => {
    storages.insert(storage('dots', { shared_tables_template: '{namespace}/a..b/{tableName}' }));
    expect(storages.exists(sid('dots'))).toBe(true);
  });

  it('applies on update too', () => {
    storages.insert(storage('a'));
    expect(() => storages.update(sid('a'), (s) => ({ ...s, user_tables_template: '{namespace}/{tableName}' }))).toThrow(ValidationError);
    expect(storages.get(sid('a'))?.user_tables_template).toBe('{namespace}/{tableName}/{userId}');
  });
});

describe('drop', () => {
  it('of a storage in use is IN_USE, names the table, and keeps the storage', () => {
    storages.insert(storage('archive'));
    engine.system.tables.insert(table('app', 'messages', 'archive'));
    engine.system.tables.insert(table('app', 'other', 'local'));
    const e = thrown(() => storages.drop(sid('archive'), engine.system.tables));
    expect(e.code).toBe('IN_USE');
    expect(e.message).toContain('app.messages');
    expect(e.message).not.toContain('app.other');
    expect(storages.exists(sid('archive'))).toBe(true);
  });

  it('of a storage whose last table moved away succeeds', () => {
    storages.insert(storage('archive'));
    engine.system.tables.insert(table('app', 'messages', 'archive'));
    engine.system.tables.update(engine.system.tables.keyOf(table('app', 'messages', 'archive')), (t) => ({ ...t, storage_id: LOCAL_STORAGE_ID }));
    storages.drop(sid('archive'), engine.system.tables);
    expect(storages.exists(sid('archive'))).toBe(false);
  });

  it('of an unused storage removes it, and only it', () => {
    storages.insert(storage('archive'));
    storages.insert(storage('archive2'));
    engine.system.tables.insert(table('app', 'messages', 'archive2'));
    storages.drop(sid('archive'), engine.system.tables);
    expect(storages.get(sid('archive'))).toBeUndefined();
    expect(storages.exists(sid('archive2'))).toBe(true);
    expect(storages.exists(LOCAL_STORAGE_ID)).toBe(true);
  });

  it('of "local" is refused, even when no table uses it', () => {
    expect(engine.system.tables.count()).toBe(0);
    const e = thrown(() => storages.drop(LOCAL_STORAGE_ID, engine.system.tables));
    expect(e.code).toBe('IN_USE');
    expect(e.message).toContain('local');
    expect(storages.exists(LOCAL_STORAGE_ID)).toBe(true);
  });

  it('of a missing storage is NOT_FOUND', () => {
    const e = thrown(() => storages.drop(sid('nope'), engine.system.tables));
    expect(e.code).toBe('NOT_FOUND');
  });
});
