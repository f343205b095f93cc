/**
 * Golden byte vectors of every key type (and of the key prefixes stores scan by): these are the
 * primary keys of every partition in every database file, so they are a frozen format. Generated
 * once from the codecs and written here as literals; never regenerated. A failure means existing
 * files would no longer be found by their keys: fix the codec, do not edit the hex. A new key
 * type adds its own vectors here.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuditIdKey } from './audit-id';
import { JobIdKey } from './job-id';
import type { KeyCodec } from './key-codec';
import { LiveQueryIdKey, userLiveQueriesPrefix } from './live-query-id';
import { ManifestIdKey, scopeSegmentsPrefix, tableSegmentsPrefix } from './manifest-id';
import { NamespaceIdKey, NamespaceIdSchema } from './namespace-id';
import { rowId, RowIdKey, type RowKeyValue, rowKeyValue } from './row-id';
import { StorageIdKey } from './storage-id';
import { StreamRowIdKey, userStreamPrefix } from './stream-row-id';
import { namespaceTablesPrefix, TableIdKey } from './table-id';
import { Double, fromHex, toHex } from './tuple';
import { UserIdKey, UserIdSchema } from './user-id';
import { UserNameKey } from './user-name';
import { UserRowIdKey, userRowsPrefix } from './user-row-id';

interface KeyVector {
  readonly name: string;
  /** Encodes the key through its codec; `decode` must give the same key back. */
  readonly check: (hex: string) => void;
  readonly encoded: () => Uint8Array;
  readonly hex: string;
}

/** A key validated by the codec's own schema (as it would be at the contract), then encoded. */
function key<K>(codec: KeyCodec<K>, input: unknown, hex: string, label = JSON.stringify(input)): KeyVector {
  const k = z.parse(codec.schema, input);
  return {
    name: `${codec.kind} ${label}`,
    encoded: () => codec.encode(k),
    check: (h) => expect(codec.decode(fromHex(h))).toEqual(k),
    hex,
  };
}

/** A row key: decoding its bytes must give the key value back. */
function row(value: RowKeyValue, hex: string, label: string): KeyVector {
  const k = z.parse(RowIdKey.schema, rowId(value));
  return {
    name: `RowId ${label}`,
    encoded: () => RowIdKey.encode(k),
    check: (h) => expect(rowKeyValue(RowIdKey.decode(fromHex(h)))).toEqual(value),
    hex,
  };
}

/** A key prefix (what a store scans by): bytes only, it has no decoder of its own. */
function prefix(name: string, encoded: () => Uint8Array, hex: string): KeyVector {
  return { name: `prefix ${name}`, encoded, check: () => undefined, hex };
}

const user = (s: string) => UserIdSchema.parse(s);
const table = { namespace: 'demo', table: 'products' };
const MAX_ID = 'x'.repeat(127) + 'y';
const MAX_NAME = 'n'.repeat(63) + 'z';

