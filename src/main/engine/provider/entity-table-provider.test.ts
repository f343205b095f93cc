import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TableAccess } from '../../../shared/access';
import type { BrowseRequest, Filter, RowPage } from '../../../shared/browse';
import { secret } from '../../../shared/column-meta';
import { KeyError } from '../../../shared/keys/key-codec';
import { type UserId, UserIdKey, UserIdSchema } from '../../../shared/keys/user-id';
import { AccessDeniedError, type Subject, SYSTEM_SUBJECT } from '../access/subject';
import { ValueCodec } from '../codec/value-codec';
import { EngineError, ValidationError } from '../errors';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { SystemTableStore } from '../store/system-table-store';
import { storedVersion } from '../store/version';
import { columnsOf } from './columns';
import { EntityTableProvider, SCAN_BUDGET } from './entity-table-provider';

const PersonSchema = z.object({
  id: UserIdSchema,
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(['user', 'service', 'dba', 'system']).default('user'),
  nickname: z.string().min(1).optional(),
  age: z.number().int().min(0),
  passwordHash: secret(z.string()),
});
type Person = z.infer<typeof PersonSchema>;

const personCodec = new ValueCodec<Person>({ kind: 'person', version: 1, schema: PersonSchema });
const uid = (s: string): UserId => UserIdSchema.parse(s);
const HASH = (id: string) => `$argon2id$secret-of-${id}`;

const dba: Subject = { userId: uid('admin'), role: 'dba' };
const user: Subject = { userId: uid('someone'), role: 'user' };

function makeProvider(backend: SqliteBackend, name = 'people', access?: TableAccess) {
  const store = new SystemTableStore<UserId, Person>({
    backend,
    name,
    key: UserIdKey,
    value: personCodec,
    keyOf: (p) => p.id,
    ...(access ? { access } : {}),
    indexes: [
      { name: 'email', unique: true, fields: ['email'], extract: (p) => [p.email] },
      { name: 'role', unique: false, fields: ['role'], extract: (p) => [p.role] },
    ],
  });
  const { columns, secrets } = columnsOf(PersonSchema, { primaryKey: ['id'], indexed: { email: 'email', role: 'role' } });
  return { store, provider: new EntityTableProvider(store, { columns, secrets }), columns, secrets };
}

/**
 * 30 people p00 … p29. Emails run against key order (p00 has the largest), roles cycle, every
 * third has a nickname, ages are 0…29 so that numeric and text comparison differ (9 < 10).
 */
const ROLES = ['user', 'dba', 'service'] as const;
function personAt(i: number): Person {
  const id = `p${String(i).padStart(2, '0')}`;
  const p: Person = {
    id: uid(id),
    name: i % 5 === 0 ? `Special ${id}` : `Person ${id}`,
    email: `m${99 - i}.${id}@example.com`,
    role: ROLES[i % 3]!,
    age: i,
    passwordHash: HASH(id),
  };
  if (i % 3 === 0) p.nickname = `Nick${i}`;
  return p;
}
const PEOPLE = Array.from({ length: 30 }, (_, i) => personAt(i));

let backend: SqliteBackend;
let store: SystemTableStore<UserId, Person>;
let provider: EntityTableProvider<UserId, Person>;
beforeEach(() => {
  backend = new SqliteBackend(':memory:');
  ({ store, provider } = makeProvider(backend));
  store.putMany(PEOPLE.map((p) => [p.id, p] as const));
});
afterEach(() => backend.close());

const keysOf = (page: RowPage) => page.rows.map((r) => r.key);
/** The version token of a stored person: made from its stored bytes. */
const versionAt = (id: string) => storedVersion(backend.get(store.partition, UserIdKey.encode(uid(id)))!);

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

