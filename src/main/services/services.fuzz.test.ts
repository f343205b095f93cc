import { ORPCError } from '@orpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from '../../shared/contract/errors';
import { seedDemo } from './demo';
import { NewNamespaceNameSchema } from '../../shared/keys/namespace-id';
import { lowerCased } from '../../shared/keys/rules';
import {
  columnName,
  COLUMNS,
  DATA_COLUMNS,
  DATA_TABLES,
  EDITABLE,
  INDEXES,
  inputOf,
  invalidId,
  junk,
  keyText,
  maybe,
  nastyString,
  objectWith,
  optional,
  tableRef,
  TABLES,
  viewAs,
} from './fuzz.test-support';
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
  .tuple(
    invalidId,
    invalidId,
    invalidId,
    objectWith(junk, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'email', 'password', 'role', 'comment', 'options', 'user_id'), nastyString)),
  )
  .map(([username, namespace_id, storage_id, rest]) => {
    const o = { ...rest };
    Object.assign(o, { username, namespace_id, storage_id });
    return o;
  });

/** Complete, valid forms of each editable table: fine for updates of keys that do not exist. */
const validForms = fc.constantFrom<Record<string, unknown>>(
  { username: 'zed', email: 'zed@example.com', role: 'user', auth_type: 'password', storage_mode: 'table', storage_id: null },
  { comment: 'c', options: {} },
  {
    storage_name: 'S',
    description: null,
    storage_type: 'filesystem',
    base_directory: '/d',
    shared_tables_template: '{namespace}/{tableName}',
    user_tables_template: '{namespace}/{tableName}/{userId}',
  },
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

/** A primary-key value no demo table accepts (their keys are integers and text). */
const invalidPk = fc.constantFrom(null, [], {}, 1.5, true, '\ud800');

/** Row values that can never validate: the primary key is always invalid, the rest junk or columns. */
const invalidRow = fc
  .tuple(invalidPk, objectWith(fc.oneof(junk, fc.integer(), fc.string()), fc.oneof(fc.constantFrom(...DATA_COLUMNS), nastyString)))
  .map(([id, rest]) => Object.assign({ ...rest }, { id }));

/** Row values for writes: invalid rows, or junk that is no object at all (an object of junk could be a valid patch). */
const invalidValuesOrJunk = fc.oneof(
  { weight: 4, arbitrary: invalidRow },
  { weight: 1, arbitrary: junk.filter((j) => typeof j !== 'object' || j === null || Array.isArray(j)) },
);

/** Keys of the demo's data rows (a fuzzed delete must never find one). */
const isDemoRowKey = (k: unknown) => typeof k === 'string' && (/^-?\d+$/.test(k.trim()) || /u_(alice|bob)/.test(k) || k.trim().startsWith('"'));
const isDataTable = (t: unknown) => typeof t === 'string' && DATA_TABLES.includes(lowerCased(t));
const fieldOf = (i: unknown, field: string): unknown => (typeof i === 'object' && i !== null ? (i as Record<string, unknown>)[field] : undefined);

/** Column definitions that break a rule every time (a name starting with "_"), mixed with junk. */
const invalidColumns = fc.oneof(
  fc
    .array(
      inputOf({
        name: maybe(nastyString),
        type: maybe(fc.constantFrom('text', 'integer', 'json', 'nope')),
        primary_key: optional(fc.boolean()),
        nullable: optional(fc.boolean()),
        default: optional(junk),
      }),
      { maxLength: 3 },
    )
    .map((cols) => [{ name: '_x', type: 'text', primary_key: true }, ...cols]),
  junk.filter((j) => !Array.isArray(j)),
);

/** An ALTER change that no demo table accepts. */
const invalidChange = fc.oneof(
  inputOf({
    action: fc.constant('add_column'),
    column: inputOf({ name: nastyString.map((n) => `_${n}`), type: maybe(fc.constantFrom('text', 'bytes')), nullable: optional(fc.boolean()) }),
  }),
  inputOf({
    action: fc.constant('drop_column'),
    name: fc.oneof(
      fc.constant('id'),
      nastyString.filter((n) => !DATA_COLUMNS.includes(lowerCased(n))),
    ),
  }),
  inputOf({ action: fc.constant('rename_column'), from: nastyString.filter((n) => !DATA_COLUMNS.includes(lowerCased(n))), to: maybe(nastyString) }),
  inputOf({ action: fc.constant('set_options'), ttl_seconds: fc.constantFrom(0, -1, 1.5), comment: optional(nastyString) }),
  junk,
);

interface Fuzzed {
  readonly input: fc.Arbitrary<unknown>;
  /** Inputs always tried first: they reach the handlers' own checks (and keep the coverage check below deterministic). */
  readonly examples?: readonly unknown[];
  readonly writes: boolean;
  call(client: Harness['client'], input: unknown): Promise<unknown>;
}

/** Every procedure of the contract, with inputs to throw at it. */
const PROCEDURES: Record<string, Fuzzed> = {
  'engine.info': { writes: false, input: junk, call: (c, i) => c.engine.info(i as never) },
  'engine.setReadOnly': {
    writes: true,
    input: inputOf({ readOnly: junk }).filter((i) => typeof (i as { readOnly?: unknown } | null)?.readOnly !== 'boolean'),
    call: (c, i) => c.engine.setReadOnly(i as never),
  },
  'tables.list': {
    examples: [{ as: { userId: 'u_bob' } }],
    writes: false,
    input: fc.oneof(junk, inputOf({ as: optional(viewAs) })),
    call: (c, i) => c.tables.list(i as never),
  },
  'tables.describe': {
    examples: [{ table: 'system.users' }, { table: 'demo.notes', as: { userId: 'u_bob' } }],
    writes: false,
    input: inputOf({ table: maybe(tableRef), as: optional(viewAs) }),
    call: (c, i) => c.tables.describe(i as never),
  },
  'tables.namespaces': { writes: false, input: junk, call: (c) => c.tables.namespaces() },
  'rows.page': {
    examples: [
      { table: 'system.users', request: { limit: 5 } },
      { table: 'demo.notes', request: { limit: 5, seek: 'u_alice/1' }, as: { userId: 'u_bob' } },
    ],
    writes: false,
    input: fc.oneof(
      inputOf({ table: maybe(tableRef), request: browseRequest, as: optional(viewAs) }),
      // plain requests on real tables, so that pages come back too
      inputOf({
        table: fc.constantFrom(...TABLES, ...DATA_TABLES),
        request: inputOf({ limit: maybe(fc.integer({ min: 1, max: 50 })), direction: optional(fc.constantFrom('forward', 'backward')) }),
        as: optional(viewAs),
      }),
    ),
    call: (c, i) => c.rows.page(i as never),
  },
  'rows.count': {
    examples: [{ table: 'system.users', cap: 2 }],
    writes: false,
    input: inputOf({ table: maybe(tableRef), cap: optional(fc.integer({ min: 1, max: 10 })), as: optional(viewAs) }),
    call: (c, i) => c.rows.count(i as never),
  },
  'rows.get': {
    examples: [
      { table: 'system.users', key: 'root' },
      { table: 'system.users', key: 'u_nobody' },
      { table: 'demo.notes', key: 'u_alice/1', as: { userId: 'u_bob' } },
    ],
    writes: false,
    input: fc.oneof(
      inputOf({ table: maybe(tableRef), key: maybe(keyText), as: optional(viewAs) }),
      fc
        .constantFrom(...EXISTING_ROWS)
        .chain(([table, key]) => inputOf({ table: maybe(fc.constant(table)), key: maybe(fc.constant(key)), as: optional(viewAs) })),
    ),
    call: (c, i) => c.rows.get(i as never),
  },
  'rows.create': {
    examples: [
      { table: 'demo.products', values: { id: null }, as: { userId: 'u_bob' } },
      { table: 'system.users', values: {} },
    ],
    writes: true,
    input: inputOf({ table: maybe(tableRef), values: invalidValuesOrJunk, user: optional(keyText), as: optional(viewAs) }),
    call: (c, i) => c.rows.create(i as never),
  },
  'rows.update': {
    examples: [
      { table: 'demo.notes', key: 'u_bob/99', values: { id: null }, version: '1' },
      { table: 'demo.products', key: '1', values: { id: null }, version: '1' },
    ],
    writes: true,
    input: inputOf({
      table: maybe(tableRef),
      key: maybe(keyText),
      values: invalidValuesOrJunk,
      version: maybe(fc.oneof(fc.integer({ min: 1, max: 50 }).map(String), nastyString)),
      overwrite: optional(fc.boolean()),
      as: optional(viewAs),
    }),
    call: (c, i) => c.rows.update(i as never),
  },
  'rows.delete': {
    examples: [
      { table: 'demo.products', key: '99x' },
      { table: 'demo.notes', key: 'u_carol/1' },
    ],
    writes: true,
    input: inputOf({ table: maybe(tableRef), key: maybe(keyText), version: optional(nastyString), as: optional(viewAs) }).filter(
      (i) => !(isDataTable(fieldOf(i, 'table')) && isDemoRowKey(fieldOf(i, 'key'))),
    ),
    call: (c, i) => c.rows.delete(i as never),
  },
  'ddl.createNamespace': {
    examples: [{ name: 'demo' }, { name: 'system', dryRun: true }],
    writes: true,
    input: inputOf({
      name: maybe(fc.oneof(fc.constantFrom('demo', 'DEMO', 'system', ''), invalidId)),
      comment: optional(nastyString),
      options: optional(objectWith(junk)),
      dryRun: optional(fc.boolean()),
    }).filter((i) => {
      // junk may hold a valid new name; only existing or invalid ones are fuzzed
      const name = fieldOf(i, 'name');
      return !NewNamespaceNameSchema.safeParse(name).success || lowerCased(String(name)) === 'demo';
    }),
    call: (c, i) => c.ddl.createNamespace(i as never),
  },
  'ddl.dropNamespace': {
    examples: [{ name: 'nope', cascade: true }],
    writes: true,
    input: inputOf({ name: maybe(nastyString), cascade: optional(fc.boolean()) }).filter((i) => {
      const name = fieldOf(i, 'name');
      return !(typeof name === 'string' && lowerCased(name) === 'demo');
    }),
    call: (c, i) => c.ddl.dropNamespace(i as never),
  },
  'ddl.createTable': {
    examples: [{ namespace: 'nowhere', name: 't', type: 'shared', columns: [{ name: 'id', type: 'text', primary_key: true }] }],
    writes: true,
    input: inputOf({
      namespace: maybe(fc.oneof(fc.constantFrom('demo', 'system'), nastyString)),
      name: maybe(fc.oneof(fc.constantFrom('products', 'fresh'), nastyString)),
      type: maybe(fc.constantFrom('shared', 'user', 'stream', 'system')),
      columns: invalidColumns,
      access_level: optional(fc.constantFrom('public', 'dba', 'nope')),
      ttl_seconds: optional(fc.oneof(fc.integer({ min: -1, max: 5 }), junk)),
      flush_policy: optional(junk),
      storage_id: optional(nastyString),
      comment: optional(nastyString),
      dryRun: optional(fc.boolean()),
    }),
    call: (c, i) => c.ddl.createTable(i as never),
  },
  'ddl.alterTable': {
    examples: [
      { table: 'demo.products', change: { action: 'drop_column', name: 'id' } },
      { table: 'demo.nope', change: { action: 'drop_column', name: 'x' } },
    ],
    writes: true,
    input: inputOf({ table: maybe(tableRef), change: invalidChange, dryRun: optional(fc.boolean()) }),
    call: (c, i) => c.ddl.alterTable(i as never),
  },
  'ddl.dropTable': {
    examples: [{ table: 'demo.nope' }, { table: 'system.users' }],
    writes: true,
    input: inputOf({ table: maybe(tableRef) }).filter((i) => !isDataTable(fieldOf(i, 'table'))),
    call: (c, i) => c.ddl.dropTable(i as never),
  },
  'entities.create': {
    examples: [{ table: 'system.jobs', values: {} }],
    writes: true,
    input: fc.oneof(inputOf({ table: maybe(fc.oneof(fc.constantFrom(...EDITABLE), tableRef)), values: invalidValues }), junk),
    call: (c, i) => c.entities.create(i as never),
  },
  'entities.update': {
    examples: [
      {
        table: 'system.users',
        key: 'u_zed',
        values: { username: 'zed', email: null, role: 'user', auth_type: 'oauth', storage_mode: 'table', storage_id: null },
        version: 'v',
      },
      { table: 'system.jobs', key: 'FL-x', values: {}, version: 'v' },
    ],
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
    input: inputOf({ userId: maybe(keyText.filter(notExisting)), password: maybe(nastyString) }).filter((i) =>
      notExisting((i as { userId?: unknown } | null)?.userId),
    ),
    call: (c, i) => c.entities.setPassword(i as never),
  },
  'indexes.list': { writes: false, input: junk, call: (c, i) => c.indexes.list(i as never) },
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
  'indexes.verify': {
    writes: false,
    examples: [{ table: 'system.users', index: 'role' }],
    input: withIndexRef({}),
    call: (c, i) => c.indexes.verify(i as never),
  },
  'indexes.rebuild': {
    examples: [{ table: 'system.users', index: 'nope' }],
    writes: true,
    input: inputOf(indexRef).filter((i) => {
      const r = i as { table?: unknown; index?: unknown } | null;
      return !(typeof r?.table === 'string' && typeof r.index === 'string' && VALID_INDEXES.has(`${r.table.trim().toLowerCase()}#${r.index}`));
    }),
    call: (c, i) => c.indexes.rebuild(i as never),
  },
  'jobs.list': {
    examples: [{ status: 'running', limit: 5 }, { cursor: '1:FL-x' }],
    writes: false,
    input: fc.oneof(
      junk,
      inputOf({
        status: optional(fc.oneof(fc.constantFrom('queued', 'failed'), nastyString)),
        limit: optional(fc.oneof(fc.integer({ min: 1, max: 500 }), junk)),
        cursor: optional(nastyString),
      }),
    ),
    call: (c, i) => c.jobs.list(i as never),
  },
  'jobs.get': { writes: false, examples: [{ id: 'FL-nope' }], input: inputOf({ id: maybe(nastyString) }), call: (c, i) => c.jobs.get(i as never) },
  // Every fuzzed start is invalid by construction: an unknown table or index, a relative folder, or no backup there.
  'jobs.start': {
    examples: [
      { type: 'flush', table: 'demo.nope' },
      { type: 'index_rebuild', table: 'system.users', index: 'nope' },
      { type: 'restore', folder: '/nonexistent' },
    ],
    writes: true,
    input: fc.oneof(
      inputOf({
        type: fc.constant('flush'),
        table: maybe(
          fc.oneof(
            fc.constant('demo.nope'),
            nastyString.filter((t) => !isDataTable(t)),
          ),
        ),
      }),
      inputOf({
        type: fc.constant('backup'),
        folder: maybe(nastyString.filter((f) => !f.trim().startsWith('/') && !/^[A-Za-z]:[\\/]/.test(f.trim()) && !f.trim().startsWith('\\\\'))),
      }),
      inputOf({ type: fc.constant('restore'), folder: maybe(nastyString), allow_foreign: optional(fc.boolean()) }),
      inputOf({ type: fc.constant('index_rebuild'), ...indexRef }).filter((i) => {
        const r = i as { table?: unknown; index?: unknown } | null;
        return !(typeof r?.table === 'string' && typeof r.index === 'string' && VALID_INDEXES.has(`${r.table.trim().toLowerCase()}#${r.index}`));
      }),
      inputOf({ type: maybe(nastyString) }),
      junk,
    ),
    call: (c, i) => c.jobs.start(i as never),
  },
  // Cancelling only stops work, so read-only mode allows it (no job exists here: always NOT_FOUND or VALIDATION).
  'jobs.cancel': { writes: false, examples: [{ id: 'FL-nope' }], input: inputOf({ id: maybe(nastyString) }), call: (c, i) => c.jobs.cancel(i as never) },
  'jobs.retry': { writes: true, examples: [{ id: 'EV-nope' }], input: inputOf({ id: maybe(nastyString) }), call: (c, i) => c.jobs.retry(i as never) },
  'jobs.flushSchedule': { writes: false, input: junk, call: (c, i) => c.jobs.flushSchedule(i as never) },
  'jobs.checkBackup': {
    examples: [{ folder: '/nonexistent' }, { folder: '/' }],
    writes: false,
    input: inputOf({ folder: maybe(nastyString), allow_foreign: optional(fc.boolean()) }),
    // A stream: its refusal comes with the events, so it is read to the end.
    async call(c, i) {
      const events = [];
      for await (const event of await c.jobs.checkBackup(i as never)) events.push(event);
      return events;
    },
  },
  // No folder dialog in the harness (web mode): NOT_FOUND past validation.
  'host.capabilities': { writes: false, input: junk, call: (c, i) => c.host.capabilities(i as never) },
  'host.pickFolder': {
    examples: [{ purpose: 'backup', defaultPath: '/tmp' }],
    writes: false,
    input: fc.oneof(junk, inputOf({ purpose: maybe(fc.oneof(fc.constantFrom('backup', 'restore'), nastyString)), defaultPath: optional(nastyString) })),
    call: (c, i) => c.host.pickFolder(i as never),
  },
  'host.pickSaveFile': {
    examples: [{ purpose: 'export', format: 'parquet', defaultPath: '/tmp/x.parquet' }],
    writes: false,
    input: fc.oneof(
      junk,
      inputOf({
        purpose: maybe(fc.oneof(fc.constant('export'), nastyString)),
        format: maybe(fc.oneof(fc.constantFrom('csv', 'jsonl', 'parquet'), nastyString)),
        defaultPath: optional(nastyString),
      }),
    ),
    call: (c, i) => c.host.pickSaveFile(i as never),
  },
  // A statement's failure is part of sql.run's answer, not a thrown error; a fuzzed script is never a
  // valid write, so whatever it answers, nothing is written (stats below).
  'sql.run': {
    examples: [
      { script: 'SELECT * FROM demo.notes', as: { userId: 'u_bob' } },
      { script: 'DROP TABLE demo.nope' },
      { script: 'SELECT * FROM demo.products WHERE' },
      { script: "EXECUTE AS USER 'nobody' (SELECT 1)" },
    ],
    writes: false,
    input: inputOf({
      script: maybe(nastyString),
      as: optional(viewAs),
      runId: optional(nastyString),
      pageSize: optional(fc.oneof(fc.integer(), junk)),
      timeoutMs: optional(fc.oneof(fc.integer(), junk)),
    }),
    call: (c, i) => c.sql.run(i as never),
  },
  // Files that never exist and tables that never do: each call is refused before a job is queued.
  'stats.overview': { writes: false, input: junk, call: (c, i) => c.stats.overview(i as never) },
  'stats.users': {
    examples: [{ table: 'demo.notes' }, { table: 'demo.notes', as: { userId: 'u_bob' } }],
    writes: false,
    input: inputOf({ table: maybe(tableRef), as: optional(viewAs) }),
    call: (c, i) => c.stats.users(i as never),
  },
  'stats.table': {
    examples: [{ table: 'demo.products' }, { table: 'system.users' }],
    writes: false,
    input: inputOf({ table: maybe(tableRef), as: optional(viewAs) }),
    call: (c, i) => c.stats.table(i as never),
  },
  'schedules.list': { writes: false, input: junk, call: (c, i) => c.schedules.list(i as never) },
  // No schedule exists here: NOT_FOUND past validation, nothing started.
  'schedules.run': {
    examples: [{ id: 'nope' }],
    writes: false,
    input: inputOf({ id: maybe(nastyString), as: optional(viewAs) }),
    call: (c, i) => c.schedules.run(i as never),
  },
  // An export only reads (allowed in read-only mode), like a backup.
  'io.export': {
    examples: [
      { table: 'demo.nope', file: '/nonexistent/out.csv', format: 'csv' },
      // A query's result: a write refused as input, a read refused for its subject, a read to a folder that does not exist.
      { source: { kind: 'sql', sql: 'DELETE FROM demo.products' }, file: '/nonexistent/out.csv', format: 'csv' },
      { source: { kind: 'sql', sql: 'SELECT * FROM system.jobs' }, file: '/nonexistent/out.csv', format: 'csv', as: { userId: 'u_bob' } },
      { source: { kind: 'sql', sql: "EXECUTE AS USER 'bob' (SELECT * FROM demo.notes)" }, file: '/nonexistent/out.csv', format: 'jsonl' },
    ],
    writes: false,
    input: inputOf({
      source: optional(
        inputOf({
          kind: maybe(fc.constant('sql')),
          sql: maybe(
            fc.oneof(
              fc.constantFrom(
                'SELECT * FROM demo.notes',
                'DELETE FROM demo.notes',
                "EXECUTE AS USER 'alice' (SELECT 1)",
                'SELECT 1; SELECT 2',
                'DROP TABLE demo.notes',
              ),
              nastyString,
            ),
          ),
        }),
      ),
      table: maybe(
        fc.oneof(
          fc.constant('demo.nope'),
          nastyString.filter((t) => !isDataTable(t) && !t.trim().toLowerCase().startsWith('system.')),
        ),
      ),
      file: maybe(nastyString.filter((f) => !f.trim().startsWith('/'))),
      format: maybe(fc.oneof(fc.constantFrom('csv', 'jsonl', 'parquet'), nastyString)),
      as: optional(viewAs),
    }),
    call: (c, i) => c.io.export(i as never),
  },
  'io.import': {
    examples: [{ table: 'demo.nope', file: '/nonexistent/in.csv' }],
    writes: true,
    input: inputOf({
      table: maybe(
        fc.oneof(
          fc.constant('demo.nope'),
          nastyString.filter((t) => !isDataTable(t)),
        ),
      ),
      file: maybe(nastyString.filter((f) => !f.trim().startsWith('/'))),
      on_error: optional(nastyString),
      as: optional(viewAs),
    }),
    call: (c, i) => c.io.import(i as never),
  },
  'io.preview': {
    examples: [{ file: '/nonexistent/in.csv' }],
    writes: false,
    input: inputOf({ file: maybe(fc.oneof(fc.constant('/nonexistent/x.csv'), nastyString)), format: optional(nastyString), as: optional(viewAs) }),
    call: (c, i) => c.io.preview(i as never),
  },
  'io.report': {
    examples: [{ id: 'IM-nope' }],
    writes: false,
    input: inputOf({ id: maybe(nastyString), as: optional(viewAs) }),
    call: (c, i) => c.io.report(i as never),
  },
  // The harness is no app session: past validation and the rights, NOT_FOUND (data-dirs.test.ts switches for real).
  'dataDirs.list': { writes: false, input: inputOf({ as: optional(viewAs) }), call: (c, i) => c.dataDirs.list(i as never) },
  'dataDirs.open': {
    examples: [{ path: '/nonexistent' }, { path: '/tmp', runningJobs: 'cancel' }],
    writes: false,
    input: inputOf({ path: maybe(nastyString), runningJobs: optional(fc.oneof(fc.constantFrom('wait', 'cancel'), nastyString)), as: optional(viewAs) }),
    call: (c, i) => c.dataDirs.open(i as never),
  },
  'dataDirs.create': {
    examples: [{ path: '/nonexistent/new', demo: true }],
    writes: true,
    input: inputOf({ path: maybe(nastyString), demo: maybe(fc.boolean()), runningJobs: optional(nastyString), as: optional(viewAs) }),
    call: (c, i) => c.dataDirs.create(i as never),
  },
  // A stream: its first event (the result or a typed error event) is read, then it is closed.
  'sql.subscribe': {
    examples: [{ script: 'SUBSCRIBE TO SELECT * FROM demo.notes', as: { userId: 'u_bob' } }, { script: 'SUBSCRIBE TO DELETE FROM demo.notes' }],
    writes: false,
    input: inputOf({ script: maybe(nastyString), limit: optional(fc.oneof(fc.integer(), junk)), as: optional(viewAs) }),
    async call(c, i) {
      const stream = await c.sql.subscribe(i as never);
      const first = await stream.next();
      await stream.return?.(undefined);
      return first;
    },
  },
  'sql.page': {
    writes: false,
    input: inputOf({ cursor: maybe(nastyString), pageSize: optional(junk), as: optional(viewAs) }),
    call: (c, i) => c.sql.page(i as never),
  },
  'sql.close': { writes: false, input: inputOf({ resultId: maybe(nastyString), as: optional(viewAs) }), call: (c, i) => c.sql.close(i as never) },
  'sql.cancel': { writes: false, input: inputOf({ runId: maybe(nastyString), as: optional(viewAs) }), call: (c, i) => c.sql.cancel(i as never) },
  'events.subscribe': {
    examples: [
      { tables: ['demo.notes'], as: { userId: 'u_bob' } },
      { tables: ['system.users'], as: { userId: 'u_bob' } },
    ],
    writes: false,
    input: fc.oneof(junk, inputOf({ as: optional(viewAs), tables: optional(fc.array(maybe(tableRef), { maxLength: 3 })) })),
    async call(c, i) {
      const stream = await c.events.subscribe(i as never);
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
    for (const name of ['tables.describe', 'rows.page', 'rows.count', 'rows.get', 'indexes.entries', 'indexes.verify'])
      expect(beyond(name), name).toContain('ok');
    for (const name of [
      'entities.update',
      'entities.delete',
      'entities.setPassword',
      'indexes.rebuild',
      'rows.update',
      'rows.delete',
      'ddl.dropNamespace',
      'ddl.createTable',
      'ddl.alterTable',
      'ddl.dropTable',
    ]) {
      expect(beyond(name), name).toContain(readOnly ? 'READ_ONLY' : 'NOT_FOUND');
    }
    if (!readOnly) {
      expect(outcomes.get('rows.create'), 'rows.create').toContain('ACCESS_DENIED');
      expect(outcomes.get('ddl.createNamespace'), 'ddl.createNamespace').toContain('ALREADY_EXISTS');
      expect(outcomes.get('events.subscribe'), 'events.subscribe').toContain('ACCESS_DENIED');
    }
    expect(outcomes.get('host.pickFolder'), 'host.pickFolder').toContain('NOT_FOUND');
    expect(outcomes.get('host.pickSaveFile'), 'host.pickSaveFile').toContain('NOT_FOUND');
    expect(outcomes.get('dataDirs.open'), 'dataDirs.open').toContain('NOT_FOUND');
    if (!readOnly) expect(outcomes.get('entities.update')).toContain('ACCESS_DENIED');
    if (!readOnly) {
      expect(outcomes.get('entities.create')).toContain('ACCESS_DENIED');
      expect(outcomes.get('rows.get')).toContain('NOT_FOUND');
    }
  });
});
