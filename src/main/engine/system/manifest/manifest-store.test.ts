import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestId } from '../../../../shared/keys/manifest-id';
import { NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { type TableId, tableId, TableNameSchema } from '../../../../shared/keys/table-id';
import { type UserId, UserIdSchema } from '../../../../shared/keys/user-id';
import type { ManifestEntry } from '../../../../shared/system/manifest';
import { Engine } from '../../engine';
import { ValidationError } from '../../errors';
import type { ManifestStore } from './manifest-store';

const tid = (n: string, t: string): TableId => tableId(NamespaceIdSchema.parse(n), TableNameSchema.parse(t));
const uid = (s: string): UserId => UserIdSchema.parse(s);

let engine: Engine;
let manifest: ManifestStore;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => 1_000 });
  manifest = engine.system.manifest;
});
afterEach(() => engine.close());

function segment(table: TableId, user: string | null, batch: number, over: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    namespace_id: table.namespace,
    table_name: table.table,
    user_id: user === null ? null : uid(user),
    batch,
    file_path: `${table.namespace}/${table.table}/${user ?? '_shared'}/batch-${batch}.parquet`,
    row_count: 10,
    size_bytes: 1024,
    min_seq: batch * 10,
    max_seq: batch * 10 + 9,
    schema_version: 1,
    created_at: 1_000 + batch,
    ...over,
  };
}

const show = (m: ManifestEntry) => `${m.namespace_id}.${m.table_name}/${m.user_id ?? ''}/${m.batch}`;

const T = tid('app', 't');
const T2 = tid('app', 't2');
const OTHER_NS = tid('app2', 't');

/** Batches of several scopes and tables whose names are text prefixes of each other. */
function seed(): void {
  for (const b of [0, 1]) manifest.insert(segment(T, null, b));
  for (const b of [0, 1, 2]) manifest.insert(segment(T, 'alice', b));
  for (const b of [0, 1, 2, 3, 4]) manifest.insert(segment(T, 'alice2', b));
  for (const b of [0, 1, 2, 3, 4, 5, 6]) manifest.insert(segment(T2, null, b));
  for (const b of [0, 1, 2, 3, 4, 5, 6, 7]) manifest.insert(segment(T2, 'alice', b));
  for (const b of [0, 1, 2, 3, 4, 5, 6, 7, 8]) manifest.insert(segment(OTHER_NS, 'alice', b));
}

describe('nextBatch', () => {
  it('is 0 for a scope with no segments', () => {
    expect(manifest.nextBatch(T, null)).toBe(0);
    expect(manifest.nextBatch(T, uid('alice'))).toBe(0);
  });

  it('counts each scope on its own: shared vs users, and "alice" vs "alice2"', () => {
    seed();
    expect(manifest.nextBatch(T, null)).toBe(2);
    expect(manifest.nextBatch(T, uid('alice'))).toBe(3);
    expect(manifest.nextBatch(T, uid('alice2'))).toBe(5);
    expect(manifest.nextBatch(T, uid('alic'))).toBe(0);
    expect(manifest.nextBatch(T, uid('bob'))).toBe(0);
    // Tables "t" vs "t2" and namespaces "app" vs "app2" are other scopes too.
    expect(manifest.nextBatch(T2, null)).toBe(7);
    expect(manifest.nextBatch(T2, uid('alice'))).toBe(8);
    expect(manifest.nextBatch(OTHER_NS, uid('alice'))).toBe(9);
    expect(manifest.nextBatch(OTHER_NS, null)).toBe(0);
    expect(manifest.nextBatch(tid('ap', 't'), uid('alice'))).toBe(0);
  });

  it('follows the highest batch numerically, not as text, with gaps', () => {
    for (const b of [0, 2, 9, 10]) manifest.insert(segment(T, 'alice', b));
    expect(manifest.nextBatch(T, uid('alice'))).toBe(11);
    manifest.insert(segment(T, null, 100));
    expect(manifest.nextBatch(T, null)).toBe(101);
  });

  it('moves on after each write', () => {
    for (let i = 0; i < 4; i++) {
      const next = manifest.nextBatch(T, uid('alice'));
      expect(next).toBe(i);
      manifest.insert(segment(T, 'alice', next));
    }
  });
});

describe('segmentsOf', () => {
  it("lists one table's segments only: shared scope first, then users in key order, batches ascending", () => {
    seed();
    expect([...manifest.segmentsOf(T)].map(show)).toEqual([
      'app.t//0',
      'app.t//1',
      'app.t/alice/0',
      'app.t/alice/1',
      'app.t/alice/2',
      'app.t/alice2/0',
      'app.t/alice2/1',
      'app.t/alice2/2',
      'app.t/alice2/3',
      'app.t/alice2/4',
    ]);
    expect([...manifest.segmentsOf(T2)]).toHaveLength(15);
    expect([...manifest.segmentsOf(T2)].every((m) => m.table_name === 't2' && m.namespace_id === 'app')).toBe(true);
    expect([...manifest.segmentsOf(OTHER_NS)].map(show)).toEqual(Array.from({ length: 9 }, (_, b) => `app2.t/alice/${b}`));
    expect([...manifest.segmentsOf(tid('app', 'u'))]).toEqual([]);
  });

  it('segmentsOfScope lists one scope only', () => {
    seed();
    expect([...manifest.segmentsOfScope(T, uid('alice'))].map(show)).toEqual(['app.t/alice/0', 'app.t/alice/1', 'app.t/alice/2']);
    expect([...manifest.segmentsOfScope(T, null)].map(show)).toEqual(['app.t//0', 'app.t//1']);
    expect([...manifest.segmentsOfScope(T, uid('alice2'))]).toHaveLength(5);
  });
});

describe('ManifestEntry rules', () => {
  it('keys an entry by (table, user, batch)', () => {
    const stored = manifest.insert(segment(T, 'alice', 3));
    expect(manifest.get(manifestId(T, uid('alice'), 3))).toEqual(stored);
    expect(manifest.get(manifestId(T, null, 3))).toBeUndefined();
    expect(() => manifest.insert(segment(T, 'alice', 3, { file_path: 'other.parquet' }))).toThrow(/already exists/);
  });

  it('accepts min_seq equal to max_seq', () => {
    manifest.insert(segment(T, null, 0, { min_seq: 5, max_seq: 5 }));
    expect(manifest.count()).toBe(1);
  });

  it('refuses min_seq above max_seq, on max_seq, writing nothing', () => {
    let error: unknown;
    try {
      manifest.insert(segment(T, null, 0, { min_seq: 6, max_seq: 5 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ field: 'max_seq', message: 'must not be below min_seq' }]);
    expect(manifest.count()).toBe(0);
    expect(manifest.nextBatch(T, null)).toBe(0);
  });
});