/** Follows next cursors to the end; returns every page. */
function walk(request: Omit<BrowseRequest, 'cursor' | 'direction'>, direction: 'forward' | 'backward' = 'forward'): RowPage[] {
  const pages: RowPage[] = [];
  let page = provider.browse(dba, { ...request, direction });
  pages.push(page);
  for (;;) {
    const cursor = direction === 'forward' ? page.next : page.prev;
    if (cursor === undefined) break;
    page = provider.browse(dba, { ...request, cursor, direction });
    pages.push(page);
    if (pages.length > 1000) throw new Error('runaway');
  }
  return pages;
}

describe('columns and secrets', () => {
  it('derives columns from the schema, leaving the secret out', () => {
    const { columns, secrets } = makeProvider(backend, 'other');
    expect(secrets).toEqual(['passwordHash']);
    expect(columns.map((c) => c.name)).toEqual(['id', 'name', 'email', 'role', 'nickname', 'age']);
    expect(provider.columns()).toEqual(columns);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ type: 'text', primaryKey: true, nullable: false });
    expect(byName.email).toMatchObject({ type: 'text', primaryKey: false, index: 'email' });
    expect(byName.role).toMatchObject({ type: 'text', index: 'role' });
    expect(byName.nickname).toMatchObject({ type: 'text', nullable: true });
    expect(byName.nickname!.index).toBeUndefined();
    expect(byName.age).toMatchObject({ type: 'integer', nullable: false });
  });

  it('no row, page or single get ever carries the secret', () => {
    const pages = [...walk({ limit: 7 }), ...walk({ limit: 7, sort: { column: 'email', order: 'desc' } }, 'backward')];
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.length).toBe(60);
    for (const row of rows) {
      expect(Object.keys(row.values).sort()).toEqual(['age', 'email', 'id', 'name', 'role', ...(row.values.nickname === undefined ? [] : ['nickname'])].sort());
    }
    const text = JSON.stringify([pages, provider.get(dba, 'p01'), provider.columns()]);
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('passwordHash');
    // the secret is stored, just never shown
    expect(store.get(uid('p01'))?.passwordHash).toBe(HASH('p01'));
  });
});