const VECTORS: readonly KeyVector[] = [
  // UserId: one string element; ids may be any well-formed Unicode without control characters or path syntax.
  key(UserIdKey, 'root', '03726f6f7400'),
  key(UserIdKey, 'u_alice', '03755f616c69636500'),
  key(UserIdKey, 'a', '036100'),
  key(UserIdKey, 'alice@example.com', '03616c696365406578616d706c652e636f6d00'),
  key(UserIdKey, 'a b', '0361206200', 'inner space'),
  key(UserIdKey, 'Jos\u00e9', '034a6f73c3a900', 'latin-1'),
  key(UserIdKey, '\u7528\u6237', '03e794a8e688b700', 'CJK'),
  key(UserIdKey, '\u{1f600}\u{1d11e}', '03f09f9880f09d849e00', 'astral'),
  key(UserIdKey, 'a\ufeffb\uffff', '0361efbbbf62efbfbf00', 'BOM and U+FFFF inside'),
  key(
    UserIdKey,
    MAX_ID,
    '03787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787900',
    '128 characters (the maximum)',
  ),

  // UserName: lower-case login names.
  key(UserNameKey, 'root', '03726f6f7400'),
  key(UserNameKey, '0', '033000'),
  key(UserNameKey, 'a.b_c-d@e', '03612e625f632d64406500'),
  key(
    UserNameKey,
    'u'.repeat(64),
    '037575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757575757500',
    '64 characters (the maximum)',
  ),

  // NamespaceId: identifier names.
  key(NamespaceIdKey, 'system', '0373797374656d00'),
  key(NamespaceIdKey, 'demo', '0364656d6f00'),
  key(NamespaceIdKey, 'a', '036100'),
  key(NamespaceIdKey, 'a_1', '03615f3100'),
  key(
    NamespaceIdKey,
    MAX_NAME,
    '036e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e7a00',
    '64 characters (the maximum)',
  ),

  // StorageId: an id string.
  key(StorageIdKey, 'local', '036c6f63616c00'),
  key(StorageIdKey, 's3:bucket=eu-1', '0373333a6275636b65743d65752d3100'),
  key(StorageIdKey, '\u00fc\u{1f600}', '03c3bcf09f988000', 'unicode'),

  // TableId: (namespace, table).
  key(TableIdKey, table, '0364656d6f000370726f647563747300'),
  key(TableIdKey, { namespace: 'system', table: 'users' }, '0373797374656d0003757365727300'),
  key(TableIdKey, { namespace: 'a', table: 'b' }, '036100036200'),
  key(
    TableIdKey,
    { namespace: MAX_NAME, table: MAX_NAME },
    '036e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e7a00036e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e7a00',
    'longest names',
  ),

  // JobId: one string element, "<type prefix>-<id>".
  key(JobIdKey, 'FL-00mh3k0lc000a1b2', '03464c2d30306d68336b306c633030306131623200'),
  key(JobIdKey, 'BK-a', '03424b2d6100'),
  key(JobIdKey, 'RS-A_z-9', '0352532d415f7a2d3900'),
  key(JobIdKey, 'EV-x', '0345562d7800'),
  key(JobIdKey, 'IX-x', '0349582d7800'),
  key(
    JobIdKey,
    'CP-' + 'z'.repeat(64),
    '0343502d7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a00',
    'CP- with the longest id',
  ),

  // AuditId: one integer element.
  key(AuditIdKey, 0, '068000000000000000'),
  key(AuditIdKey, 1, '068000000000000001'),
  key(AuditIdKey, 255, '0680000000000000ff'),
  key(AuditIdKey, 256, '068000000000000100'),
  key(AuditIdKey, 2 ** 32, '068000000100000000'),
  key(AuditIdKey, Number.MAX_SAFE_INTEGER, '06801fffffffffffff'),

  // LiveQueryId: (user, connection, subscription).
  key(LiveQueryIdKey, { user: 'u_alice', connection: 'web-ws-1', subscription: 'c0ffee:0' }, '03755f616c69636500037765622d77732d3100036330666665653a3000'),
  key(LiveQueryIdKey, { user: 'a', connection: 'b', subscription: 'c' }, '036100036200036300'),
  key(LiveQueryIdKey, { user: '\u{1f600}', connection: 'conn \u00e9', subscription: '\u7528' }, '03f09f98800003636f6e6e20c3a90003e794a800', 'unicode parts'),

  // ManifestId: (namespace, table, user or null, batch).
  key(ManifestIdKey, { table, user: null, batch: 0 }, '0364656d6f000370726f64756374730001068000000000000000', 'shared scope, batch 0'),
  key(ManifestIdKey, { table, user: 'u_alice', batch: 1 }, '0364656d6f000370726f64756374730003755f616c69636500068000000000000001', 'user scope, batch 1'),
  key(
    ManifestIdKey,
    { table, user: '\u00fc', batch: Number.MAX_SAFE_INTEGER },
    '0364656d6f000370726f64756374730003c3bc0006801fffffffffffff',
    'unicode user, largest batch',
  ),

  // RowId: the tuple encoding of one primary-key value, of any key column type.
  row(0, '068000000000000000', 'integer 0'),
  row(1, '068000000000000001', 'integer 1'),
  row(-1, '067fffffffffffffff', 'integer -1'),
  row(Number.MAX_SAFE_INTEGER, '06801fffffffffffff', 'integer max safe'),
  row(Number.MIN_SAFE_INTEGER, '067fe0000000000001', 'integer min safe'),
  row(2n ** 63n - 1n, '06ffffffffffffffff', 'bigint int64 max'),
  row(-(2n ** 63n), '060000000000000000', 'bigint int64 min'),
  row('', '0300', 'empty string'),
  row('ev-1', '0365762d3100', 'string ev-1'),
  row('a\u0000b\u0001c', '036101016201026300', 'string with NUL and 0x01'),
  row('\u0000', '03010100', 'string NUL'),
  row('\u{1f600}', '03f09f988000', 'astral string'),
  row(true, '05', 'true'),
  row(false, '04', 'false'),
  row(new Uint8Array([]), '0200', 'empty bytes'),
  row(new Uint8Array([0x00, 0x01, 0xff]), '0201010102ff00', 'bytes 00 01 ff'),
  row(new Double(-2.5), '073ffbffffffffffff', 'double -2.5'),
  row(new Double(Infinity), '07fff0000000000000', 'double Infinity'),

  // UserRowId: (user, row key value).
  key(UserRowIdKey, { user: 'u_alice', row: rowId(1) }, '03755f616c69636500068000000000000001', 'u_alice / 1'),
  key(UserRowIdKey, { user: 'u_bob', row: rowId(-1) }, '03755f626f6200067fffffffffffffff', 'u_bob / -1'),
  key(UserRowIdKey, { user: 'u', row: rowId('') }, '0375000300', 'u / empty string'),
  key(UserRowIdKey, { user: 'u', row: rowId('x\u0000') }, '0375000378010100', 'u / string ending in NUL'),
  key(UserRowIdKey, { user: '\u{1f600}', row: rowId('\u00e9') }, '03f09f98800003c3a900', 'astral user / latin-1 key'),
  key(UserRowIdKey, { user: 'u', row: rowId(new Uint8Array([0x01])) }, '03750002010200', 'u / bytes 01'),
  key(UserRowIdKey, { user: 'u', row: rowId(new Double(0.5)) }, '03750007bfe0000000000000', 'u / double 0.5'),

  // StreamRowId: (user, sequence).
  key(StreamRowIdKey, { user: 'u_alice', seq: 1 }, '03755f616c69636500068000000000000001'),
  key(StreamRowIdKey, { user: 'u_bob', seq: 123_456_789 }, '03755f626f62000680000000075bcd15'),
  key(StreamRowIdKey, { user: '\u7528', seq: Number.MAX_SAFE_INTEGER }, '03e794a80006801fffffffffffff', 'CJK user, largest sequence'),

  // Prefixes the stores scan by.
  prefix('namespaceTablesPrefix(demo)', () => namespaceTablesPrefix(NamespaceIdSchema.parse('demo')), '0364656d6f00'),
  prefix('tableSegmentsPrefix(demo.products)', () => tableSegmentsPrefix(TableIdKey.parse('demo.products')), '0364656d6f000370726f647563747300'),
  prefix('scopeSegmentsPrefix(demo.products, null)', () => scopeSegmentsPrefix(TableIdKey.parse('demo.products'), null), '0364656d6f000370726f64756374730001'),
  prefix(
    'scopeSegmentsPrefix(demo.products, u_alice)',
    () => scopeSegmentsPrefix(TableIdKey.parse('demo.products'), user('u_alice')),
    '0364656d6f000370726f64756374730003755f616c69636500',
  ),
  prefix('userRowsPrefix(u_alice)', () => userRowsPrefix(user('u_alice')), '03755f616c69636500'),
  prefix('userStreamPrefix(u_alice)', () => userStreamPrefix(user('u_alice')), '03755f616c69636500'),
  prefix('userLiveQueriesPrefix(u_alice)', () => userLiveQueriesPrefix(user('u_alice')), '03755f616c69636500'),
];

describe('key golden vectors (frozen: never edit the hex)', () => {
  it('has unique vector names', () => {
    expect(new Set(VECTORS.map((v) => v.name)).size).toBe(VECTORS.length);
  });

  for (const v of VECTORS) {
    it(v.name, () => {
      expect(toHex(v.encoded())).toBe(v.hex);
      v.check(v.hex);
    });
  }

  it('the prefixes are prefixes of the keys they select', () => {
    const alice = user('u_alice');
    expect(toHex(UserRowIdKey.encode(z.parse(UserRowIdKey.schema, { user: alice, row: rowId(1) })))).toMatch(new RegExp(`^${toHex(userRowsPrefix(alice))}`));
    expect(toHex(StreamRowIdKey.encode(z.parse(StreamRowIdKey.schema, { user: alice, seq: 1 })))).toMatch(new RegExp(`^${toHex(userStreamPrefix(alice))}`));
    expect(toHex(ManifestIdKey.encode(z.parse(ManifestIdKey.schema, { table, user: alice, batch: 1 })))).toMatch(
      new RegExp(`^${toHex(scopeSegmentsPrefix(TableIdKey.parse('demo.products'), alice))}`),
    );
  });
});
