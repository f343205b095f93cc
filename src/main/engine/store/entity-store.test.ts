import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compareBytes, encodeTuple } from '../../../shared/keys/tuple';
import { type UserId, UserIdKey, UserIdSchema } from '../../../shared/keys/user-id';
import { ValueCodec } from '../codec/value-codec';
import { DecodeError, EngineError, UniqueViolationError, ValidationError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';
import { TEST_BACKENDS } from '../storage/testing/backends.test-support';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { EntityStore } from './entity-store';
import { type KeysetPage, type KeysetRequest, keysetPage } from './keyset-page';

const PersonSchema = z.object({
  id: UserIdSchema,
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(['user', 'service', 'dba', 'system']).default('user'),
  nickname: z.string().min(1).optional(),
});
type Person = z.infer<typeof PersonSchema>;

const personCodec = new ValueCodec<Person>({ kind: 'person', version: 1, schema: PersonSchema });
const STORE = 'people';
const EMAIL_INDEX = `${STORE}.idx.email`;

const uid = (s: string): UserId => UserIdSchema.parse(s);
const person = (id: string, extra: Partial<Person> = {}): Person => ({
  id: uid(id),
  name: `Name of ${id}`,
  email: `${id.replace(/[^a-z0-9]/gi, 'x')}@example.com`,
  role: 'user',
  ...extra,
});

function newStore(backend: StorageBackend, withIndex = true): EntityStore<UserId, Person> {
  return new EntityStore<UserId, Person>({
    backend,
    partition: STORE,
    key: UserIdKey,
    value: personCodec,
    indexes: withIndex ? [{ name: 'email', unique: true, fields: ['email'], extract: (p) => [p.email] }] : [],
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Everything in the given partitions, byte for byte, plus their stats. */
function snapshot(backend: StorageBackend, partitions: string[]) {
  return partitions.map((p) => ({
    stats: backend.stats(p),
    rows: [...backend.scan(p)].map(([k, v]) => `${hex(k)}=${hex(v)}`),
  }));
}

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

  describe('EntityStore CRUD', () => {
    it('creates its partition and its index partitions', () => {
      expect(backend.listPartitions()).toEqual([STORE, EMAIL_INDEX]);
    });

    it('puts, gets, overwrites and deletes', () => {
      expect(store.get(uid('alice'))).toBeUndefined();
      expect(store.exists(uid('alice'))).toBe(false);
      const stored = store.put(uid('alice'), person('alice'));
      expect(stored).toEqual(person('alice'));
      expect(store.get(uid('alice'))).toEqual(person('alice'));
      expect(store.exists(uid('alice'))).toBe(true);

      store.put(uid('alice'), person('alice', { name: 'Alice Two' }));
      expect(store.get(uid('alice'))?.name).toBe('Alice Two');
      expect(store.count()).toBe(1);

      expect(store.delete(uid('alice'))).toBe(true);
      expect(store.get(uid('alice'))).toBeUndefined();
      expect(store.count()).toBe(0);
    });

    it('stores the validated value: defaults applied, unknown fields dropped', () => {
      const input = { id: 'bob', name: 'Bob', email: 'bob@example.com', extra: 42 } as unknown as Person;
      const stored = store.put(uid('bob'), input);
      expect(stored).toEqual({ id: 'bob', name: 'Bob', email: 'bob@example.com', role: 'user' });
      expect(store.get(uid('bob'))).toEqual(stored);
    });

    it('rejects an invalid value and stores nothing', () => {
      const err = errorOf(() => store.put(uid('bob'), person('bob', { email: 'nope' })));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.field)).toEqual(['email']);
      expect(store.exists(uid('bob'))).toBe(false);
      expect(backend.stats(EMAIL_INDEX).rows).toBe(0);
    });

    it('delete returns whether the entity existed, with or without indexes', () => {
      for (const s of [store, newStore(newBackend(), false)]) {
        s.put(uid('a'), person('a'));
        expect(s.delete(uid('a'))).toBe(true);
        expect(s.delete(uid('a'))).toBe(false);
        expect(s.delete(uid('never'))).toBe(false);
        expect(s.get(uid('a'))).toBeUndefined();
      }
    });

    it('deleteMany deletes atomically and counts only entities that existed', () => {
      store.putMany(['a', 'b', 'c'].map((id) => [uid(id), person(id)] as const));
      expect(store.deleteMany([uid('a'), uid('x'), uid('c'), uid('a')])).toBe(2);
      expect([...store.scanKeys()]).toEqual(['b']);
      expect(backend.stats(EMAIL_INDEX).rows).toBe(1);
    });

    it('putMany stores every entity', () => {
      store.putMany(['c', 'a', 'b'].map((id) => [uid(id), person(id)] as const));
      expect([...store.scan()]).toEqual(['a', 'b', 'c'].map((id) => [id, person(id)]));
      expect(backend.stats(EMAIL_INDEX).rows).toBe(3);
    });
  });

  describe('putMany is all or nothing', () => {
    const partitions = [STORE, EMAIL_INDEX];
    beforeEach(() => {
      store.putMany(['a', 'b', 'c'].map((id) => [uid(id), person(id)] as const));
    });

    it('when one value is invalid (store and index unchanged)', () => {
      const before = snapshot(backend, partitions);
      const err = errorOf(() =>
        store.putMany([
          [uid('d'), person('d')],
          [uid('a'), person('a', { name: 'changed' })],
          [uid('e'), person('e', { email: 'broken' })],
          [uid('f'), person('f')],
        ]),
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect(snapshot(backend, partitions)).toEqual(before);
      expect(store.get(uid('a'))?.name).toBe('Name of a');
      expect(store.exists(uid('d'))).toBe(false);
    });

    it('when one value violates the unique index (store and index unchanged)', () => {
      const before = snapshot(backend, partitions);
      const err = errorOf(() =>
        store.putMany([
          [uid('d'), person('d')],
          [uid('a'), person('a', { email: 'renamed@example.com' })],
          [uid('e'), person('e', { email: person('b').email })],
        ]),
      );
      expect(err).toBeInstanceOf(UniqueViolationError);
      expect(snapshot(backend, partitions)).toEqual(before);
      expect(store.getBy('email', ['renamed@example.com'])).toBeUndefined();
      expect(store.getBy('email', [person('a').email])?.[0]).toBe('a');
    });

    it('when two new entities in the same batch collide', () => {
      const before = snapshot(backend, partitions);
      expect(() =>
        store.putMany([
          [uid('d'), person('d', { email: 'same@example.com' })],
          [uid('e'), person('e', { email: 'same@example.com' })],
        ]),
      ).toThrow(UniqueViolationError);
      expect(snapshot(backend, partitions)).toEqual(before);
    });

    it('without indexes too', () => {
      const b = newBackend();
      const s = newStore(b, false);
      s.putMany([[uid('a'), person('a')]]);
      const before = snapshot(b, [STORE]);
      expect(() =>
        s.putMany([
          [uid('b'), person('b')],
          [uid('c'), person('c', { name: '' })],
        ]),
      ).toThrow(ValidationError);
      expect(snapshot(b, [STORE])).toEqual(before);
      b.close();
    });

    it('later entries of the same batch see earlier ones (same key twice)', () => {
      store.putMany([
        [uid('d'), person('d', { email: 'first@example.com' })],
        [uid('d'), person('d', { email: 'second@example.com' })],
      ]);
      expect(store.get(uid('d'))?.email).toBe('second@example.com');
      expect(store.getBy('email', ['first@example.com'])).toBeUndefined();
      expect(backend.stats(EMAIL_INDEX).rows).toBe(4);
    });
  });

  describe('typed scans', () => {
    // u00 … u19: zero-padded, so key order is numeric order.
    const ids = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    beforeEach(() => {
      store.putMany([...ids].reverse().map((id) => [uid(id), person(id)] as const));
    });
    const keys = (it: Iterable<[UserId, Person]>) => [...it].map(([k]) => k as string);

    it('scans everything in key order, values decoded', () => {
      const all = [...store.scan()];
      expect(all.map(([k]) => k)).toEqual(ids);
      expect(all.every(([k, v]) => v.id === k && v.email === person(k).email)).toBe(true);
      expect([...store.scanKeys()]).toEqual(ids);
    });

    it('from is inclusive, after and before are exclusive', () => {
      expect(keys(store.scan({ from: uid('u05'), limit: 3 }))).toEqual(['u05', 'u06', 'u07']);
      expect(keys(store.scan({ after: uid('u05'), limit: 3 }))).toEqual(['u06', 'u07', 'u08']);
      expect(keys(store.scan({ before: uid('u03') }))).toEqual(['u00', 'u01', 'u02']);
      expect(keys(store.scan({ from: uid('u10'), before: uid('u13') }))).toEqual(['u10', 'u11', 'u12']);
      expect(keys(store.scan({ after: uid('u10'), before: uid('u13') }))).toEqual(['u11', 'u12']);
      // bounds that are not stored keys
      expect(keys(store.scan({ from: uid('u055'), before: uid('u08') }))).toEqual(['u06', 'u07']);
    });

    it('reverse walks down from the upper bound', () => {
      expect(keys(store.scan({ reverse: true, limit: 3 }))).toEqual(['u19', 'u18', 'u17']);
      expect(keys(store.scan({ before: uid('u05'), reverse: true, limit: 2 }))).toEqual(['u04', 'u03']);
      expect(keys(store.scan({ from: uid('u17'), reverse: true }))).toEqual(['u19', 'u18', 'u17']);
    });

    it('prefix narrows to keys starting with raw bytes', () => {
      // The encoded "u1" without its terminator: every id starting with "u1".
      const u1 = encodeTuple(['u1']).slice(0, -1);
      expect(keys(store.scan({ prefix: u1 }))).toEqual(ids.slice(10));
      expect(keys(store.scan({ prefix: u1, after: uid('u15'), limit: 2 }))).toEqual(['u16', 'u17']);
      expect(keys(store.scan({ prefix: u1, reverse: true, limit: 2 }))).toEqual(['u19', 'u18']);
      // A full encoded key as prefix matches only that key (the terminator keeps u1 from matching u10).
      expect(keys(store.scan({ prefix: encodeTuple(['u1']) }))).toEqual([]);
      expect(keys(store.scan({ prefix: encodeTuple(['u12']) }))).toEqual(['u12']);
    });

    it('limit 0 yields nothing; scanRaw yields encoded keys', () => {
      expect(keys(store.scan({ limit: 0 }))).toEqual([]);
      const raw = [...store.scanRaw({ limit: 2 })];
      expect(raw.map(([k]) => hex(k))).toEqual([hex(UserIdKey.encode(uid('u00'))), hex(UserIdKey.encode(uid('u01')))]);
      expect(raw[1]![1]).toEqual(person('u01'));
    });

    it('agrees with a sorted model for random bounds (property)', () => {
      const idArb = fc.integer({ min: -1, max: 21 }).map((i) => uid(`u${String(i).padStart(2, '0')}`));
      const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
      fc.assert(
        fc.property(fc.record({ from: opt(idArb), after: opt(idArb), before: opt(idArb), limit: opt(fc.nat(25)), reverse: opt(fc.boolean()) }), (o) => {
          let expected = ids.filter(
            (id) => (o.from === undefined || id >= o.from) && (o.after === undefined || id > o.after) && (o.before === undefined || id < o.before),
          );
          if (o.reverse) expected.reverse();
          if (o.limit !== undefined) expected = expected.slice(0, o.limit);
          expect([...store.scanKeys(o)]).toEqual(expected);
        }),
      );
    });

    it('count counts a range and stops at the cap', () => {
      expect(store.count()).toBe(20);
      expect(store.count({ cap: 5 })).toBe(5);
      expect(store.count({ cap: 20 })).toBe(20);
      expect(store.count({ cap: 1000 })).toBe(20);
      expect(store.count({ cap: 0 })).toBe(0);
      const u1 = encodeTuple(['u1']).slice(0, -1);
      expect(store.count({ prefix: u1 })).toBe(10);
      expect(store.count({ prefix: u1, cap: 3 })).toBe(3);
      expect(store.count({ prefix: encodeTuple(['zz']) })).toBe(0);
    });
  });

  describe('pagination (the one pager over a store in key order)', () => {
    type Order = 'asc' | 'desc';
    type Page<T> = KeysetPage<T>;

    /** A page of the store (within `prefix`), keys decoded. */
    function pageOf(s: EntityStore<UserId, Person>, request: KeysetRequest & { prefix?: Uint8Array }): Page<[UserId, Person]> {
      const p = keysetPage(s.keyOrder(request.prefix), request);
      return { ...p, items: p.items.map((e): [UserId, Person] => [s.keyCodec.decode(e.key), e.value]) };
    }

    /** Walks every page forward from the start, checking cursor presence on the way. */
    function walkForward(s: EntityStore<UserId, Person>, limit: number, order: Order): { keys: string[]; pages: Page<[UserId, Person]>[] } {
      const pages: Page<[UserId, Person]>[] = [];
      let page = pageOf(s, { limit, order });
      pages.push(page);
      while (page.next !== undefined) {
        page = pageOf(s, { limit, order, cursor: page.next, direction: 'forward' });
        pages.push(page);
        if (pages.length > 10_000) throw new Error('runaway pagination');
      }
      return { keys: pages.flatMap((p) => p.items.map(([k]) => k as string)), pages };
    }

    function walkBackward(s: EntityStore<UserId, Person>, limit: number, order: Order): { keys: string[]; pages: Page<[UserId, Person]>[] } {
      const pages: Page<[UserId, Person]>[] = [];
      let page = pageOf(s, { limit, order, direction: 'backward' });
      pages.push(page);
      while (page.prev !== undefined) {
        page = pageOf(s, { limit, order, cursor: page.prev, direction: 'backward' });
        pages.push(page);
        if (pages.length > 10_000) throw new Error('runaway pagination');
      }
      // pages come last-first; items within each page are in `order`
      return { keys: [...pages].reverse().flatMap((p) => p.items.map(([k]) => k as string)), pages };
    }

    const idChar = fc.constantFrom('a', 'b', 'z', '0', '9', '-', '_', 'é', '中', '😀', 'A');
    const idsArb = fc.uniqueArray(fc.string({ unit: idChar, minLength: 1, maxLength: 5 }), { maxLength: 45 });

    it('forward with next visits every key once in order; backward with prev visits them in reverse (property)', () => {
      fc.assert(
        fc.property(idsArb, fc.integer({ min: 1, max: 12 }), fc.constantFrom<Order>('asc', 'desc'), (ids, limit, order) => {
          const b = newBackend();
          try {
            const s = newStore(b);
            s.putMany(ids.map((id, i) => [uid(id), person(id, { email: `p${i}@example.com` })] as const));
            const sorted = [...ids].sort((x, y) => compareBytes(UserIdKey.encode(uid(x)), UserIdKey.encode(uid(y))));
            const expected = order === 'asc' ? sorted : [...sorted].reverse();
            const pageCount = Math.max(1, Math.ceil(ids.length / limit));

            const fwd = walkForward(s, limit, order);
            expect(fwd.keys).toEqual(expected);
            expect(fwd.pages.length).toBe(pageCount);
            fwd.pages.forEach((p, i) => {
              const isFirst = i === 0;
              const isLast = i === fwd.pages.length - 1;
              expect(p.prev === undefined).toBe(isFirst);
              expect(p.next === undefined).toBe(isLast);
              if (!isLast) expect(p.items.length).toBe(limit);
              // values come with their keys
              for (const [k, v] of p.items) expect(v.id).toBe(k);
            });
            // prev of a forward page, read backward, is exactly the page before it
            for (let i = 1; i < fwd.pages.length; i++) {
              const back = pageOf(s, { limit, order, cursor: fwd.pages[i]!.prev, direction: 'backward' });
              expect(back.items.map(([k]) => k)).toEqual(fwd.pages[i - 1]!.items.map(([k]) => k));
              expect(back.prev === undefined).toBe(i - 1 === 0);
              expect(back.next).toBeDefined();
            }

            const bwd = walkBackward(s, limit, order);
            expect(bwd.keys).toEqual(expected);
            expect(bwd.pages.length).toBe(pageCount);
            bwd.pages.forEach((p, i) => {
              const isStart = i === bwd.pages.length - 1; // the page at the start of the order
              const isEnd = i === 0;
              expect(p.prev === undefined).toBe(isStart);
              expect(p.next === undefined).toBe(isEnd);
              if (!isStart) expect(p.items.length).toBe(limit);
            });
            // next of a backward page, read forward, is exactly the page after it
            for (let i = 1; i < bwd.pages.length; i++) {
              const fw = pageOf(s, { limit, order, cursor: bwd.pages[i]!.next, direction: 'forward' });
              expect(fw.items.map(([k]) => k)).toEqual(bwd.pages[i - 1]!.items.map(([k]) => k));
            }
          } finally {
            b.close();
          }
        }),
        { numRuns: 150 },
      );
    });

    it('an empty store gives one empty page without cursors', () => {
      for (const direction of ['forward', 'backward'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          expect(pageOf(store, { limit: 5, direction, order })).toEqual({ items: [], next: undefined, prev: undefined, scanned: 0 });
        }
      }
    });

    it('pages within a prefix only', () => {
      store.putMany(['a1', 'a2', 'a3', 'b1', 'b2'].map((id) => [uid(id), person(id)] as const));
      const prefix = encodeTuple(['a']).slice(0, -1);
      const p1 = pageOf(store, { limit: 2, prefix });
      expect(p1.items.map(([k]) => k)).toEqual(['a1', 'a2']);
      const p2 = pageOf(store, { limit: 2, prefix, cursor: p1.next });
      expect(p2.items.map(([k]) => k)).toEqual(['a3']);
      expect(p2.next).toBeUndefined();
      const last = pageOf(store, { limit: 2, prefix, direction: 'backward' });
      expect(last.items.map(([k]) => k)).toEqual(['a2', 'a3']);
    });

    it('the source holds encoded keys', () => {
      store.put(uid('k'), person('k'));
      const raw = keysetPage(store.keyOrder(), { limit: 1 });
      expect(hex(raw.items[0]!.key)).toBe(hex(UserIdKey.encode(uid('k'))));
    });

    it('a tampered cursor is a VALIDATION EngineError', () => {
      store.putMany(['a', 'b', 'c'].map((id) => [uid(id), person(id)] as const));
      const next = pageOf(store, { limit: 1 }).next!;
      expect(next).toMatch(/^c1\./);
      for (const bad of ['', 'garbage', next.slice(3), `c2.${next.slice(3)}`, `${next}!`, `${next}==`, 'c1.a+b/c', `C1.${next.slice(3)}`]) {
        const err = errorOf(() => pageOf(store, { limit: 1, cursor: bad }));
        expect(err, bad).toBeInstanceOf(EngineError);
        expect((err as EngineError).code, bad).toBe('VALIDATION');
        expect((err as EngineError).message).toMatch(/cursor/);
      }
    });

    it('rejects a limit outside 1..MAX_PAGE_SIZE', () => {
      for (const limit of [0, -1, 1.5, Number.NaN, MAX_PAGE_SIZE + 1, Number.POSITIVE_INFINITY]) {
        const err = errorOf(() => pageOf(store, { limit }));
        expect(err, String(limit)).toBeInstanceOf(EngineError);
        expect((err as EngineError).code).toBe('VALIDATION');
        expect((err as EngineError).message).toMatch(/limit/);
      }
      expect(pageOf(store, { limit: MAX_PAGE_SIZE }).items).toEqual([]);
      expect(pageOf(store, { limit: 1 }).items).toEqual([]);
    });
  });

  describe('corrupt stored values are reported, never skipped', () => {
    const garbage = Uint8Array.from([0x01, 0x01, 0x7b, 0x7b]); // valid envelope, invalid JSON

    function expectDecodeError(fn: () => unknown, key: string): void {
      const err = errorOf(fn);
      expect(err).toBeInstanceOf(DecodeError);
      const d = err as DecodeError;
      expect(d.code).toBe('DECODE');
      expect(d.partition).toBe(STORE);
      expect(d.key).toBe(key);
      expect(d.message).toContain(`${STORE} / ${key}`);
    }

    beforeEach(() => {
      store.putMany(['a', 'b', 'c'].map((id) => [uid(id), person(id)] as const));
      backend.put(STORE, UserIdKey.encode(uid('b')), garbage);
    });

    it('by get', () => {
      expect(store.get(uid('a'))).toEqual(person('a'));
      expectDecodeError(() => store.get(uid('b')), 'b');
      expectDecodeError(() => store.getRaw(UserIdKey.encode(uid('b'))), 'b');
    });

    it('by scan, scanRaw and page (the good rows before it are still read)', () => {
      const it = store.scan();
      expect(it.next().value).toEqual(['a', person('a')]);
      expectDecodeError(() => it.next(), 'b');
      expectDecodeError(() => [...store.scan()], 'b');
      expectDecodeError(() => [...store.scan({ reverse: true })], 'b');
      expectDecodeError(() => [...store.scanRaw()], 'b');
      expectDecodeError(() => keysetPage(store.keyOrder(), { limit: 10 }), 'b');
      expectDecodeError(() => keysetPage(store.keyOrder(), { limit: 10, order: 'desc' }), 'b');
      // keys alone are still readable
      expect([...store.scanKeys()]).toEqual(['a', 'b', 'c']);
    });

    it('by getBy through an index', () => {
      expectDecodeError(() => store.getBy('email', [person('b').email]), 'b');
    });

    it('a key that does not decode is shown in hex', () => {
      backend.put(STORE, Uint8Array.from([0xff, 0x01]), garbage);
      expectDecodeError(() => [...store.scanRaw({ gt: UserIdKey.encode(uid('c')) })], '0xff01');
    });
  });
});
