import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bytesArb, doubleArb, int64Arb, safeIntArb, tupleStringArb } from './arbitraries.test-support';
import {
  type AuditId,
  AuditIdKey,
  AuditIdSchema,
  compareBytes,
  compareTuples,
  concatBytes,
  Double,
  encodeTuple,
  JOB_TYPE_PREFIX,
  JOB_TYPES,
  type JobId,
  JobIdKey,
  JobIdSchema,
  type KeyCodec,
  KeyError,
  type LiveQueryId,
  LiveQueryIdKey,
  LiveQueryIdSchema,
  type ManifestId,
  manifestId,
  ManifestIdKey,
  ManifestIdSchema,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  type NamespaceId,
  NamespaceIdKey,
  NamespaceIdSchema,
  jobTypeOfId,
  newJobId,
  NewNamespaceNameSchema,
  NewTableNameSchema,
  namespaceTablesPrefix,
  prefixEnd,
  RESERVED_NAMESPACES,
  type RowId,
  rowId,
  RowIdKey,
  RowIdSchema,
  type RowKeyValue,
  rowKeyValue,
  scopeSegmentsPrefix,
  startsWith,
  type StorageId,
  StorageIdKey,
  SYSTEM_NAMESPACE,
  type TableId,
  tableId,
  TableIdKey,
  TableIdSchema,
  type TableName,
  TableNameSchema,
  tableSegmentsPrefix,
  type Tuple,
  type UserId,
  UserIdKey,
  UserIdSchema,
  userLiveQueriesPrefix,
  type UserName,
  UserNameInputSchema,
  UserNameKey,
  UserNameSchema,
  userRowId,
  UserRowIdKey,
  UserRowIdSchema,
  userRowsPrefix,
} from './index';

// ---------------------------------------------------------------------------------------------
// Helpers

