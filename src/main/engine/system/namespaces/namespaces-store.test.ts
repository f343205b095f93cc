import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NamespaceId, NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { StorageIdSchema } from '../../../../shared/keys/storage-id';
import { tableId, TableIdKey, TableNameSchema } from '../../../../shared/keys/table-id';
import type { Namespace } from '../../../../shared/system/namespaces';
import type { TableMetadata } from '../../../../shared/system/tables';
import { Engine } from '../../engine';
import { EngineError } from '../../errors';
import { verifyIndex } from '../../index/index-maintenance';
import type { TablesStore } from '../tables/tables-store';
import type { NamespacesStore } from './namespaces-store';

const ns = (s: string): NamespaceId => NamespaceIdSchema.parse(s);
const tid = (n: string, t: string) => tableId(ns(n), TableNameSchema.parse(t));

let engine: Engine;
let namespaces: NamespacesStore;
let tables: TablesStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  namespaces = engine.system.namespaces;
  tables = engine.system.tables;
});
afterEach(() => engine.close());

function namespace(id: string): Namespace {
  return { namespace_id: ns(id), options: {}, comment: null, created_at: 1_000, updated_at: 1_000 };
}

function table(namespaceId: string, name: string): TableMetadata {
  return {
    namespace_id: ns(namespaceId),
    table_name: TableNameSchema.parse(name),
    table_type: 'shared',
    columns: [
      { name: 'id', type: 'integer', nullable: false, primary_key: true },
      { name: 'body', type: 'text', nullable: true, primary_key: false },
    ],
    access_level: 'public',
    storage_id: StorageIdSchema.parse('local'),
    flush_policy: { row_limit: 1000 },
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

const tableKeys = () => [...tables.scanKeys()].map((k) => TableIdKey.display(k));

/** "app" and "app2" share a key prefix as text; only "app"'s tables may go with it. */
function seed(): void {
  namespaces.insert(namespace('app'));
  namespaces.insert(namespace('app2'));
  namespaces.insert(namespace('ap'));
  tables.insert(table('app', 'messages'));
  tables.insert(table('app', 'users'));
  tables.insert(table('app2', 'messages'));
  tables.insert(table('ap', 'p'));
}

describe('drop', () => {
  it('removes an empty namespace', () => {
    namespaces.insert(namespace('empty'));
    namespaces.insert(namespace('other'));
    expect(namespaces.drop(ns('empty'), tables, { cascade: false })).toEqual([]);
    expect(namespaces.exists(ns('empty'))).toBe(false);
    expect(namespaces.exists(ns('other'))).toBe(true);
  });

  it('with tables and without cascade is IN_USE and removes nothing', () => {
    seed();
    const e = thrown(() => namespaces.drop(ns('app'), tables, { cascade: false }));
    expect(e.code).toBe('IN_USE');
    expect(e.message).toContain('app');
    expect(e.message).toContain('2 table');
    expect(namespaces.exists(ns('app'))).toBe(true);
    expect(tableKeys()).toEqual(['ap.p', 'app.messages', 'app.users', 'app2.messages']);
  });

  it('with cascade removes the namespace and its tables only', () => {
    seed();
    const dropped = namespaces.drop(ns('app'), tables, { cascade: true });
    expect(dropped.sort()).toEqual(['app.messages', 'app.users']);
    expect(namespaces.exists(ns('app'))).toBe(false);
    expect(namespaces.exists(ns('app2'))).toBe(true);
    expect(namespaces.exists(ns('ap'))).toBe(true);
    expect(tableKeys()).toEqual(['ap.p', 'app2.messages']);
    expect(tables.get(tid('app2', 'messages'))).toBeDefined();
    // The dropped tables' storage index entries went with them.
    const report = verifyIndex(tables, tables.index('storage'));
    expect([report.missing, report.orphaned, report.wrong]).toEqual([[], [], []]);
    expect(report.entries).toBe(2);
    expect([...tables.usingStorage(StorageIdSchema.parse('local'))].map((t) => `${t.namespace_id}.${t.table_name}`).sort()).toEqual(['ap.p', 'app2.messages']);
  });

  it('with cascade on a namespace without tables works too', () => {
    seed();
    namespaces.insert(namespace('lonely'));
    expect(namespaces.drop(ns('lonely'), tables, { cascade: true })).toEqual([]);
    expect(namespaces.exists(ns('lonely'))).toBe(false);
    expect(tables.count()).toBe(4);
  });

  it('of a missing namespace is NOT_FOUND', () => {
    seed();
    const e = thrown(() => namespaces.drop(ns('nope'), tables, { cascade: true }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('nope');
    expect(tables.count()).toBe(4);
    expect(namespaces.count()).toBe(3);
  });

  it('is one transaction: when it fails half-way, tables and namespace stay', () => {
    seed();
    const spy = Object.create(tables) as TablesStore;
    spy.deleteMany = (keys) => {
      tables.deleteMany(keys);
      throw new Error('disk full');
    };
    expect(() => namespaces.drop(ns('app'), spy, { cascade: true })).toThrow('disk full');
    expect(namespaces.exists(ns('app'))).toBe(true);
    expect(tableKeys()).toEqual(['ap.p', 'app.messages', 'app.users', 'app2.messages']);
  });
});
