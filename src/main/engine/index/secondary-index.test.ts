import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { decodeTuple, encodeTuple, type TupleElement } from '../../../shared/keys/tuple';
import { type UserId, UserIdKey, UserIdSchema } from '../../../shared/keys/user-id';
import { ValueCodec } from '../codec/value-codec';
import { UniqueViolationError, ValidationError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';
import { TEST_BACKENDS } from '../storage/testing/backends.test-support';
import { EntityStore } from '../store/entity-store';
import { indexStats, rebuildIndex, verifyIndex } from './index-maintenance';
import type { IndexDefinition } from './secondary-index';

const ROLES = ['user', 'service', 'dba', 'system'] as const;
const PersonSchema = z.object({
  id: UserIdSchema,
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(ROLES).default('user'),
  nickname: z.string().min(1).optional(),
});
type Person = z.infer<typeof PersonSchema>;
type Role = Person['role'];

const personCodec = new ValueCodec<Person>({ kind: 'person', version: 1, schema: PersonSchema });
const STORE = 'people';
const IDX = {
  email: `${STORE}.idx.email`,
  role: `${STORE}.idx.role`,
  nickname: `${STORE}.idx.nickname`,
} as const;
const INDEX_NAMES = ['email', 'role', 'nickname'] as const;

const indexes: IndexDefinition<Person>[] = [
  { name: 'email', unique: true, fields: ['email'], extract: (p) => [p.email] },
  { name: 'role', unique: false, fields: ['role'], extract: (p) => [p.role] },
  { name: 'nickname', unique: true, partial: true, fields: ['nickname'], extract: (p) => (p.nickname === undefined ? undefined : [p.nickname]) },
];

const uid = (s: string): UserId => UserIdSchema.parse(s);
const person = (id: string, extra: Partial<Person> = {}): Person => ({
  id: uid(id),
  name: `Name of ${id}`,
  email: `${id}@example.com`,
  role: 'user',
  ...extra,
});

const newStore = (backend: StorageBackend) => new EntityStore<UserId, Person>({ backend, partition: STORE, key: UserIdKey, value: personCodec, indexes });

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const pkOf = (id: string) => UserIdKey.encode(uid(id));

/** Index partition contents as readable [tuple, primary key] pairs, in stored order. */
function entries(backend: StorageBackend, partition: string): [TupleElement[], string][] {
  const unique = partition !== IDX.role;
  return [...backend.scan(partition)].map(([k, v]) => {
    const els = decodeTuple(k);
    if (unique) return [els, UserIdKey.decode(v)];
    const pk = els.pop() as Uint8Array;
    expect(v.length).toBe(0);
    return [els, UserIdKey.decode(pk)];
  });
}

function rawContents(backend: StorageBackend, partitions: readonly string[]) {
  return partitions.map((p) => [...backend.scan(p)].map(([k, v]) => `${hex(k)}=${hex(v)}`));
}
const ALL = [STORE, IDX.email, IDX.role, IDX.nickname];

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe.each(TEST_BACKENDS)('on $name', ({ create: newBackend }) => {
  let backend: StorageBackend;
  let store: EntityStore<UserId, Person>;
  beforeEach(() => {
    backend = newBackend();
    store = newStore(backend);
  });
  afterEach(() => backend.close());

  function expectClean(s: EntityStore<UserId, Person> = store): void {
    for (const name of INDEX_NAMES) {
      const r = verifyIndex(s, s.index(name));
      expect({ index: name, missing: r.missing, orphaned: r.orphaned, wrong: r.wrong, truncated: r.truncated }).toEqual({
        index: name,
        missing: [],
        orphaned: [],
        wrong: [],
        truncated: false,
      });
    }
  }

  describe('unique index', () => {
    it('has one partition per index, named after the store', () => {
      expect(backend.listPartitions()).toEqual([STORE, IDX.email, IDX.nickname, IDX.role]);
      expect(store.index('email').partition).toBe(IDX.email);
    });

    it('getBy finds the owner of a value', () => {
      store.putMany(['alice', 'bob'].map((id) => [uid(id), person(id)] as const));
      expect(store.getBy('email', ['bob@example.com'])).toEqual(['bob', person('bob')]);
      expect(store.getBy('email', ['carol@example.com'])).toBeUndefined();
      expect(entries(backend, IDX.email)).toEqual([
        [['alice@example.com'], 'alice'],
        [['bob@example.com'], 'bob'],
      ]);
    });

    it('getBy on a non-unique index gives the first entity in index order, or nothing', () => {
      store.putMany([person('carol', { role: 'dba' }), person('bob', { role: 'dba' }), person('alice')].map((p) => [p.id, p] as const));
      expect(store.getBy('role', ['dba'])).toEqual(['bob', person('bob', { role: 'dba' })]);
      expect(store.getBy('role', ['user'])?.[0]).toBe('alice');
      expect(store.getBy('role', ['system'])).toBeUndefined();
      expect(store.getBy('role', [])?.[0]).toBe('bob');
    });

    it('getBy on an unknown index is a NOT_FOUND error', () => {
      expect(() => store.getBy('nope', ['x'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    });

    it('a violation is a UniqueViolationError and writes nothing', () => {
      store.putMany(['alice', 'bob'].map((id) => [uid(id), person(id, { nickname: id.toUpperCase() })] as const));
      const before = rawContents(backend, ALL);

      const err = errorOf(() => store.put(uid('carol'), person('carol', { email: 'alice@example.com' })));
      expect(err).toBeInstanceOf(UniqueViolationError);
      const u = err as UniqueViolationError;
      expect(u.code).toBe('UNIQUE_VIOLATION');
      expect(u.index).toBe(IDX.email);
      expect(u.field).toBe('email');
      expect(u.value).toBe('alice@example.com');
      expect(u.message).toContain('alice@example.com');
      expect(store.exists(uid('carol'))).toBe(false);
      expect(rawContents(backend, ALL)).toEqual(before);
    });

    it('a violation of a later index undoes the changes to earlier indexes of the same write', () => {
      store.putMany(['alice', 'bob'].map((id) => [uid(id), person(id, { nickname: id.toUpperCase(), role: 'user' })] as const));
      const before = rawContents(backend, ALL);
      // email (first index) and role (second) change fine; nickname (third) collides with bob's.
      expect(() => store.put(uid('alice'), person('alice', { email: 'new@example.com', role: 'dba', nickname: 'BOB' }))).toThrow(UniqueViolationError);
      expect(rawContents(backend, ALL)).toEqual(before);
      expect(store.get(uid('alice'))?.email).toBe('alice@example.com');
      expect(store.getBy('email', ['new@example.com'])).toBeUndefined();
      expectClean();
    });

    it('re-putting an entity with its own value is not a violation', () => {
      store.put(uid('alice'), person('alice'));
      expect(() => store.put(uid('alice'), person('alice', { name: 'Again' }))).not.toThrow();
      expect(store.getBy('email', ['alice@example.com'])?.[1].name).toBe('Again');
    });

    it('renaming frees the old value for someone else', () => {
      store.put(uid('alice'), person('alice'));
      store.put(uid('alice'), person('alice', { email: 'alice2@example.com' }));
      expect(store.getBy('email', ['alice@example.com'])).toBeUndefined();
      expect(store.getBy('email', ['alice2@example.com'])?.[0]).toBe('alice');
      store.put(uid('bob'), person('bob', { email: 'alice@example.com' }));
      expect(store.getBy('email', ['alice@example.com'])?.[0]).toBe('bob');
      expect(entries(backend, IDX.email)).toEqual([
        [['alice2@example.com'], 'alice'],
        [['alice@example.com'], 'bob'],
      ]);
    });

    it('deleting frees the value and removes the entries of every index', () => {
      store.put(uid('alice'), person('alice', { nickname: 'Al', role: 'dba' }));
      store.put(uid('bob'), person('bob'));
      expect(store.delete(uid('alice'))).toBe(true);
      expect(entries(backend, IDX.email)).toEqual([[['bob@example.com'], 'bob']]);
      expect(entries(backend, IDX.role)).toEqual([[['user'], 'bob']]);
      expect(entries(backend, IDX.nickname)).toEqual([]);
      store.put(uid('carol'), person('carol', { email: 'alice@example.com', nickname: 'Al' }));
      expect(store.getBy('nickname', ['Al'])?.[0]).toBe('carol');
      expect(store.deleteMany([uid('bob'), uid('carol')])).toBe(2);
      for (const p of Object.values(IDX)) expect(backend.stats(p).rows).toBe(0);
    });
  });

  describe('index writes happen only for changed keys', () => {
    function indexWrites(fn: () => void): { partition: string; op: 'put' | 'delete'; tuple: TupleElement[] }[] {
      const put = vi.spyOn(backend, 'put');
      const del = vi.spyOn(backend, 'delete');
      const batch = vi.spyOn(backend, 'batch');
      try {
        fn();
        expect(batch).not.toHaveBeenCalled(); // every write goes through put/delete, so the spies see all
        const isIndex = (p: string) => p.startsWith(`${STORE}.idx.`);
        return [
          ...put.mock.calls.filter(([p]) => isIndex(p)).map(([p, k]) => ({ partition: p, op: 'put' as const, tuple: decodeTuple(k) })),
          ...del.mock.calls.filter(([p]) => isIndex(p)).map(([p, k]) => ({ partition: p, op: 'delete' as const, tuple: decodeTuple(k) })),
        ];
      } finally {
        put.mockRestore();
        del.mockRestore();
        batch.mockRestore();
      }
    }

    beforeEach(() => {
      store.put(uid('alice'), person('alice', { nickname: 'Al' }));
    });

    it('an update that does not touch an indexed field writes no index entry', () => {
      const writes = indexWrites(() => store.put(uid('alice'), person('alice', { name: 'Alice Liddell', nickname: 'Al' })));
      expect(writes).toEqual([]);
      expect(store.get(uid('alice'))?.name).toBe('Alice Liddell');
    });

    it('an update of one indexed field rewrites only that index entry', () => {
      const writes = indexWrites(() => store.put(uid('alice'), person('alice', { email: 'liddell@example.com', nickname: 'Al' })));
      expect(writes).toEqual([
        { partition: IDX.email, op: 'put', tuple: ['liddell@example.com'] },
        { partition: IDX.email, op: 'delete', tuple: ['alice@example.com'] },
      ]);
    });

    it('a non-unique index entry moves when its field changes', () => {
      const writes = indexWrites(() => store.put(uid('alice'), person('alice', { role: 'dba', nickname: 'Al' })));
      expect(writes).toEqual([
        { partition: IDX.role, op: 'put', tuple: ['dba', pkOf('alice')] },
        { partition: IDX.role, op: 'delete', tuple: ['user', pkOf('alice')] },
      ]);
    });

    it('a failed write makes no index write at all', () => {
      store.put(uid('bob'), person('bob'));
      const writes = indexWrites(() => expect(() => store.put(uid('bob'), person('bob', { email: 'alice@example.com' }))).toThrow(UniqueViolationError));
      expect(writes).toEqual([]);
      const invalid = indexWrites(() => expect(() => store.put(uid('bob'), person('bob', { email: 'x' }))).toThrow(ValidationError));
      expect(invalid).toEqual([]);
    });
  });

  describe('non-unique index', () => {
    it('findBy lists several owners in primary-key order', () => {
      store.putMany(
        [
          ['dave', 'dba'],
          ['carol', 'user'],
          ['bob', 'dba'],
          ['erin', 'service'],
          ['alice', 'dba'],
        ].map(([id, role]) => [uid(id!), person(id!, { role: role as Role })] as const),
      );
      expect([...store.findBy('role', ['dba'])].map(([k]) => k)).toEqual(['alice', 'bob', 'dave']);
      expect([...store.findBy('role', ['dba'], 2)].map(([k]) => k)).toEqual(['alice', 'bob']);
      expect([...store.findBy('role', ['user'])]).toEqual([['carol', person('carol')]]);
      expect([...store.findBy('role', ['system'])]).toEqual([]);
      // the entries themselves: tuple then primary key
      expect(entries(backend, IDX.role).map(([t, pk]) => `${t[0] as string}:${pk}`)).toEqual([
        'dba:alice',
        'dba:bob',
        'dba:dave',
        'service:erin',
        'user:carol',
      ]);
    });

    it('findBy with an empty tuple lists every indexed entity in index order', () => {
      store.putMany([
        [uid('b'), person('b', { role: 'user' })],
        [uid('a'), person('a', { role: 'user' })],
        [uid('c'), person('c', { role: 'dba' })],
      ]);
      expect([...store.findBy('role', [])].map(([k]) => k)).toEqual(['c', 'a', 'b']);
    });

    it('equal values never collide', () => {
      store.putMany(['a', 'b', 'c'].map((id) => [uid(id), person(id, { role: 'dba' })] as const));
      expect(backend.stats(IDX.role).rows).toBe(3);
    });
  });

  describe('partial index', () => {
    it('stores no entry when extract returns undefined, and follows the field as it comes and goes', () => {
      store.put(uid('alice'), person('alice'));
      store.put(uid('bob'), person('bob'));
      expect(backend.stats(IDX.nickname).rows).toBe(0);
      expect(backend.stats(IDX.email).rows).toBe(2);

      store.put(uid('alice'), person('alice', { nickname: 'Al' }));
      expect(entries(backend, IDX.nickname)).toEqual([[['Al'], 'alice']]);
      expect(store.getBy('nickname', ['Al'])?.[0]).toBe('alice');

      store.put(uid('alice'), person('alice'));
      expect(backend.stats(IDX.nickname).rows).toBe(0);
      expect(store.getBy('nickname', ['Al'])).toBeUndefined();
      // two entities without the field do not collide in a unique partial index
      store.put(uid('carol'), person('carol'));
      expectClean();
    });
  });

  describe('index consistency under random operations (property)', () => {
    const KEYS = ['a', 'b', 'c', 'd'];
    const valueArb = fc.record({
      email: fc.constantFrom('e1@x.io', 'e2@x.io', 'e3@x.io'),
      role: fc.constantFrom<Role>('user', 'dba'),
      nickname: fc.constantFrom(undefined, 'n1', 'n2'),
      name: fc.constantFrom('A', 'B'),
    });
    type Val = { email: string; role: Role; nickname: string | undefined; name: string };
    const toPerson = (id: string, v: Val): Person => {
      const p: Person = { id: uid(id), name: v.name, email: v.email, role: v.role };
      if (v.nickname !== undefined) p.nickname = v.nickname;
      return p;
    };
    type Op =
      | { type: 'put'; key: string; value: Val }
      | { type: 'delete'; key: string }
      | { type: 'putMany'; entries: [string, Val][] }
      | { type: 'deleteMany'; keys: string[] };
    const keyArb = fc.constantFrom(...KEYS);
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ type: fc.constant('put' as const), key: keyArb, value: valueArb }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), key: keyArb }) },
      {
        weight: 2,
        arbitrary: fc.record({ type: fc.constant('putMany' as const), entries: fc.array(fc.tuple(keyArb, valueArb), { minLength: 1, maxLength: 3 }) }),
      },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('deleteMany' as const), keys: fc.array(keyArb, { maxLength: 3 }) }) },
    );

    /** Applies puts to a copy of the model in order; undefined when one would break a unique index. */
    function modelPut(model: Map<string, Person>, puts: [string, Person][]): Map<string, Person> | undefined {
      const next = new Map(model);
      for (const [k, p] of puts) {
        for (const [other, q] of next) {
          if (other === k) continue;
          if (q.email === p.email) return undefined;
          if (p.nickname !== undefined && q.nickname === p.nickname) return undefined;
        }
        next.set(k, p);
      }
      return next;
    }

    /** Single-field index entries as "value:pk" strings, in stored order. */
    const flat = (partition: string) => entries(backend, partition).map(([t, pk]) => `${t[0] as string}:${pk}`);
    const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

    function expectMatchesModel(model: Map<string, Person>): void {
      const ids = [...model.keys()].sort();
      const people = ids.map((k) => model.get(k)!);
      expect([...store.scan()]).toEqual(ids.map((k) => [k, model.get(k)]));
      // ':' sorts below every character of the values used, so value order decides first (as the bytes do).
      expect(flat(IDX.email)).toEqual(people.map((p) => `${p.email}:${p.id}`).sort(byText));
      expect(flat(IDX.role)).toEqual(people.map((p) => `${p.role}:${p.id}`).sort(byText));
      expect(flat(IDX.nickname)).toEqual(
        people
          .filter((p) => p.nickname !== undefined)
          .map((p) => `${p.nickname}:${p.id}`)
          .sort(byText),
      );
    }

    it('verifyIndex stays clean and every index equals the model; collisions throw and change nothing', () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
          backend.close();
          backend = newBackend();
          store = newStore(backend);
          let model = new Map<string, Person>();
          for (const op of ops) {
            if (op.type === 'put' || op.type === 'putMany') {
              const puts: [string, Person][] = op.type === 'put' ? [[op.key, toPerson(op.key, op.value)]] : op.entries.map(([k, v]) => [k, toPerson(k, v)]);
              const next = modelPut(model, puts);
              if (next === undefined) {
                const before = rawContents(backend, ALL);
                const run = () => (op.type === 'put' ? store.put(uid(op.key), puts[0]![1]) : store.putMany(puts.map(([k, p]) => [uid(k), p])));
                expect(run).toThrow(UniqueViolationError);
                expect(rawContents(backend, ALL)).toEqual(before);
              } else {
                if (op.type === 'put') store.put(uid(op.key), puts[0]![1]);
                else store.putMany(puts.map(([k, p]) => [uid(k), p]));
                model = next;
              }
            } else if (op.type === 'delete') {
              expect(store.delete(uid(op.key))).toBe(model.delete(op.key));
            } else {
              const existed = new Set(op.keys.filter((k) => model.has(k))).size;
              expect(store.deleteMany(op.keys.map(uid))).toBe(existed);
              for (const k of op.keys) model.delete(k);
            }
          }
          expectMatchesModel(model);
          expectClean();
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('verify and rebuild after corruption', () => {
    beforeEach(() => {
      store.putMany(
        ['alice', 'bob', 'carol', 'dave'].map(
          (id, i) => [uid(id), person(id, { role: i % 2 ? 'dba' : 'user', ...(i < 2 ? { nickname: `nick-${id}` } : {}) })] as const,
        ),
      );
      expectClean();
    });

    it('a deleted entry is reported missing', () => {
      backend.delete(IDX.email, encodeTuple(['bob@example.com']));
      backend.delete(IDX.role, encodeTuple(['user', pkOf('carol')]));
      const email = verifyIndex(store, store.index('email'));
      expect(email).toMatchObject({ index: 'email', entities: 4, entries: 3, orphaned: [], wrong: [], truncated: false });
      expect(email.missing).toEqual([{ indexKey: 'bob@example.com', primaryKey: 'bob' }]);
      const role = verifyIndex(store, store.index('role'));
      expect(role.missing).toEqual([{ indexKey: 'user', primaryKey: 'carol' }]);
      expect(role.orphaned).toEqual([]);
      expect(role.wrong).toEqual([]);
    });

    it('a stray entry is reported orphaned', () => {
      backend.put(IDX.email, encodeTuple(['ghost@example.com']), pkOf('ghost'));
      backend.put(IDX.role, encodeTuple(['dba', pkOf('zed')]), new Uint8Array(0));
      const email = verifyIndex(store, store.index('email'));
      expect(email).toMatchObject({ entities: 4, entries: 5, missing: [], wrong: [] });
      expect(email.orphaned).toEqual([{ indexKey: 'ghost@example.com', primaryKey: 'ghost' }]);
      const role = verifyIndex(store, store.index('role'));
      expect(role.orphaned).toEqual([{ indexKey: 'dba', primaryKey: 'zed' }]);
      expect(role.missing).toEqual([]);
    });

    it('an entry pointing at the wrong entity is reported wrong (and the real owner missing)', () => {
      backend.put(IDX.email, encodeTuple(['alice@example.com']), pkOf('bob'));
      const r = verifyIndex(store, store.index('email'));
      expect(r.wrong).toEqual([{ indexKey: 'alice@example.com', primaryKey: 'bob' }]);
      expect(r.missing).toEqual([{ indexKey: 'alice@example.com', primaryKey: 'alice' }]);
    });

    it('a value changed behind the store gives wrong + missing; rebuild fixes every index', () => {
      // Bypass the store: carol's email, role and nickname change without index maintenance.
      const changed = person('carol', { email: 'carol.new@example.com', role: 'dba', nickname: 'cc' });
      backend.put(STORE, pkOf('carol'), personCodec.encode(changed));

      const email = verifyIndex(store, store.index('email'));
      expect(email.wrong).toEqual([{ indexKey: 'carol@example.com', primaryKey: 'carol' }]);
      expect(email.missing).toEqual([{ indexKey: 'carol.new@example.com', primaryKey: 'carol' }]);
      expect(email.orphaned).toEqual([]);
      const role = verifyIndex(store, store.index('role'));
      expect(role.wrong).toEqual([{ indexKey: 'user', primaryKey: 'carol' }]);
      expect(role.missing).toEqual([{ indexKey: 'dba', primaryKey: 'carol' }]);
      const nickname = verifyIndex(store, store.index('nickname'));
      expect(nickname.wrong).toEqual([]);
      expect(nickname.missing).toEqual([{ indexKey: 'cc', primaryKey: 'carol' }]);

      // and a stray plus a missing entry on top
      backend.put(IDX.email, encodeTuple(['ghost@example.com']), pkOf('ghost'));
      backend.delete(IDX.email, encodeTuple(['dave@example.com']));

      for (const name of INDEX_NAMES) rebuildIndex(store, store.index(name));
      expectClean();
      expect(rebuildIndex(store, store.index('email'))).toEqual({ entries: 4 });
      expect(rebuildIndex(store, store.index('nickname'))).toEqual({ entries: 3 });
      expect(store.getBy('email', ['carol.new@example.com'])?.[0]).toBe('carol');
      expect(store.getBy('email', ['carol@example.com'])).toBeUndefined();
      expect(store.getBy('email', ['ghost@example.com'])).toBeUndefined();
      expect([...store.findBy('role', ['dba'])].map(([k]) => k)).toEqual(['bob', 'carol', 'dave']);
    });

    it('rebuild over a duplicate unique value throws UniqueViolationError and leaves the old index as it was', () => {
      // dave takes alice's email behind the store's back
      backend.put(STORE, pkOf('dave'), personCodec.encode(person('dave', { role: 'dba', email: 'alice@example.com' })));
      backend.put(IDX.email, encodeTuple(['stray@example.com']), pkOf('ghost')); // old index content to preserve
      const before = rawContents(backend, [IDX.email]);
      expect(before[0]!.length).toBe(5);

      expect(() => rebuildIndex(store, store.index('email'))).toThrow(UniqueViolationError);
      expect(rawContents(backend, [IDX.email])).toEqual(before);
      expect(backend.listPartitions()).toContain(IDX.email);

      // the index partition still works after the rolled-back rebuild
      store.put(uid('erin'), person('erin'));
      expect(store.getBy('email', ['erin@example.com'])?.[0]).toBe('erin');
      expect(verifyIndex(store, store.index('email')).orphaned).toEqual([{ indexKey: 'stray@example.com', primaryKey: 'ghost' }]);
    });

    it('reports at most maxReported problems and says it truncated', () => {
      for (const id of ['alice', 'bob', 'carol', 'dave']) backend.delete(IDX.email, encodeTuple([`${id}@example.com`]));
      const r = verifyIndex(store, store.index('email'), 2);
      expect(r.missing.length).toBe(2);
      expect(r.truncated).toBe(true);
      const all = verifyIndex(store, store.index('email'));
      expect(all.missing.length).toBe(4);
      expect(all.truncated).toBe(false);
    });

    it('an entry whose key is not a tuple is reported wrong in hex', () => {
      backend.put(IDX.email, Uint8Array.from([0xfe, 0x00]), pkOf('alice'));
      const r = verifyIndex(store, store.index('email'));
      expect(r.wrong).toEqual([{ indexKey: '0xfe00', primaryKey: 'alice' }]);
    });
  });

  describe('indexStats', () => {
    it('counts entries and their bytes', () => {
      store.putMany([
        [uid('alice'), person('alice', { nickname: 'Al' })],
        [uid('bob'), person('bob')],
        [uid('carol'), person('carol', { role: 'dba' })],
      ]);
      const bytesOf = (p: string) => [...backend.scan(p)].reduce((n, [k, v]) => n + k.length + v.length, 0);
      const email = indexStats(store, store.index('email'));
      expect(email).toEqual({ name: 'email', partition: IDX.email, unique: true, partial: false, fields: ['email'], entries: 3, bytes: bytesOf(IDX.email) });
      // unique entries carry the primary key as their value
      expect(email.bytes).toBe(['alice', 'bob', 'carol'].reduce((n, id) => n + encodeTuple([`${id}@example.com`]).length + pkOf(id).length, 0));
      const role = indexStats(store, store.index('role'));
      expect(role).toMatchObject({ unique: false, partial: false, entries: 3, bytes: bytesOf(IDX.role) });
      expect(role.bytes).toBe(['alice', 'bob', 'carol'].reduce((n, id) => n + encodeTuple([id === 'carol' ? 'dba' : 'user', pkOf(id)]).length, 0));
      expect(indexStats(store, store.index('nickname'))).toMatchObject({ partial: true, entries: 1, bytes: bytesOf(IDX.nickname) });
      store.delete(uid('alice'));
      expect(indexStats(store, store.index('nickname'))).toMatchObject({ entries: 0, bytes: 0 });
    });
  });
});
