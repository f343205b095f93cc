/**
 * fast-check arbitraries for fuzzing the procedures: garbage of every kind (wrong types, huge
 * strings, NUL and lone surrogates, deep junk, prototype-pollution keys) mixed into inputs of the
 * right shape, so the fuzz reaches past input validation into the handlers too.
 */
import fc from 'fast-check';

const HUGE = 'x'.repeat(200_000);

/** Strings that stress validation, key parsing and the tuple encoding. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'a\udc00',
    '\u{1f600}',
    '../../etc/passwd',
    'a/b',
    'a\\b',
    '..',
    '__proto__',
    'constructor',
    'prototype',
    'system.users',
    'system.users\u0000',
    'SYSTEM.USERS',
    'system.',
    '.users',
    'a.b.c',
    'c1.',
    'c1.AAAA',
    'c1.$$',
    '$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA',
    '1e3',
    '-1',
    '99999999999999999999',
    'NaN',
    'null',
    '{}',
    HUGE,
    HUGE.slice(0, 1001),
    HUGE.slice(0, 4097),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.base64String({ maxLength: 24 }).map((s) => `c1.${s.replace(/[+/=]/g, '_')}`),
);

/** Numbers that are not what a schema expects: fractions, non-finite, out of range. */
const nastyNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e300, 2 ** 31, 100_000_001),
  fc.integer({ min: -10, max: 2000 }),
  fc.double(),
);

/** An object whose keys include the prototype-pollution keys as own properties (as JSON.parse makes them). */
export function objectWith(
  value: fc.Arbitrary<unknown>,
  keys: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'), nastyString),
) {
  return fc.array(fc.tuple(keys, value), { maxLength: 5 }).map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });
}

const anythingOptions = {
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
} as const;

/** Any junk value. */
export const junk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.anything(anythingOptions),
    nastyString,
    nastyNumber,
    fc.constantFrom(undefined, null, true, false, [], {}, () => 1, Symbol('s')),
    objectWith(tie('value')),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
})).value;

/** Either the real thing or junk in its place (or missing altogether). */
export function maybe<T>(real: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: real }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(undefined) });
}

/** For optional fields: mostly absent or real, sometimes junk. */
export function optional<T>(real: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: real }, { weight: 1, arbitrary: junk });
}

/** An input object of the right shape with junk mixed in and extra (prototype-pollution) keys. */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.oneof({ weight: 3, arbitrary: fc.record(fields) }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) });
  // Inputs are strict objects: an unknown key is refused at validation, so most inputs carry none.
  const extras = fc.oneof({ weight: 3, arbitrary: fc.constant<Record<string, unknown>>({}) }, { weight: 1, arbitrary: objectWith(junk) });
  return fc.tuple(record, extras).map(([base, extra]) => {
    const o = { ...base } as Record<string, unknown>;
    for (const k of Object.keys(extra))
      if (!(k in base)) Object.defineProperty(o, k, { value: extra[k], enumerable: true, writable: true, configurable: true });
    return o;
  });
}

/** The input of a procedure: shaped junk mostly, raw junk sometimes. */
export function inputOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: shaped(fields) }, { weight: 1, arbitrary: junk });
}

export const TABLES = [
  'system.users',
  'system.namespaces',
  'system.tables',
  'system.storages',
  'system.jobs',
  'system.live_queries',
  'system.audit_log',
  'system.manifest',
];
export const EDITABLE = ['system.users', 'system.namespaces', 'system.storages'];
export const COLUMNS = [
  'user_id',
  'username',
  'role',
  'email',
  'password_hash',
  'created_at',
  'deleted_at',
  'namespace_id',
  'options',
  'storage_id',
  'status',
  'audit_id',
  'action',
  'batch',
  'nope',
];
export const INDEXES = ['username', 'role', 'storage', 'status_created', 'idempotency', 'email', 'nope'];

/** The demo's data tables (seedDemo), and their columns. */
export const DATA_TABLES = ['demo.products', 'demo.notes', 'demo.events'];
export const DATA_COLUMNS = ['id', 'name', 'price', 'in_stock', 'tags', 'title', 'body', 'pinned', 'created_at', 'kind', 'payload', '_seq', '_user', '_ts'];

export const tableRef = fc.oneof(
  fc.constantFrom(...TABLES, ...DATA_TABLES, 'system.nope', 'app.users', 'System.Users', 'DEMO.Notes', 'demo.nope'),
  nastyString,
);
export const columnName = fc.oneof(fc.constantFrom(...COLUMNS), nastyString);
export const keyText = fc.oneof(
  fc.constantFrom(
    'root',
    'u_alice',
    'demo',
    'local',
    '0',
    '1',
    'app.messages',
    'app.messages//0',
    'u/c/s',
    'FL-abc',
    'u_alice/1',
    'u_bob/2',
    'u_bob/99',
    'u_alice/',
    '/1',
    '1.5',
    '"1"',
  ),
  nastyString,
);

/** "View as": real users and roles, and junk. */
export const viewAs: fc.Arbitrary<unknown> = inputOf({
  userId: maybe(fc.oneof(fc.constantFrom('u_alice', 'u_bob', 'u_carol', 'root', 'u_nobody', null), nastyString)),
  role: optional(fc.oneof(fc.constantFrom('anonymous', 'user', 'service', 'dba', 'system'), nastyString)),
});

/** A value no id, name or key schema accepts (so a fuzzed write can never be a valid one). */
export const invalidId: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a/b', '..', '_x', 0, 1.5, true, null, [], {}),
  fc.string({ maxLength: 8 }).map((s) => `${s}/\u0000`),
  fc.integer(),
);
