import { ORPCError } from '@orpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from '../../shared/contract/errors';
import { seedDemo } from './demo';
import { columnName, COLUMNS, EDITABLE, INDEXES, inputOf, invalidId, junk, keyText, maybe, nastyString, objectWith, optional, tableRef, TABLES } from './fuzz.test-support';
import { type Harness, openHarness, snapshot, stats } from './test-support';

/** Keys that exist in the fuzzed database; write fuzzing never aims at them (a valid delete would succeed). */
const EXISTING_KEYS = new Set(['root', 'u_alice', 'u_bob', 'u_carol', 'demo', 'local']);
const notExisting = (k: unknown) => typeof k !== 'string' || !EXISTING_KEYS.has(k.trim().toLowerCase());
const VALID_INDEXES = new Set(['system.users#username', 'system.users#role', 'system.tables#storage', 'system.jobs#status_created', 'system.jobs#idempotency']);

const browseRequest = inputOf({
  limit: maybe(fc.integer({ min: 1, max: 1000 })),
  cursor: optional(nastyString),
  seek: optional(keyText),
  direction: optional(fc.constantFrom('forward', 'backward')),
  sort: optional(inputOf({ column: maybe(columnName), order: maybe(fc.constantFrom('asc', 'desc')) })),
  filters: optional(
    fc.array(
      inputOf({
        column: maybe(columnName),
        op: maybe(fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'starts_with', 'is_null', 'not_null')),
        value: optional(fc.oneof(nastyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))),
      }),
      { maxLength: 3 },
    ),
  ),
});

/** Form values that can never validate: every table's required id or name is invalid, plus junk. */
const invalidValues = fc
  .tuple(invalidId, invalidId, invalidId, objectWith(junk, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'email', 'password', 'role', 'comment', 'options', 'user_id'), nastyString)))
  .map(([username, namespace_id, storage_id, rest]) => {
    const o = { ...rest };
    Object.assign(o, { username, namespace_id, storage_id });
    return o;
  });

/** Complete, valid forms of each editable table: fine for updates of keys that do not exist. */
const validForms = fc.constantFrom<Record<string, unknown>>(
  { username: 'zed', email: 'zed@example.com', role: 'user', auth_type: 'password', storage_mode: 'table', storage_id: null },
  { comment: 'c', options: {} },
  { storage_name: 'S', description: null, storage_type: 'filesystem', base_directory: '/d', shared_tables_template: '{namespace}/{tableName}', user_tables_template: '{namespace}/{tableName}/{userId}' },
);

const indexRef = { table: maybe(tableRef), index: maybe(fc.oneof(fc.constantFrom(...INDEXES), nastyString)) };

/** Index references: random ones, and real ones half the time (to get past NOT_FOUND). */
function withIndexRef(rest: Record<string, fc.Arbitrary<unknown>>, real = true): fc.Arbitrary<unknown> {
  const pairs = [...VALID_INDEXES].map((ref) => ref.split('#') as [string, string]);
  const realRef = fc.constantFrom(...pairs).chain(([table, index]) => inputOf({ table: maybe(fc.constant(table)), index: maybe(fc.constant(index)), ...rest }));
  return real ? fc.oneof(inputOf({ ...indexRef, ...rest }), realRef) : inputOf({ ...indexRef, ...rest });
}

/** Rows that exist, so that reads find something now and then. */
const EXISTING_ROWS: [string, string][] = [
  ['system.users', 'root'],
  ['system.users', 'u_alice'],
  ['system.namespaces', 'demo'],
  ['system.storages', 'local'],
  ['system.audit_log', '0'],
];

interface Fuzzed {
  readonly input: fc.Arbitrary<unknown>;
  /** Inputs always tried first: they reach the handlers' own checks (and keep the coverage check below deterministic). */
  readonly examples?: readonly unknown[];
  readonly writes: boolean;
  call(client: Harness['client'], input: unknown): Promise<unknown>;
}

