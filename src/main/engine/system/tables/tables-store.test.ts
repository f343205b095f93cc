import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NamespaceId, NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { StorageIdSchema } from '../../../../shared/keys/storage-id';
import { tableId, TableNameSchema } from '../../../../shared/keys/table-id';
import type { ColumnDefinition, TableMetadata } from '../../../../shared/system/tables';
import { Engine } from '../../engine';
import { type EngineError, ValidationError } from '../../errors';
import { verifyIndex } from '../../index/index-maintenance';
import type { TablesStore } from './tables-store';

const ns = (s: string): NamespaceId => NamespaceIdSchema.parse(s);
const sid = (s: string) => StorageIdSchema.parse(s);
const tid = (n: string, t: string) => tableId(ns(n), TableNameSchema.parse(t));

let engine: Engine;
let tables: TablesStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  tables = engine.system.tables;
});
afterEach(() => engine.close());

const ID: ColumnDefinition = { name: 'id', type: 'integer', nullable: false, primary_key: true };
const BODY: ColumnDefinition = { name: 'body', type: 'text', nullable: true, primary_key: false };

function table(namespaceId: string, name: string, over: Partial<TableMetadata> = {}): TableMetadata {
  return {
    namespace_id: ns(namespaceId),
    table_name: TableNameSchema.parse(name),
    table_type: 'shared',
    columns: [ID, BODY],
    access_level: 'public',
    storage_id: sid('local'),
    flush_policy: { row_limit: 1000 },
    ttl_seconds: null,
    schema_version: 1,
    comment: null,
    created_at: 1_000,
    updated_at: 1_000,
    ...over,
  };
}