describe('browse pages and cursors', () => {
  it('pages forward in key order, with prev/next absent exactly at the ends', () => {
    const pages = walk({ limit: 8 });
    expect(pages.map((p) => p.rows.length)).toEqual([8, 8, 8, 6]);
    expect(pages.flatMap(keysOf)).toEqual(PEOPLE.map((p) => p.id));
    expect(pages.map((p) => [p.prev !== undefined, p.next !== undefined])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(pages[0]!.scanned).toBe(8);
    expect(pages[0]!.rows[0]).toEqual({
      key: 'p00',
      values: { id: 'p00', name: 'Special p00', email: 'm99.p00@example.com', role: 'user', nickname: 'Nick0', age: 0 },
      version: versionAt('p00'),
    });
  });

  it('a page size that divides the table leaves no empty last page', () => {
    const pages = walk({ limit: 10 });
    expect(pages.map((p) => p.rows.length)).toEqual([10, 10, 10]);
    expect(pages[2]!.next).toBeUndefined();
  });

  it('pages backward from the end with prev, rows still in order', () => {
    const pages = walk({ limit: 8 }, 'backward');
    expect(pages.map((p) => p.rows.length)).toEqual([8, 8, 8, 6]);
    expect(pages[0]!.next).toBeUndefined();
    expect(pages[3]!.prev).toBeUndefined();
    expect(keysOf(pages[0]!)).toEqual(PEOPLE.slice(22).map((p) => p.id));
    expect([...pages].reverse().flatMap(keysOf)).toEqual(PEOPLE.map((p) => p.id));
  });

  it('prev of a page leads back to the page before it, next forward again', () => {
    const p1 = provider.browse(dba, { limit: 8 });
    const p2 = provider.browse(dba, { limit: 8, cursor: p1.next! });
    const back = provider.browse(dba, { limit: 8, cursor: p2.prev!, direction: 'backward' });
    expect(keysOf(back)).toEqual(keysOf(p1));
    expect(back.prev).toBeUndefined();
    const again = provider.browse(dba, { limit: 8, cursor: back.next! });
    expect(keysOf(again)).toEqual(keysOf(p2));
  });

  it('a tampered cursor is a VALIDATION error', () => {
    const err = errorOf(() => provider.browse(dba, { limit: 5, cursor: 'not-a-cursor' }));
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('VALIDATION');
  });
});

describe('sort', () => {
  const byEmail = [...PEOPLE].sort((a, b) => (a.email < b.email ? -1 : 1)).map((p) => p.id as string);

  it('by a unique indexed column, asc and desc, across pages', () => {
    const asc = walk({ limit: 7, sort: { column: 'email', order: 'asc' } });
    expect(asc.flatMap(keysOf)).toEqual(byEmail);
    expect(asc.at(-1)!.next).toBeUndefined();
    const desc = walk({ limit: 7, sort: { column: 'email', order: 'desc' } });
    expect(desc.flatMap(keysOf)).toEqual([...byEmail].reverse());
    // emails run against key order here, so this is not key order by accident
    expect(byEmail[0]).toBe('p29');
  });

  it('by an indexed column backward from the end', () => {
    const pages = walk({ limit: 7, sort: { column: 'email', order: 'asc' } }, 'backward');
    expect([...pages].reverse().flatMap(keysOf)).toEqual(byEmail);
  });

  it('by a non-unique indexed column: by value, then by key', () => {
    const expected = [...PEOPLE].sort((a, b) => (a.role === b.role ? (a.id < b.id ? -1 : 1) : a.role < b.role ? -1 : 1)).map((p) => p.id as string);
    expect(walk({ limit: 4, sort: { column: 'role', order: 'asc' } }).flatMap(keysOf)).toEqual(expected);
    expect(walk({ limit: 4, sort: { column: 'role', order: 'desc' } }).flatMap(keysOf)).toEqual([...expected].reverse());
  });

  it('by the primary key column, desc', () => {
    expect(walk({ limit: 9, sort: { column: 'id', order: 'desc' } }).flatMap(keysOf)).toEqual(PEOPLE.map((p) => p.id).reverse());
  });

  it('by an unindexed column is a ValidationError naming sort.column', () => {
    for (const column of ['name', 'age', 'nickname', 'nope', 'passwordHash']) {
      const err = errorOf(() => provider.browse(dba, { limit: 5, sort: { column, order: 'asc' } }));
      expect(err, column).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('VALIDATION');
      expect((err as ValidationError).issues.map((i) => i.field)).toEqual(['sort.column']);
      expect((err as ValidationError).message).toContain(column);
    }
  });
});

describe('filters', () => {
  const cases: [string, Filter[], (p: Person) => boolean][] = [
    ['eq on text', [{ column: 'name', op: 'eq', value: 'Person p07' }], (p) => p.name === 'Person p07'],
    ['eq on an indexed column (index seek)', [{ column: 'role', op: 'eq', value: 'dba' }], (p) => p.role === 'dba'],
    ['eq on the unique indexed column', [{ column: 'email', op: 'eq', value: 'm92.p07@example.com' }], (p) => p.id === 'p07'],
    ['eq on a number given as text', [{ column: 'age', op: 'eq', value: '12' }], (p) => p.age === 12],
    ['ne', [{ column: 'role', op: 'ne', value: 'user' }], (p) => p.role !== 'user'],
    ['ne keeps rows where the column is absent', [{ column: 'nickname', op: 'ne', value: 'Nick3' }], (p) => p.nickname !== 'Nick3'],
    ['lt on integers compares numbers, not text', [{ column: 'age', op: 'lt', value: 10 }], (p) => p.age < 10],
    ['gt on integers', [{ column: 'age', op: 'gt', value: '25' }], (p) => p.age > 25],
    [
      'lte and gte together',
      [
        { column: 'age', op: 'gte', value: 5 },
        { column: 'age', op: 'lte', value: 7 },
      ],
      (p) => p.age >= 5 && p.age <= 7,
    ],
    ['lt on text', [{ column: 'id', op: 'lt', value: 'p03' }], (p) => p.id < 'p03'],
    ['gt on text', [{ column: 'email', op: 'gt', value: 'm8' }], (p) => p.email > 'm8'],
    ['contains, case-insensitive', [{ column: 'name', op: 'contains', value: 'SPECIAL' }], (p) => p.name.startsWith('Special')],
    ['contains on a number column', [{ column: 'age', op: 'contains', value: '2' }], (p) => String(p.age).includes('2')],
    ['starts_with', [{ column: 'email', op: 'starts_with', value: 'M9' }], (p) => p.email.startsWith('m9')],
    ['starts_with never matches an absent value', [{ column: 'nickname', op: 'starts_with', value: 'nick1' }], (p) => p.nickname?.startsWith('Nick1') ?? false],
    ['is_null', [{ column: 'nickname', op: 'is_null' }], (p) => p.nickname === undefined],
    ['not_null', [{ column: 'nickname', op: 'not_null' }], (p) => p.nickname !== undefined],
    [
      'filters combine with AND',
      [
        { column: 'role', op: 'eq', value: 'dba' },
        { column: 'nickname', op: 'not_null' },
      ],
      (p) => p.role === 'dba' && p.nickname !== undefined,
    ],
    ['a filter matching nothing', [{ column: 'name', op: 'eq', value: 'nobody' }], () => false],
    ['ieq: equal ignoring letter case', [{ column: 'name', op: 'ieq', value: 'PERSON P07' }], (p) => p.name === 'Person p07'],
    ['in: one of a list, numbers given as text', [{ column: 'age', op: 'in', values: ['3', 12, 25] }], (p) => [3, 12, 25].includes(p.age)],
    ['in on an indexed column', [{ column: 'role', op: 'in', values: ['dba', 'service'] }], (p) => p.role === 'dba' || p.role === 'service'],
    ['between: both bounds included', [{ column: 'age', op: 'between', value: 5, to: '7' }], (p) => p.age >= 5 && p.age <= 7],
    ['between on text', [{ column: 'id', op: 'between', value: 'p03', to: 'p05' }], (p) => p.id >= 'p03' && p.id <= 'p05'],
    [
      'OR groups: (a and b) or c, with an equality on an indexed column in one group (no index seek)',
      [
        { column: 'role', op: 'eq', value: 'dba' },
        { column: 'age', op: 'lt', value: 10 },
        { column: 'nickname', op: 'eq', value: 'Nick3', or: true },
      ],
      (p) => (p.role === 'dba' && p.age < 10) || p.nickname === 'Nick3',
    ],
    [
      'or on the first filter starts no group',
      [
        { column: 'age', op: 'lt', value: 4, or: true },
        { column: 'age', op: 'gt', value: 1 },
      ],
      (p) => p.age < 4 && p.age > 1,
    ],
  ];

  it.each(cases)('%s', (_name, filters, predicate) => {
    const expected = PEOPLE.filter(predicate).map((p) => p.id as string);
    expect(expected.length).toBeLessThan(PEOPLE.length); // the filter must actually filter
    for (const limit of [1000, 3]) {
      const pages = walk({ limit, filters });
      expect(pages.flatMap(keysOf)).toEqual(expected);
      for (const row of pages.flatMap((p) => p.rows)) expect(row.values.passwordHash).toBeUndefined();
    }
  });

  it('filters apply together with a sort', () => {
    const pages = walk({ limit: 2, sort: { column: 'email', order: 'desc' }, filters: [{ column: 'age', op: 'lt', value: 6 }] });
    expect(pages.flatMap(keysOf)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04', 'p05']);
  });

  it('an unknown filter column is a ValidationError naming filters.N.column', () => {
    const err = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'nope', op: 'eq', value: 1 }] }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.column']);
    const second = errorOf(() =>
      provider.browse(dba, {
        limit: 5,
        filters: [
          { column: 'age', op: 'gt', value: 1 },
          { column: 'passwordHash', op: 'eq', value: 'x' },
        ],
      }),
    );
    expect((second as ValidationError).issues.map((i) => i.field)).toEqual(['filters.1.column']);
  });

  it('any OR of AND groups keeps exactly the rows one group matches', () => {
    const atom = fc.oneof(
      fc.constantFrom('dba', 'user', 'service').map((v): Filter => ({ column: 'role', op: 'eq', value: v })),
      fc.nat(40).map((v): Filter => ({ column: 'age', op: 'lt', value: v })),
      fc.tuple(fc.nat(40), fc.nat(40)).map(([a, b]): Filter => ({ column: 'age', op: 'between', value: Math.min(a, b), to: Math.max(a, b) })),
      fc.constant<Filter>({ column: 'nickname', op: 'is_null' }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(atom, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (groups) => {
        const filters = groups.flatMap((g) => g.map((f, i) => (i === 0 ? { ...f, or: true } : f)));
        const holds = (p: Person, f: Filter): boolean => {
          if (f.column === 'role') return p.role === f.value;
          if (f.op === 'lt') return p.age < Number(f.value);
          if (f.op === 'between') return p.age >= Number(f.value) && p.age <= Number(f.to);
          return p.nickname === undefined;
        };
        const expected = PEOPLE.filter((p) => groups.some((g) => g.every((f) => holds(p, f)))).map((p) => p.id as string);
        expect(walk({ limit: 7, filters }).flatMap(keysOf)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('in without a list and between without an upper bound name the missing field', () => {
    const noList = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'age', op: 'in' }] }));
    expect((noList as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.values']);
    const noTo = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'age', op: 'between', value: 1 }] }));
    expect((noTo as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.to']);
    const badItem = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'age', op: 'in', values: [1, 'ten'] }] }));
    expect((badItem as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.values.1']);
  });

  it('a quick search keeps rows where any of its columns contains the text, in any case, together with the filters', () => {
    const search = { text: 'NICK1', columns: ['name', 'nickname'] };
    const expected = PEOPLE.filter((p) => p.nickname?.toLowerCase().includes('nick1') && p.age > 12).map((p) => p.id as string);
    expect(expected.length).toBeGreaterThan(0);
    expect(walk({ limit: 4, search, filters: [{ column: 'age', op: 'gt', value: 12 }] }).flatMap(keysOf)).toEqual(expected);
    const special = walk({ limit: 50, search: { text: 'special', columns: ['name'] } }).flatMap(keysOf);
    expect(special).toEqual(PEOPLE.filter((p) => p.name.startsWith('Special')).map((p) => p.id as string));
    const unknown = errorOf(() => provider.browse(dba, { limit: 5, search: { text: 'x', columns: ['name', 'passwordHash'] } }));
    expect((unknown as ValidationError).issues.map((i) => i.field)).toEqual(['search.columns.1']);
  });

  it('a missing or malformed value names filters.N.value', () => {
    const missing = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'age', op: 'lt' }] }));
    expect((missing as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.value']);
    const notNumber = errorOf(() => provider.browse(dba, { limit: 5, filters: [{ column: 'age', op: 'lt', value: 'ten' }] }));
    expect((notNumber as ValidationError).issues.map((i) => i.field)).toEqual(['filters.0.value']);
  });
});