/** Every procedure of the contract, with inputs to throw at it. */
const PROCEDURES: Record<string, Fuzzed> = {
  'engine.info': { writes: false, input: junk, call: (c, i) => c.engine.info(i) },
  'engine.setReadOnly': {
    writes: true,
    input: inputOf({ readOnly: junk }).filter((i) => typeof (i as { readOnly?: unknown } | null)?.readOnly !== 'boolean'),
    call: (c, i) => c.engine.setReadOnly(i as never),
  },
  'tables.list': { writes: false, input: junk, call: (c, i) => c.tables.list(i) },
  'tables.describe': {
    examples: [{ table: 'system.users' }], writes: false, input: inputOf({ table: maybe(tableRef) }), call: (c, i) => c.tables.describe(i as never) },
  'rows.page': {
    examples: [{ table: 'system.users', request: { limit: 5 } }],
    writes: false,
    input: fc.oneof(
      inputOf({ table: maybe(tableRef), request: browseRequest }),
      // plain requests on real tables, so that pages come back too
      inputOf({ table: fc.constantFrom(...TABLES), request: inputOf({ limit: maybe(fc.integer({ min: 1, max: 50 })), direction: optional(fc.constantFrom('forward', 'backward')) }) }),
    ),
    call: (c, i) => c.rows.page(i as never),
  },
  'rows.count': {
    examples: [{ table: 'system.users', cap: 2 }],
    writes: false,
    input: inputOf({ table: maybe(tableRef), cap: optional(fc.integer({ min: 1, max: 10 })) }),
    call: (c, i) => c.rows.count(i as never),
  },
  'rows.get': {
    examples: [{ table: 'system.users', key: 'root' }, { table: 'system.users', key: 'u_nobody' }],
    writes: false,
    input: fc.oneof(
      inputOf({ table: maybe(tableRef), key: maybe(keyText) }),
      fc.constantFrom(...EXISTING_ROWS).chain(([table, key]) => inputOf({ table: maybe(fc.constant(table)), key: maybe(fc.constant(key)) })),
    ),
    call: (c, i) => c.rows.get(i as never),
  },
  'entities.create': {
    examples: [{ table: 'system.jobs', values: {} }],
    writes: true,
    input: fc.oneof(inputOf({ table: maybe(fc.oneof(fc.constantFrom(...EDITABLE), tableRef)), values: invalidValues }), junk),
    call: (c, i) => c.entities.create(i as never),
  },
  'entities.update': {
    examples: [{ table: 'system.users', key: 'u_zed', values: { username: 'zed', email: null, role: 'user', auth_type: 'oauth', storage_mode: 'table', storage_id: null }, version: 'v' }, { table: 'system.jobs', key: 'FL-x', values: {}, version: 'v' }],
    writes: true,
    input: inputOf({
      table: maybe(fc.oneof(fc.constantFrom(...EDITABLE), tableRef)),
      key: maybe(keyText.filter(notExisting)),
      values: maybe(fc.oneof(invalidValues, validForms)),
      version: maybe(nastyString),
      overwrite: optional(fc.boolean()),
    }).filter((i) => notExisting((i as { key?: unknown } | null)?.key)),
    call: (c, i) => c.entities.update(i as never),
  },
  'entities.delete': {
    examples: [{ table: 'system.users', key: 'u_zed' }],
    writes: true,
    input: inputOf({
      table: maybe(fc.oneof(fc.constantFrom(...EDITABLE), tableRef)),
      key: maybe(keyText.filter(notExisting)),
      version: optional(nastyString),
      cascade: optional(fc.boolean()),
    }).filter((i) => notExisting((i as { key?: unknown } | null)?.key)),
    call: (c, i) => c.entities.delete(i as never),
  },
  'entities.setPassword': {
    examples: [{ userId: 'u_zed', password: 'long enough password' }],
    writes: true,
    input: inputOf({ userId: maybe(keyText.filter(notExisting)), password: maybe(nastyString) }).filter((i) => notExisting((i as { userId?: unknown } | null)?.userId)),
    call: (c, i) => c.entities.setPassword(i as never),
  },
  'indexes.list': { writes: false, input: junk, call: (c, i) => c.indexes.list(i) },
  'indexes.entries': {
    examples: [{ table: 'system.users', index: 'username', limit: 2 }],
    writes: false,
    input: withIndexRef({
      limit: maybe(fc.integer({ min: 1, max: 1000 })),
      cursor: optional(nastyString),
      direction: optional(fc.constantFrom('forward', 'backward')),
      lookup: optional(fc.oneof(nastyString, fc.integer(), fc.double())),
    }),
    call: (c, i) => c.indexes.entries(i as never),
  },
  'indexes.verify': { writes: false, examples: [{ table: 'system.users', index: 'role' }], input: withIndexRef({}), call: (c, i) => c.indexes.verify(i as never) },
  'indexes.rebuild': {
    examples: [{ table: 'system.users', index: 'nope' }],
    writes: true,
    input: inputOf(indexRef).filter((i) => {
      const r = i as { table?: unknown; index?: unknown } | null;
      return !(typeof r?.table === 'string' && typeof r.index === 'string' && VALID_INDEXES.has(`${r.table.trim().toLowerCase()}#${r.index}`));
    }),
    call: (c, i) => c.indexes.rebuild(i as never),
  },
  'events.subscribe': {
    writes: false,
    input: junk,
    async call(c, i) {
      const stream = await c.events.subscribe(i);
      await stream.return?.(undefined);
      return stream;
    },
  },
};