const sign = (n: number): number => Math.sign(n) || 0;
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Asserts that fn throws a KeyError of the given kind whose rule contains ruleFragment. */
function expectKeyError(fn: () => unknown, kind: string, ruleFragment: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected KeyError ${kind}: …${ruleFragment}…`).toBeInstanceOf(KeyError);
  const err = thrown as KeyError;
  expect(err.kind).toBe(kind);
  expect(err.rule).toContain(ruleFragment);
  expect(err.message).toBe(`${kind}: ${err.rule}`);
}

/** The byte order of a key type must be the tuple order of its components. */
interface CodecCase<K> {
  readonly codec: KeyCodec<K>;
  readonly arb: fc.Arbitrary<K>;
  readonly components: (key: K) => Tuple;
}

function codecProperties<K>({ codec, arb, components }: CodecCase<K>): void {
  const pairArb = fc.oneof(
    fc.tuple(arb, arb),
    arb.map((k) => [k, k] as const),
  );

  it('decode(encode(k)) deep-equals k', () => {
    fc.assert(
      fc.property(arb, (k) => {
        expect(codec.decode(codec.encode(k))).toEqual(k);
      }),
    );
  });

  it('parse(display(k)) equals k', () => {
    fc.assert(
      fc.property(arb, (k) => {
        expect(codec.parse(codec.display(k))).toEqual(k);
      }),
    );
  });

  it('the schema accepts generated keys unchanged', () => {
    fc.assert(
      fc.property(arb, (k) => {
        const result = z.safeParse(codec.schema, k);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(k);
      }),
    );
  });

  it('byte order of encoded keys is the tuple order of their components', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(sign(compareBytes(codec.encode(a), codec.encode(b)))).toBe(sign(compareTuples(components(a), components(b))));
      }),
    );
  });

  it('encodes a key exactly as the tuple of its components', () => {
    fc.assert(
      fc.property(arb, (k) => {
        expect(codec.encode(k)).toEqual(encodeTuple(components(k)));
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries of valid keys

const isValidId = (s: string): boolean => UserIdSchema.safeParse(s).success;

/** Id characters: mostly ASCII (with "." and " " to brush against the ".." and trim rules) and some multi-byte UTF-8. */
const idChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcxyzABZ0129-_@.:'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '\u00e9', '\u00ff', '\u4e2d', '\uffff', '\u{1f600}', '\u{10ffff}') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const idTextArb = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: idChar, minLength: 1, maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: idChar, minLength: 100, maxLength: MAX_ID_LENGTH }) },
  )
  .filter(isValidId);

const userIdArb: fc.Arbitrary<UserId> = idTextArb.map((s) => UserIdKey.parse(s));
const storageIdArb: fc.Arbitrary<StorageId> = idTextArb.map((s) => StorageIdKey.parse(s));

/** Suffixes that extend an id into another valid id: ASCII, 0xff-ish code points, astral characters. */
const idSuffixArb = fc.string({ unit: fc.constantFrom('2', 'a', '_', '\u00ff', '\uffff', '\u{1f600}', '.x', ' x'), minLength: 1, maxLength: 3 });

/** Pairs of user ids where one is often a proper prefix of the other. */
const userIdPairArb: fc.Arbitrary<[UserId, UserId]> = fc
  .oneof(
    fc.tuple(idTextArb, idTextArb),
    fc.tuple(idTextArb, idSuffixArb).map(([a, s]) => [a, a + s] as [string, string]),
    fc.tuple(idTextArb, idSuffixArb).map(([a, s]) => [a + s, a] as [string, string]),
    fc.constantFrom<[string, string]>(['alice', 'alice2'], ['a', 'a\u00ff'], ['\u00ff', '\u00ff\u00ff'], ['bob', 'bob.x'], ['x', 'x\u{1f600}']),
  )
  .filter(([a, b]) => isValidId(a) && isValidId(b) && a !== b)
  .map(([a, b]) => [UserIdKey.parse(a), UserIdKey.parse(b)]);

const shortNameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);
const nameArb = fc.oneof(
  { weight: 3, arbitrary: shortNameArb },
  { weight: 1, arbitrary: fc.stringMatching(new RegExp(`^[a-z][a-z0-9_]{0,${MAX_NAME_LENGTH - 1}}$`)) },
);

/** Namespaces a user may name (parse refuses reserved names). */
const namespaceArb: fc.Arbitrary<NamespaceId> = nameArb.filter((s) => !RESERVED_NAMESPACES.has(s)).map((s) => NamespaceIdKey.parse(s));
/** Stored namespaces: the format rules only, so reserved names such as "system" occur too. */
const storedNamespaceArb: fc.Arbitrary<NamespaceId> = fc.oneof(
  nameArb.map((s) => NamespaceIdSchema.parse(s)),
  fc.constantFrom(...RESERVED_NAMESPACES).map((s) => NamespaceIdSchema.parse(s)),
);
const tableNameArb: fc.Arbitrary<TableName> = nameArb.map((s) => TableNameSchema.parse(s));
const tableIdArb: fc.Arbitrary<TableId> = fc.tuple(storedNamespaceArb, tableNameArb).map(([ns, t]) => tableId(ns, t));

const namePairArb: fc.Arbitrary<[string, string]> = fc
  .oneof(
    fc.tuple(shortNameArb, shortNameArb),
    fc.tuple(shortNameArb, fc.stringMatching(/^[a-z0-9_]{1,3}$/)).map(([a, s]) => [a, a + s] as [string, string]),
    fc.tuple(shortNameArb, fc.stringMatching(/^[a-z0-9_]{1,3}$/)).map(([a, s]) => [a + s, a] as [string, string]),
  )
  .filter(([a, b]) => a !== b);

const userNameArb: fc.Arbitrary<UserName> = fc
  .oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_.@-]{0,8}$/), fc.stringMatching(/^[a-z0-9][a-z0-9_.@-]{0,63}$/))
  .filter((s) => !s.includes('..'))
  .map((s) => UserNameKey.parse(s));

const jobIdArb: fc.Arbitrary<JobId> = fc
  .tuple(fc.constantFrom(...Object.values(JOB_TYPE_PREFIX)), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/))
  .map(([prefix, rest]) => JobIdKey.parse(`${prefix}-${rest}`));

const liveQueryIdArb: fc.Arbitrary<LiveQueryId> = fc
  .record({ user: userIdArb, connection: idTextArb, subscription: idTextArb })
  .map((r) => LiveQueryIdSchema.parse(r));

/** Strings that look like other row key types, so display must quote them. */
const trickyRowStringArb = fc.constantFrom(
  '',
  '123',
  '-5',
  '0',
  '-0',
  '007',
  '9223372036854775808',
  'true',
  'false',
  'null',
  '0x',
  '0xab',
  '0xzz',
  '"',
  '"quoted"',
  '1d',
  '1.5d',
  '-2.5e-7d',
  '1e+21d',
  'Infinityd',
  '-Infinityd',
  'NaNd',
  ' 12',
  '12 ',
  'a/b',
  '\u0000',
  '1.5',
);

const rowKeyValueArb: fc.Arbitrary<RowKeyValue> = fc.oneof(tupleStringArb, trickyRowStringArb, safeIntArb, int64Arb, fc.boolean(), bytesArb, doubleArb);
const rowIdArb: fc.Arbitrary<RowId> = rowKeyValueArb.map(rowId);

const userRowIdArb = fc.tuple(userIdArb, rowIdArb).map(([u, r]) => userRowId(u, r));

const batchArb = fc.oneof(fc.nat({ max: 20 }), fc.maxSafeNat());
const manifestIdArb: fc.Arbitrary<ManifestId> = fc.tuple(tableIdArb, fc.option(userIdArb, { nil: null }), batchArb).map(([t, u, b]) => manifestId(t, u, b));

const auditIdArb: fc.Arbitrary<AuditId> = fc.oneof(fc.nat({ max: 1000 }), fc.maxSafeNat()).map((n) => AuditIdSchema.parse(n));

// ---------------------------------------------------------------------------------------------
// Codec properties, one describe per key type

describe('UserIdKey', () => {
  codecProperties({ codec: UserIdKey, arb: userIdArb, components: (k) => [k] });
});
describe('StorageIdKey', () => {
  codecProperties({ codec: StorageIdKey, arb: storageIdArb, components: (k) => [k] });
});
describe('NamespaceIdKey', () => {
  codecProperties({ codec: NamespaceIdKey, arb: namespaceArb, components: (k) => [k] });
});
describe('TableIdKey', () => {
  codecProperties({ codec: TableIdKey, arb: tableIdArb, components: (k) => [k.namespace, k.table] });
});
describe('JobIdKey', () => {
  codecProperties({ codec: JobIdKey, arb: jobIdArb, components: (k) => [k] });
});
describe('LiveQueryIdKey', () => {
  codecProperties({ codec: LiveQueryIdKey, arb: liveQueryIdArb, components: (k) => [k.user, k.connection, k.subscription] });
});
describe('RowIdKey', () => {
  codecProperties({ codec: RowIdKey, arb: rowIdArb, components: (k) => [rowKeyValue(k)] });
});
describe('UserRowIdKey', () => {
  codecProperties({ codec: UserRowIdKey, arb: userRowIdArb, components: (k) => [k.user, rowKeyValue(k.row)] });
});
describe('UserNameKey', () => {
  codecProperties({ codec: UserNameKey, arb: userNameArb, components: (k) => [k] });
});
describe('AuditIdKey', () => {
  codecProperties({ codec: AuditIdKey, arb: auditIdArb, components: (k) => [k] });
});
describe('ManifestIdKey', () => {
  codecProperties({
    codec: ManifestIdKey,
    arb: manifestIdArb,
    components: (k) => [k.table.namespace, k.table.table, k.user, k.batch],
  });
});

// ---------------------------------------------------------------------------------------------
// Validation rules

describe('id rules (UserId, StorageId, and the parts of LiveQueryId, UserRowId, ManifestId)', () => {
  const badIds: [string, string][] = [
    ['', 'must not be empty'],
    ['a/b', 'must not contain path separators (/ or \\)'],
    ['/', 'must not contain path separators'],
    ['a\\b', 'must not contain path separators'],
    ['..', 'must not contain ".."'],
    ['a..b', 'must not contain ".."'],
    ['a\u0000b', 'must not contain NUL or control characters'],
    ['\u0000', 'must not contain NUL or control characters'],
    ['a\u0001', 'must not contain NUL or control characters'],
    ['a\tb', 'must not contain NUL or control characters'],
    ['a\nb', 'must not contain NUL or control characters'],
    ['a\u001f', 'must not contain NUL or control characters'],
    ['a\u007f', 'must not contain NUL or control characters'],
    [' a', 'must not start or end with whitespace'],
    ['a ', 'must not start or end with whitespace'],
    ['\u00a0a', 'must not start or end with whitespace'],
    ['a\u3000', 'must not start or end with whitespace'],
    ['x'.repeat(MAX_ID_LENGTH + 1), `must be at most ${MAX_ID_LENGTH} characters`],
    // zod counts code points, not UTF-16 units: 129 emoji are too long, 128 are fine (see below).
    ['\u{1f600}'.repeat(MAX_ID_LENGTH + 1), `must be at most ${MAX_ID_LENGTH} characters`],
    ['a\ud800', 'must be well-formed Unicode'],
    ['\udfffa', 'must be well-formed Unicode'],
  ];

  it.each(badIds)('UserId and StorageId refuse %j (%s)', (id, rule) => {
    expectKeyError(() => UserIdKey.parse(id), 'UserId', rule);
    expectKeyError(() => StorageIdKey.parse(id), 'StorageId', rule);
    expect(UserIdSchema.safeParse(id).success).toBe(false);
  });

  it.each(badIds.filter(([id]) => !id.includes('/')))('every id part refuses %j (%s)', (id, rule) => {
    expectKeyError(() => LiveQueryIdKey.parse(`${id}/c/s`), 'LiveQueryId', `user: ${rule}`);
    expectKeyError(() => LiveQueryIdKey.parse(`u/${id}/s`), 'LiveQueryId', `connection: ${rule}`);
    expectKeyError(() => LiveQueryIdKey.parse(`u/c/${id}`), 'LiveQueryId', `subscription: ${rule}`);
    expectKeyError(() => UserRowIdKey.parse(`${id}/1`), 'UserRowId', rule);
    if (id !== '') expectKeyError(() => ManifestIdKey.parse(`app.t/${id}/1`), 'ManifestId', `user: ${rule}`);
  });

  it('accepts ids at the limits', () => {
    const ok = ['a', 'x'.repeat(MAX_ID_LENGTH), '\u{1f600}'.repeat(MAX_ID_LENGTH), 'a.b', 'a b', '.hidden', 'user@example.com', '\u00ff', 'a:b'];
    for (const id of ok) {
      expect(UserIdKey.parse(id)).toBe(id);
      expect(StorageIdKey.parse(id)).toBe(id);
    }
  });

  it('a valid id with a forbidden piece inserted anywhere is refused, naming the rule', () => {
    const shortId = idTextArb.filter((s) => s.length <= 100);
    const forbidden = fc.constantFrom(
      ['/', 'path separators'],
      ['\\', 'path separators'],
      ['..', '".."'],
      ['\u0000', 'NUL or control'],
      ['\u0001', 'NUL or control'],
      ['\u001b', 'NUL or control'],
      ['\ud800', 'well-formed Unicode'],
    );
    fc.assert(
      fc.property(shortId, fc.nat(), forbidden, (id, at, [piece, rule]) => {
        const i = at % (id.length + 1);
        // Do not split a surrogate pair (that would be a second, different violation).
        fc.pre(!(i > 0 && i < id.length && /[\ud800-\udbff]/.test(id[i - 1]!)));
        const bad = id.slice(0, i) + piece + id.slice(i);
        expectKeyError(() => UserIdKey.parse(bad), 'UserId', rule);
      }),
    );
    fc.assert(
      fc.property(shortId, fc.constantFrom(' ', '\t '), fc.boolean(), (id, space, front) => {
        const bad = front ? space + id : id + space;
        expect(() => UserIdKey.parse(bad)).toThrow(KeyError);
      }),
    );
  });

  it('"a\\u0001" and other control characters are refused even though the tuple layer could encode them', () => {
    expectKeyError(() => UserIdKey.parse('a\u0001'), 'UserId', 'control');
    expect(encodeTuple(['a\u0001']).length).toBeGreaterThan(0);
  });
});

describe('name rules (NamespaceId, TableName)', () => {
  const badNames: [string, string][] = [
    ['', 'must not be empty'],
    ['1abc', 'must not start with a digit'],
    ['9', 'must not start with a digit'],
    ['_abc', 'must not start with "_"'],
    ['_', 'must not start with "_"'],
    ['a-b', 'may only contain lower-case letters, digits and "_"'],
    ['a b', 'may only contain lower-case letters, digits and "_"'],
    ['a/b', 'may only contain lower-case letters, digits and "_"'],
    ['caf\u00e9', 'may only contain lower-case letters, digits and "_"'],
    ['a'.repeat(MAX_NAME_LENGTH + 1), `must be at most ${MAX_NAME_LENGTH} characters`],
  ];

  it.each(badNames)('refuses %j (%s)', (name, rule) => {
    expectKeyError(() => NamespaceIdKey.parse(name), 'NamespaceId', rule);
    expectKeyError(() => TableIdKey.parse(`app.${name}`), 'TableId', `table: ${rule}`);
    expectKeyError(() => TableIdKey.parse(`${name}.t`), 'TableId', `namespace: ${rule}`);
    expect(NamespaceIdSchema.safeParse(name).success).toBe(false);
    expect(TableNameSchema.safeParse(name).success).toBe(false);
    expect(NewTableNameSchema.safeParse(name).success).toBe(false);
  });

  it('names with "." are refused (as a namespace) or split (as a table id)', () => {
    expectKeyError(() => NamespaceIdKey.parse('a.b'), 'NamespaceId', 'may only contain');
    expectKeyError(() => TableIdKey.parse('a.b.c'), 'TableId', 'must have the form <namespace>.<table>');
    expectKeyError(() => TableIdKey.parse('app'), 'TableId', 'must have the form <namespace>.<table>');
    expectKeyError(() => TableIdKey.parse('app.'), 'TableId', 'table: must not be empty');
  });

  it('accepts names at the limits', () => {
    for (const name of ['a', 'a'.repeat(MAX_NAME_LENGTH), 'a1_', 'x_9']) {
      expect(NamespaceIdKey.parse(name)).toBe(name);
      expect(TableIdKey.parse(`${name}.${name}`)).toEqual({ namespace: name, table: name });
    }
  });

  it('parse lower-cases (and trims) upper-case input', () => {
    expect(NamespaceIdKey.parse('App')).toBe('app');
    expect(NamespaceIdKey.parse('  MY_NS ')).toBe('my_ns');
    expect(TableIdKey.parse('App.Messages')).toEqual(tableId(NamespaceIdKey.parse('app'), TableNameSchema.parse('messages')));
    expect(NewTableNameSchema.parse('Messages')).toBe('messages');
    expect(NewNamespaceNameSchema.parse(' App ')).toBe('app');
    fc.assert(
      fc.property(namespaceArb, tableNameArb, fc.infiniteStream(fc.boolean()), (ns, table, flips) => {
        const it = flips[Symbol.iterator]();
        const shout = (s: string): string => Array.from(s, (c) => (it.next().value ? c.toUpperCase() : c)).join('');
        expect(NamespaceIdKey.parse(shout(ns))).toBe(ns);
        expect(TableIdKey.parse(`${shout(ns)}.${shout(table)}`)).toEqual(tableId(ns, table));
      }),
    );
  });

  it('the schemas themselves do not lower-case: stored names are already canonical', () => {
    expect(NamespaceIdSchema.safeParse('App').success).toBe(false);
    expect(TableNameSchema.safeParse('Messages').success).toBe(false);
    expect(TableIdSchema.safeParse({ namespace: 'App', table: 'm' }).success).toBe(false);
  });

  it('NamespaceIdKey.parse refuses reserved names, in any case', () => {
    for (const name of RESERVED_NAMESPACES) {
      expectKeyError(() => NamespaceIdKey.parse(name), 'NamespaceId', `"${name}" is a reserved name`);
      expectKeyError(() => NamespaceIdKey.parse(name.toUpperCase()), 'NamespaceId', `"${name}" is a reserved name`);
      const result = NewNamespaceNameSchema.safeParse(name.toUpperCase());
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('is a reserved name');
    }
    expect(NamespaceIdKey.parse('systems')).toBe('systems');
    expect(NamespaceIdKey.parse('my_system')).toBe('my_system');
  });

  it('NamespaceIdSchema (format only) accepts reserved names, so stored system keys decode', () => {
    for (const name of RESERVED_NAMESPACES) expect(NamespaceIdSchema.parse(name)).toBe(name);
    expect(SYSTEM_NAMESPACE).toBe('system');
    expect(NamespaceIdKey.decode(NamespaceIdKey.encode(SYSTEM_NAMESPACE))).toBe('system');
    expect(NamespaceIdKey.display(SYSTEM_NAMESPACE)).toBe('system');
    // System tables live in the reserved namespace; a table id only checks the format.
    expect(TableIdKey.parse('system.tables')).toEqual({ namespace: 'system', table: 'tables' });
  });
});

describe('UserName rules', () => {
  it('lower-cases and trims', () => {
    expect(UserNameKey.parse('Alice')).toBe('alice');
    expect(UserNameKey.parse('  Bob@Example.COM ')).toBe('bob@example.com');
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['_alice', 'must start with a letter or digit'],
    ['.alice', 'must start with a letter or digit'],
    ['-alice', 'must start with a letter or digit'],
    ['a b', 'must start with a letter or digit and contain only'],
    ['a/b', 'contain only'],
    ['j\u00fcrgen', 'contain only'],
    ['a..b', 'must not contain ".."'],
    ['a'.repeat(65), 'must be at most 64 characters'],
  ])('refuses %j (%s)', (name, rule) => {
    expectKeyError(() => UserNameKey.parse(name), 'UserName', rule);
  });

  it('accepts names at the limits', () => {
    for (const name of ['a', '0', 'a'.repeat(64), 'a.b@c-d_e', 'x.']) expect(UserNameKey.parse(name)).toBe(name);
  });

  it('the stored form is lower-case already: only the input form lower-cases', () => {
    expect(UserNameInputSchema.parse(' Alice ')).toBe('alice');
    expect(UserNameSchema.parse('alice')).toBe('alice');
    expect(UserNameSchema.safeParse('Alice').error?.issues[0]?.message).toMatch(/contain only a-z/);
    expect(UserNameSchema.safeParse(' alice').success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// JobId

describe('JobId', () => {
  it('requires a known type prefix', () => {
    const rule = `must look like <${Object.values(JOB_TYPE_PREFIX).join('|')}>-<id>`;
    for (const bad of ['XX-abc', 'fl-abc', 'FL', 'FL-', 'FLabc', '-abc', 'FL_abc', 'FL-a/b', 'FL-a.b', 'FL-a b', 'BK-' + 'a'.repeat(65), '']) {
      expectKeyError(() => JobIdKey.parse(bad), 'JobId', rule);
    }
    for (const prefix of Object.values(JOB_TYPE_PREFIX)) {
      expect(JobIdKey.parse(`${prefix}-a_B-9`)).toBe(`${prefix}-a_B-9`);
    }
    expect(JobIdKey.parse(' FL-abc ')).toBe('FL-abc');
    expect(JobIdKey.parse(`IX-${'z'.repeat(64)}`)).toBe(`IX-${'z'.repeat(64)}`);
  });

  it('newJobId carries the prefix of its type and is valid; the prefix names the type again', () => {
    for (const type of JOB_TYPES) {
      const id = newJobId(type);
      expect(id.startsWith(`${JOB_TYPE_PREFIX[type]}-`)).toBe(true);
      expect(jobTypeOfId(id)).toBe(type);
      expect(JobIdSchema.safeParse(id).success).toBe(true);
      expect(JobIdKey.parse(JobIdKey.display(id))).toBe(id);
    }
  });

  it('newJobId ids sort by creation time, as strings and as encoded keys', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...JOB_TYPES),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 10_000_000 })), { minLength: 1, maxLength: 60 }),
        (type, start, steps) => {
          let now = start;
          const ids = steps.map((step) => newJobId(type, (now += step)));
          for (let i = 1; i < ids.length; i++) {
            expect(ids[i - 1]! < ids[i]!).toBe(true);
            expect(compareBytes(JobIdKey.encode(ids[i - 1]!), JobIdKey.encode(ids[i]!))).toBe(-1);
          }
          for (const id of ids) expect(JobIdSchema.safeParse(id).success).toBe(true);
        },
      ),
    );
  });

  it('ids created in the same millisecond are distinct and ordered; a later millisecond sorts after', () => {
    const t = 1_700_000_000_000;
    const same = Array.from({ length: 200 }, () => newJobId('flush', t));
    expect(new Set(same).size).toBe(same.length);
    expect([...same].sort()).toEqual(same);
    const later = newJobId('flush', t + 1);
    expect(same.every((id) => id < later)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Prefix isolation: a prefix scan for one owner never returns another owner's keys

function expectIsolated(key: Uint8Array, prefix: Uint8Array, inside: boolean): void {
  expect(startsWith(key, prefix)).toBe(inside);
  // The storage layer scans [prefix, prefixEnd(prefix)); that range must agree with startsWith.
  const end = prefixEnd(prefix)!;
  expect(compareBytes(key, prefix) >= 0 && compareBytes(key, end) < 0).toBe(inside);
}

describe('prefix isolation', () => {
  it('UserRowId: no row of user b starts with userRowsPrefix(a)', () => {
    fc.assert(
      fc.property(userIdPairArb, rowIdArb, ([a, b], row) => {
        expectIsolated(UserRowIdKey.encode(userRowId(b, row)), userRowsPrefix(a), false);
        expectIsolated(UserRowIdKey.encode(userRowId(a, row)), userRowsPrefix(a), true);
      }),
      { numRuns: 500 },
    );
  });

  it('UserRowId examples: "alice" / "alice2", multi-byte and astral suffixes, string rows', () => {
    const row = rowId('x');
    const pairs: [string, string][] = [
      ['alice', 'alice2'],
      ['alice', 'alice.'],
      ['alice', 'alice x'],
      ['a', 'a\u00ff'],
      ['a\u00ff', 'a\u00ff\u00ff'],
      ['a', 'a\uffff'],
      ['a', 'a\u{1f600}'],
    ];
    for (const [a, b] of pairs) {
      const ua = UserIdKey.parse(a);
      const ub = UserIdKey.parse(b);
      expectIsolated(UserRowIdKey.encode(userRowId(ub, row)), userRowsPrefix(ua), false);
      expectIsolated(UserRowIdKey.encode(userRowId(ua, row)), userRowsPrefix(ub), false);
    }
    // A row key that continues the user's text does not leak into the shorter user's range either.
    expectIsolated(UserRowIdKey.encode(userRowId(UserIdKey.parse('alice'), rowId('2'))), userRowsPrefix(UserIdKey.parse('alice2')), false);
  });

  it('TableId: no table of namespace b starts with namespaceTablesPrefix(a)', () => {
    fc.assert(
      fc.property(namePairArb, tableNameArb, ([a, b], table) => {
        const na = NamespaceIdSchema.parse(a);
        const nb = NamespaceIdSchema.parse(b);
        expectIsolated(TableIdKey.encode(tableId(nb, table)), namespaceTablesPrefix(na), false);
        expectIsolated(TableIdKey.encode(tableId(na, table)), namespaceTablesPrefix(na), true);
      }),
      { numRuns: 500 },
    );
    const app = NamespaceIdKey.parse('app');
    expectIsolated(TableIdKey.encode(TableIdKey.parse('app2.t')), namespaceTablesPrefix(app), false);
    expectIsolated(TableIdKey.encode(TableIdKey.parse('app_.t')), namespaceTablesPrefix(app), false);
  });

  it('LiveQueryId: no live query of user b starts with userLiveQueriesPrefix(a)', () => {
    fc.assert(
      fc.property(userIdPairArb, idTextArb, idTextArb, ([a, b], connection, subscription) => {
        const of = (user: UserId): Uint8Array => LiveQueryIdKey.encode(LiveQueryIdSchema.parse({ user, connection, subscription }));
        expectIsolated(of(b), userLiveQueriesPrefix(a), false);
        expectIsolated(of(a), userLiveQueriesPrefix(a), true);
      }),
      { numRuns: 500 },
    );
  });

  it('ManifestId: segments are isolated per table and per scope', () => {
    fc.assert(
      fc.property(storedNamespaceArb, namePairArb, userIdPairArb, batchArb, (ns, [ta, tb], [ua, ub], batch) => {
        const tableA = tableId(ns, TableNameSchema.parse(ta));
        const tableB = tableId(ns, TableNameSchema.parse(tb));
        const key = (t: TableId, u: UserId | null): Uint8Array => ManifestIdKey.encode(manifestId(t, u, batch));
        expectIsolated(key(tableB, ua), tableSegmentsPrefix(tableA), false);
        expectIsolated(key(tableA, ua), tableSegmentsPrefix(tableA), true);
        expectIsolated(key(tableA, null), tableSegmentsPrefix(tableA), true);
        expectIsolated(key(tableA, ub), scopeSegmentsPrefix(tableA, ua), false);
        expectIsolated(key(tableA, ua), scopeSegmentsPrefix(tableA, ua), true);
        expectIsolated(key(tableA, ua), scopeSegmentsPrefix(tableA, null), false);
        expectIsolated(key(tableA, null), scopeSegmentsPrefix(tableA, null), true);
        expectIsolated(key(tableA, null), scopeSegmentsPrefix(tableA, ua), false);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// RowId

describe('RowId', () => {
  it('integer keys sort numerically (number and bigint alike)', () => {
    const intArb = fc.oneof(safeIntArb, int64Arb);
    fc.assert(
      fc.property(intArb, intArb, (x, y) => {
        const bx = BigInt(x);
        const by = BigInt(y);
        expect(sign(compareBytes(rowId(x), rowId(y)))).toBe(bx < by ? -1 : bx > by ? 1 : 0);
      }),
    );
    const sorted = [10, -1, 2, 0, 100, -20].map(rowId).sort(compareBytes).map(rowKeyValue);
    expect(sorted).toEqual([-20, -1, 0, 2, 10, 100]);
  });

  it('row ids sort in the natural order of their key values', () => {
    fc.assert(
      fc.property(rowKeyValueArb, rowKeyValueArb, (x, y) => {
        expect(sign(compareBytes(rowId(x), rowId(y)))).toBe(sign(compareTuples([x], [y])));
      }),
    );
  });

  it.each<[string, RowKeyValue, string]>([
    ['an integer', 123, '123'],
    ['a negative integer', -5, '-5'],
    ['a string that looks like an integer', '123', '"123"'],
    ['a string that looks like a negative integer', '-5', '"-5"'],
    ['the empty string', '', '""'],
    ['a plain string', 'hello world', 'hello world'],
    ['a string with a slash', 'a/b', 'a/b'],
    ['the string "null"', 'null', 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['the string "true"', 'true', '"true"'],
    ['bytes', bytes(0x00, 0xff, 0x10), '0x00ff10'],
    ['empty bytes', bytes(), '0x'],
    ['a string that looks like bytes', '0xab', '"0xab"'],
    ['a quoted string', '"q"', '"\\"q\\""'],
    ['a Double', new Double(1.5), '1.5d'],
    ['a whole Double', new Double(12), '12d'],
    ['a negative Double', new Double(-2.5e-7), '-2.5e-7d'],
    ['a large Double', new Double(1e21), '1e+21d'],
    ['Infinity', new Double(Infinity), 'Infinityd'],
    ['-Infinity', new Double(-Infinity), '-Infinityd'],
    ['the smallest Double', new Double(Number.MIN_VALUE), '5e-324d'],
    ['a string that looks like a Double', '1.5d', '"1.5d"'],
    ['a string that looks like a large Double', '1e+21d', '"1e+21d"'],
    ['a string that looks like Infinity', 'Infinityd', '"Infinityd"'],
    ['a big bigint', 2n ** 62n, '4611686018427387904'],
    ['the smallest int64', -(2n ** 63n), '-9223372036854775808'],
    ['a safe bigint', 5n, '5'],
  ])('display/parse of %s', (_label, value, text) => {
    const id = rowId(value);
    expect(RowIdKey.display(id)).toBe(text);
    expect(RowIdKey.parse(text)).toEqual(id);
  });

  it('"123" stays a string and 123 stays an integer', () => {
    expect(rowKeyValue(RowIdKey.parse(RowIdKey.display(rowId('123'))))).toBe('123');
    expect(rowKeyValue(RowIdKey.parse(RowIdKey.display(rowId(123))))).toBe(123);
    expect(rowKeyValue(RowIdKey.parse(RowIdKey.display(rowId(2n ** 62n))))).toBe(2n ** 62n);
    expect(rowKeyValue(RowIdKey.parse('1.5d'))).toEqual(new Double(1.5));
    expect(rowKeyValue(RowIdKey.parse('"1.5d"'))).toBe('1.5d');
  });

  it('a safe bigint and the equal number are the same row', () => {
    expect(rowId(5n)).toEqual(rowId(5));
    expect(RowIdKey.parse('5')).toEqual(rowId(5n));
  });

  it('parse is lenient where display is canonical', () => {
    expect(RowIdKey.parse('007')).toEqual(rowId(7));
    expect(RowIdKey.parse('-0')).toEqual(rowId(0));
    expect(RowIdKey.parse('0xABCD')).toEqual(rowId(bytes(0xab, 0xcd)));
    expect(RowIdKey.parse('"plain"')).toEqual(rowId('plain'));
  });

  it('parse refuses malformed text with a KeyError', () => {
    expectKeyError(() => RowIdKey.parse(''), 'RowId', 'must not be empty');
    expectKeyError(() => RowIdKey.parse('0xzz'), 'RowId', 'not a hex string');
    expectKeyError(() => RowIdKey.parse('0xabc'), 'RowId', 'not a hex string');
    expectKeyError(() => RowIdKey.parse('9223372036854775808'), 'RowId', 'out of int64 range');
    expectKeyError(() => RowIdKey.parse('-9223372036854775809'), 'RowId', 'out of int64 range');
    expect(() => RowIdKey.parse('"unterminated')).toThrow(KeyError);
    expect(() => RowIdKey.parse('"a"b')).toThrow(KeyError);
  });

  it('RowIdSchema accepts exactly one encoded, non-null key value', () => {
    fc.assert(
      fc.property(rowIdArb, (id) => {
        expect(RowIdSchema.safeParse(id).success).toBe(true);
      }),
    );
    const refuse = (value: unknown, message: string): void => {
      const result = RowIdSchema.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain(message);
    };
    refuse(new Uint8Array(0), 'must not be empty');
    refuse(encodeTuple([1, 2]), 'must encode exactly one key value');
    refuse(encodeTuple(['a', 'b']), 'must encode exactly one key value');
    refuse(encodeTuple([null]), 'must encode exactly one key value');
    refuse(bytes(0xff), 'must encode exactly one key value');
    refuse(bytes(0x03, 0x61), 'must encode exactly one key value');
    refuse('abc', '');
    refuse([1], '');
  });

  it('encode and decode are the identity on the bytes', () => {
    const id = rowId('abc');
    expect(RowIdKey.encode(id)).toBe(id);
    expect(RowIdKey.decode(id)).toBe(id);
  });
});

// ---------------------------------------------------------------------------------------------
// UserRowId

describe('UserRowId', () => {
  const alice = UserIdKey.parse('alice');

  it('encodes as the tuple (user, key value) and decodes back', () => {
    fc.assert(
      fc.property(userIdArb, rowKeyValueArb, (user, value) => {
        const key = UserRowIdKey.encode(userRowId(user, rowId(value)));
        expect(key).toEqual(encodeTuple([user, value]));
        expect(key).toEqual(concatBytes(userRowsPrefix(user), rowId(value)));
        expect(UserRowIdKey.decode(key)).toEqual({ user, row: rowId(value) });
      }),
    );
  });

  it('display/parse examples', () => {
    expect(UserRowIdKey.display(userRowId(alice, rowId(123)))).toBe('alice/123');
    expect(UserRowIdKey.display(userRowId(alice, rowId('123')))).toBe('alice/"123"');
    expect(UserRowIdKey.parse('alice/123')).toEqual(userRowId(alice, rowId(123)));
    expect(UserRowIdKey.parse('alice/"123"')).toEqual(userRowId(alice, rowId('123')));
    expect(UserRowIdKey.parse('alice/a/b')).toEqual(userRowId(alice, rowId('a/b')));
    expect(UserRowIdKey.parse('alice/0xff')).toEqual(userRowId(alice, rowId(bytes(0xff))));
  });

  it('parse refuses malformed text', () => {
    expectKeyError(() => UserRowIdKey.parse('alice'), 'UserRowId', 'must have the form <user>/<row key>');
    expectKeyError(() => UserRowIdKey.parse('/1'), 'UserRowId', 'must not be empty');
    expectKeyError(() => UserRowIdKey.parse('a..b/1'), 'UserRowId', 'must not contain ".."');
    expectKeyError(() => UserRowIdKey.parse('alice/'), 'RowId', 'must not be empty');
  });

  it('decode refuses keys that do not start with a user id', () => {
    expectKeyError(() => UserRowIdKey.decode(encodeTuple([1, 'x'])), 'UserRowId', 'does not start with a user id');
  });

  it('the schema checks both parts', () => {
    expect(UserRowIdSchema.safeParse({ user: 'alice', row: rowId(1) }).success).toBe(true);
    expect(UserRowIdSchema.safeParse({ user: 'a/b', row: rowId(1) }).success).toBe(false);
    expect(UserRowIdSchema.safeParse({ user: 'alice', row: encodeTuple([1, 2]) }).success).toBe(false);
  });

  it('rows of one user sort by row key value', () => {
    fc.assert(
      fc.property(userIdArb, fc.oneof(safeIntArb, int64Arb), fc.oneof(safeIntArb, int64Arb), (user, x, y) => {
        const kx = UserRowIdKey.encode(userRowId(user, rowId(x)));
        const ky = UserRowIdKey.encode(userRowId(user, rowId(y)));
        expect(sign(compareBytes(kx, ky))).toBe(BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The remaining key types

describe('TableId and LiveQueryId forms', () => {
  it('display forms', () => {
    expect(TableIdKey.display(TableIdKey.parse('app.messages'))).toBe('app.messages');
    const lq = LiveQueryIdKey.parse('alice/conn-1/sub 2');
    expect(lq).toEqual({ user: 'alice', connection: 'conn-1', subscription: 'sub 2' });
    expect(LiveQueryIdKey.display(lq)).toBe('alice/conn-1/sub 2');
  });

  it('LiveQueryId parse needs exactly three parts', () => {
    for (const bad of ['alice', 'alice/c', 'alice/c/s/x']) {
      expectKeyError(() => LiveQueryIdKey.parse(bad), 'LiveQueryId', 'must have the form <user>/<connection>/<subscription>');
    }
  });

  it('decode refuses stored keys of the wrong shape', () => {
    expectKeyError(() => UserIdKey.decode(encodeTuple([5])), 'UserId', 'stored key is not a single string element');
    expectKeyError(() => UserIdKey.decode(new Uint8Array(0)), 'UserId', 'stored key is not a single string element');
    expectKeyError(() => UserIdKey.decode(encodeTuple(['alice', 'x'])), 'UserId', 'stored key is not a single string element');
    expectKeyError(() => TableIdKey.decode(encodeTuple(['app'])), 'TableId', 'stored key element 1 is not a string');
    expectKeyError(() => LiveQueryIdKey.decode(encodeTuple(['a', 'b', null])), 'LiveQueryId', 'stored key element 2 is not a string');
  });
});

describe('AuditId', () => {
  it('parses non-negative safe integers only', () => {
    expect(AuditIdKey.parse('42')).toBe(42);
    expect(AuditIdKey.parse(' 7 ')).toBe(7);
    expect(AuditIdKey.parse(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['', '-1', '1.5', '1e3', 'abc', '0x10', String(2 ** 53)]) {
      expect(() => AuditIdKey.parse(bad), bad).toThrow(KeyError);
    }
    expectKeyError(() => AuditIdKey.parse(String(2 ** 53)), 'AuditId', 'Too big');
  });

  it('sorts numerically', () => {
    const sorted = [10, 9, 100, 0, 2].map((n) => AuditIdKey.encode(AuditIdSchema.parse(n))).sort(compareBytes);
    expect(sorted.map((b) => AuditIdKey.decode(b))).toEqual([0, 2, 9, 10, 100]);
  });

  it('decode refuses non-integer keys', () => {
    expectKeyError(() => AuditIdKey.decode(encodeTuple(['1'])), 'AuditId', 'stored key is not an integer');
    expectKeyError(() => AuditIdKey.decode(encodeTuple([2n ** 60n])), 'AuditId', 'stored key is not an integer');
  });
});

describe('ManifestId', () => {
  const table = TableIdKey.parse('app.t');
  const alice = UserIdKey.parse('alice');

  it('display and parse, with an empty scope for shared tables', () => {
    expect(ManifestIdKey.display(manifestId(table, null, 3))).toBe('app.t//3');
    expect(ManifestIdKey.display(manifestId(table, alice, 0))).toBe('app.t/alice/0');
    expect(ManifestIdKey.parse('app.t//3')).toEqual(manifestId(table, null, 3));
    expect(ManifestIdKey.parse('App.T/alice/0')).toEqual(manifestId(table, alice, 0));
  });

  it('parse refuses malformed text', () => {
    const form = 'must have the form <namespace>.<table>/<user or empty>/<batch>';
    for (const bad of ['app.t', 'app.t/3', 'app.t/u/x', 'app.t/u/-1', 'app.t/u/1.5', 'app.t/u/', 'a/b/c/1']) {
      expectKeyError(() => ManifestIdKey.parse(bad), 'ManifestId', form);
    }
    expectKeyError(() => ManifestIdKey.parse('app/u/1'), 'TableId', 'must have the form <namespace>.<table>');
    expectKeyError(() => ManifestIdKey.parse(`app.t/u/${2 ** 53}`), 'ManifestId', 'batch: Too big');
  });

  it("a table's shared segments sort before its user segments, batches numerically", () => {
    fc.assert(
      fc.property(fc.option(userIdArb, { nil: null }), fc.option(userIdArb, { nil: null }), batchArb, batchArb, (u, v, b, c) => {
        const ku = ManifestIdKey.encode(manifestId(table, u, b));
        const kv = ManifestIdKey.encode(manifestId(table, v, c));
        if (u === null && v !== null) expect(compareBytes(ku, kv)).toBe(-1);
        if (u === v) expect(sign(compareBytes(ku, kv))).toBe(sign(b - c));
      }),
    );
  });

  it('the schema checks every part', () => {
    expect(ManifestIdSchema.safeParse({ table, user: null, batch: 0 }).success).toBe(true);
    expect(ManifestIdSchema.safeParse({ table, user: 'alice', batch: 1 }).success).toBe(true);
    expect(ManifestIdSchema.safeParse({ table, user: '', batch: 1 }).success).toBe(false);
    expect(ManifestIdSchema.safeParse({ table, user: null, batch: -1 }).success).toBe(false);
    expect(ManifestIdSchema.safeParse({ table, user: null, batch: 1.5 }).success).toBe(false);
    expect(ManifestIdSchema.safeParse({ table: { namespace: 'App', table: 't' }, user: null, batch: 1 }).success).toBe(false);
  });

  it('decode refuses keys of the wrong shape', () => {
    for (const t of [
      ['app', 't', 5, 1],
      ['app', 't', null, 'x'],
      ['app', 't', null],
      [1, 't', null, 1],
      ['app', 't', null, 2n ** 60n],
    ] as Tuple[]) {
      expectKeyError(() => ManifestIdKey.decode(encodeTuple(t)), 'ManifestId', 'stored key has the wrong shape');
    }
  });
});

describe('KeyError', () => {
  it('is a named Error that carries the kind and the rule', () => {
    const e = new KeyError('UserId', 'must not be empty');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KeyError');
    expect(e.kind).toBe('UserId');
    expect(e.rule).toBe('must not be empty');
    expect(e.message).toBe('UserId: must not be empty');
  });
});