describe('scan budget', () => {
  it('returns a short page with a next cursor when a filter matches rarely', () => {
    const b = new SqliteBackend(':memory:');
    try {
      const bulk = new SystemTableStore<UserId, Person>({ backend: b, name: 'bulk', key: UserIdKey, value: personCodec, keyOf: (v) => v.id });
      const { columns, secrets } = columnsOf(PersonSchema, { primaryKey: ['id'] });
      const p = new EntityTableProvider(bulk, { columns, secrets });
      const total = SCAN_BUDGET + 50;
      const id = (i: number) => `r${String(i).padStart(6, '0')}`;
      const matchAt = new Set([10, total - 1]);
      bulk.putMany(
        Array.from({ length: total }, (_, i) => {
          const v: Person = { id: uid(id(i)), name: matchAt.has(i) ? 'needle' : 'hay', email: 'x@example.com', role: 'user', age: 1, passwordHash: 'h' };
          return [v.id, v] as const;
        }),
      );
      const filters: Filter[] = [{ column: 'name', op: 'eq', value: 'needle' }];

      const first = p.browse(dba, { limit: 10, filters });
      expect(first.scanned).toBe(SCAN_BUDGET);
      expect(first.rows.map((r) => r.key)).toEqual([id(10)]); // short page: 1 of 10
      expect(first.next).toBeDefined();
      expect(first.prev).toBeUndefined();

      const second = p.browse(dba, { limit: 10, filters, cursor: first.next! });
      expect(second.scanned).toBe(50);
      expect(second.rows.map((r) => r.key)).toEqual([id(total - 1)]);
      expect(second.next).toBeUndefined();
      expect(second.prev).toBeDefined();

      // without a filter the budget never shortens a page
      const plain = p.browse(dba, { limit: 10, cursor: first.next! });
      expect(plain.rows.length).toBe(10);
      expect(plain.rows[0]!.key).toBe(id(SCAN_BUDGET));
    } finally {
      b.close();
    }
  });
});