const CODES = Object.keys(contractErrors);

/** Runs per procedure; raise it (FUZZ_RUNS=5000) for a deeper hunt. */
const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

describe.each([false, true])('fuzzing every procedure (read-only mode %s)', (readOnly) => {
  let h: Harness;
  let baseline: ReturnType<typeof snapshot>;
  let baselineStats: ReturnType<typeof stats>;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  /** Outcomes per procedure ("ok" or the error code), to check the fuzz gets past input validation. */
  const outcomes = new Map<string, Set<string>>();
  beforeAll(async () => {
    h = openHarness();
    seedDemo(h.engine);
    await h.client.engine.setReadOnly({ readOnly });
    baseline = snapshot(h.engine);
    baselineStats = stats(h.engine);
  });
  afterAll(() => {
    // Nothing was written, nothing unexpected was logged, no prototype was polluted.
    expect(snapshot(h.engine)).toEqual(baseline);
    expect(h.logged).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    h.close();
  });

  it('covers every procedure of the contract', () => {
    const paths = Object.entries(h.services.router).flatMap(([group, procs]) => Object.keys(procs as object).map((p) => `${group}.${p}`));
    expect(Object.keys(PROCEDURES).sort()).toEqual(paths.sort());
    expect(TABLES).toHaveLength(8);
    expect(COLUMNS.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(PROCEDURES))('%s: a typed contract error or a valid answer, never a crash, nothing written', async (name, fuzzed) => {
    const seen = new Set<string>();
    outcomes.set(name, seen);
    await fc.assert(
      fc.asyncProperty(fuzzed.input, async (input) => {
        let failure: unknown;
        let ok = false;
        try {
          await fuzzed.call(h.client, input);
          ok = true;
        } catch (e) {
          failure = e;
        }
        seen.add(ok ? 'ok' : String((failure as { code?: unknown }).code));
        if (ok) {
          // Only reads may succeed: every fuzzed write is invalid by construction.
          expect(fuzzed.writes, 'a fuzzed write succeeded').toBe(false);
        } else {
          expect(failure).toBeInstanceOf(ORPCError);
          const e = failure as ORPCError<string, unknown>;
          expect(CODES, `${e.code}: ${e.message}`).toContain(e.code);
          expect(e.code, e.message).not.toBe('DECODE');
          expect(e.defined).toBe(true);
          const spec = contractErrors[e.code as keyof typeof contractErrors];
          if ('data' in spec) expect(spec.data.safeParse(e.data).success).toBe(true);
          if (readOnly && fuzzed.writes && e.code !== 'VALIDATION') expect(e.code).toBe('READ_ONLY');
        }
        expect(stats(h.engine)).toEqual(baselineStats);
        expect(h.logged).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS, examples: (fuzzed.examples ?? []).map((e) => [e] as [unknown]) },
    );
  });

  it('gets past input validation into the handlers', () => {
    if (process.env['FUZZ_DEBUG']) console.log(readOnly, Object.fromEntries([...outcomes].map(([k, v]) => [k, [...v]])));
    const beyond = (name: string) => [...(outcomes.get(name) ?? [])].filter((o) => o !== 'VALIDATION');
    for (const name of ['tables.describe', 'rows.page', 'rows.count', 'rows.get', 'indexes.entries', 'indexes.verify']) expect(beyond(name), name).toContain('ok');
    for (const name of ['entities.update', 'entities.delete', 'entities.setPassword', 'indexes.rebuild']) {
      expect(beyond(name), name).toContain(readOnly ? 'READ_ONLY' : 'NOT_FOUND');
    }
    if (!readOnly) expect(outcomes.get('entities.update')).toContain('ACCESS_DENIED');
    if (!readOnly) {
      expect(outcomes.get('entities.create')).toContain('ACCESS_DENIED');
      expect(outcomes.get('rows.get')).toContain('NOT_FOUND');
    }
  });
});