/** Inserting `t` fails with a validation error on exactly these fields, and writes nothing. */
function expectRefused(t: TableMetadata, fields: string[]): ValidationError {
  const before = tables.count();
  let error: unknown;
  try {
    tables.insert(t);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(v.code).toBe('VALIDATION');
  expect(v.entity).toBe('table');
  expect(v.issues.map((i) => i.field)).toEqual(fields);
  expect(tables.count()).toBe(before);
  expect(tables.exists(tableId(t.namespace_id, t.table_name))).toBe(false);
  return v;
}

describe('TableMetadata rules', () => {
  it('accepts a valid table of each type', () => {
    tables.insert(table('app', 'shared_t'));
    tables.insert(table('app', 'user_t', { table_type: 'user', access_level: null }));
    tables.insert(table('app', 'stream_t', { table_type: 'stream', access_level: null, ttl_seconds: 60 }));
    tables.insert(table('app', 'interval_t', { flush_policy: { interval_seconds: 30 } }));
    tables.insert(table('app', 'both_t', { flush_policy: { row_limit: 5, interval_seconds: 30 } }));
    tables.insert(table('app', 'no_flush', { flush_policy: null }));
    expect(tables.countInNamespace(ns('app'))).toBe(6);
  });

  it('needs a primary key column', () => {
    const v = expectRefused(table('app', 't', { columns: [{ ...ID, primary_key: false }, BODY] }), ['columns']);
    expect(v.message).toContain('exactly one primary key');
    expect(v.message).toContain('found 0');
  });

  it('allows only one primary key column', () => {
    const v = expectRefused(table('app', 't', { columns: [ID, { ...BODY, nullable: false, primary_key: true }] }), ['columns']);
    expect(v.message).toContain('found 2');
  });

  it('refuses a nullable primary key', () => {
    const v = expectRefused(table('app', 't', { columns: [{ ...ID, nullable: true }, BODY] }), ['columns']);
    expect(v.message).toContain('cannot be nullable');
  });

  it('refuses no columns at all', () => {
    // Two issues on the same field: no column at all, hence no primary key either.
    const v = expectRefused(table('app', 't', { columns: [] }), ['columns', 'columns']);
    expect(v.message).toContain('at least one column');
  });

  it('refuses duplicate column names, naming the second', () => {
    const v = expectRefused(table('app', 't', { columns: [ID, BODY, { ...BODY }] }), ['columns.2.name']);
    expect(v.message).toContain('duplicate column body');
  });

  it.each([
    ['_hidden', 'must not start with "_"'],
    ['1st', 'must not start with a digit'],
    ['Body', 'lower-case'],
    ['bodY', 'lower-case'],
    ['with space', 'lower-case'],
    ['', 'must not be empty'],
  ])('refuses the column name %j', (name, message) => {
    const v = expectRefused(table('app', 't', { columns: [ID, { ...BODY, name }] }), ['columns.1.name']);
    expect(v.message).toContain(message);
  });

  it('needs an access level on a shared table', () => {
    expectRefused(table('app', 't', { table_type: 'shared', access_level: null }), ['access_level']);
  });

  it.each(['user', 'stream'] as const)('refuses an access level on a %s table', (table_type) => {
    expectRefused(table('app', 't', { table_type, access_level: 'public', ttl_seconds: table_type === 'stream' ? 60 : null }), ['access_level']);
  });

  it('needs ttl_seconds on a stream table', () => {
    expectRefused(table('app', 't', { table_type: 'stream', access_level: null, ttl_seconds: null }), ['ttl_seconds']);
  });

  it.each([
    ['shared', 'public'],
    ['user', null],
  ] as const)('refuses ttl_seconds on a %s table', (table_type, access_level) => {
    expectRefused(table('app', 't', { table_type, access_level, ttl_seconds: 60 }), ['ttl_seconds']);
  });

  it('needs a row limit or an interval in a flush policy', () => {
    const v = expectRefused(table('app', 't', { flush_policy: {} }), ['flush_policy']);
    expect(v.message).toContain('row limit');
  });

  it('applies on update, leaving the stored table as it was', () => {
    tables.insert(table('app', 't'));
    expect(() => tables.update(tid('app', 't'), (t) => ({ ...t, access_level: null }))).toThrow(ValidationError);
    expect(tables.get(tid('app', 't'))?.access_level).toBe('public');
  });

  it('refuses a second table with the same (namespace, name)', () => {
    tables.insert(table('app', 't'));
    let e: unknown;
    try {
      tables.insert(table('app', 't', { comment: 'again' }));
    } catch (err) {
      e = err;
    }
    expect((e as EngineError).code).toBe('ALREADY_EXISTS');
    expect(tables.get(tid('app', 't'))?.comment).toBeNull();
  });
});

describe('by namespace', () => {
  beforeEach(() => {
    // "app" is a text prefix of "app2" and "ap" of both: the tuple keys must keep them apart.
    tables.insert(table('app', 'b'));
    tables.insert(table('app', 'a'));
    tables.insert(table('app2', 'a'));
    tables.insert(table('app2', 'c'));
    tables.insert(table('app2', 'd'));
    tables.insert(table('ap', 'z'));
  });

  it('inNamespace lists only that namespace, in name order', () => {
    const names = (n: string) => [...tables.inNamespace(ns(n))].map((t) => `${t.namespace_id}.${t.table_name}`);
    expect(names('app')).toEqual(['app.a', 'app.b']);
    expect(names('app2')).toEqual(['app2.a', 'app2.c', 'app2.d']);
    expect(names('ap')).toEqual(['ap.z']);
    expect(names('a')).toEqual([]);
    expect(names('app3')).toEqual([]);
  });

  it('countInNamespace counts only that namespace', () => {
    expect(tables.countInNamespace(ns('app'))).toBe(2);
    expect(tables.countInNamespace(ns('app2'))).toBe(3);
    expect(tables.countInNamespace(ns('ap'))).toBe(1);
    expect(tables.countInNamespace(ns('a'))).toBe(0);
  });
});

describe('usingStorage', () => {
  const using = (s: string, limit?: number) => [...tables.usingStorage(sid(s), limit)].map((t) => `${t.namespace_id}.${t.table_name}`);

  it('finds tables through the storage index, and follows changes', () => {
    tables.insert(table('app', 'a'));
    tables.insert(table('app', 'b', { storage_id: sid('archive') }));
    tables.insert(table('app2', 'c', { storage_id: sid('archive') }));
    tables.insert(table('app2', 'd', { storage_id: sid('archive2') }));

    expect(using('local')).toEqual(['app.a']);
    expect(using('archive').sort()).toEqual(['app.b', 'app2.c']);
    expect(using('archive', 1)).toHaveLength(1);
    expect(using('archive2')).toEqual(['app2.d']);
    expect(using('arch')).toEqual([]);

    tables.update(tid('app', 'b'), (t) => ({ ...t, storage_id: sid('local') }));
    expect(using('local').sort()).toEqual(['app.a', 'app.b']);
    expect(using('archive')).toEqual(['app2.c']);

    tables.delete(tid('app2', 'c'));
    expect(using('archive')).toEqual([]);

    const report = verifyIndex(tables, tables.index('storage'));
    expect([report.missing, report.orphaned, report.wrong]).toEqual([[], [], []]);
    expect(report.entries).toBe(3);
  });

  it('reads the index, not the table: an entry without its index row is not found', () => {
    tables.insert(table('app', 'a', { storage_id: sid('archive') }));
    // Drop the index entries behind the store's back: a scan would still find the table.
    tables.index('storage').clear();
    expect(using('archive')).toEqual([]);
  });
});