describe('access', () => {
  it('a user is denied a dba table (browse, count and get)', () => {
    for (const fn of [() => provider.browse(user, { limit: 5 }), () => provider.count(user), () => provider.get(user, 'p01')]) {
      const err = errorOf(fn);
      expect(err).toBeInstanceOf(AccessDeniedError);
      expect((err as AccessDeniedError).code).toBe('ACCESS_DENIED');
      expect((err as AccessDeniedError).message).toContain('system.people');
    }
    for (const role of ['anonymous', 'service'] as const) {
      expect(() => provider.browse({ userId: null, role }, { limit: 5 })).toThrow(AccessDeniedError);
    }
  });

  it('dba and system may read a dba table', () => {
    expect(provider.access).toBe('dba');
    for (const subject of [dba, SYSTEM_SUBJECT]) {
      expect(provider.browse(subject, { limit: 5 }).rows.length).toBe(5);
      expect(provider.count(subject)).toBe(30);
      expect(provider.get(subject, 'p03')?.key).toBe('p03');
    }
  });

  it('follows the table access level (a public table is open to users, not to anonymous)', () => {
    const b = new SqliteBackend(':memory:');
    try {
      const { store: s, provider: pub } = makeProvider(b, 'directory', 'public');
      s.put(uid('x'), personAt(1));
      expect(pub.access).toBe('public');
      expect(pub.browse(user, { limit: 5 }).rows.length).toBe(1);
      expect(() => pub.browse({ userId: null, role: 'anonymous' }, { limit: 5 })).toThrow(AccessDeniedError);
    } finally {
      b.close();
    }
  });
});

describe('count and get', () => {
  it('counts with a cap', () => {
    expect(provider.count(dba)).toBe(30);
    expect(provider.count(dba, 10)).toBe(10);
  });

  it('gets a row by the display form of its key', () => {
    expect(provider.get(dba, 'p03')).toEqual({
      key: 'p03',
      values: { id: 'p03', name: 'Person p03', email: 'm96.p03@example.com', role: 'user', nickname: 'Nick3', age: 3 },
      version: versionAt('p03'),
    });
    expect(provider.get(dba, 'nobody')).toBeUndefined();
    expect(() => provider.get(dba, 'a/b')).toThrow(KeyError);
  });

  it('names its table in the system namespace', () => {
    expect(provider.tableId).toEqual({ namespace: 'system', table: 'people' });
    expect(provider.kind).toBe('system');
  });
});
