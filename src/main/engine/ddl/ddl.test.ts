import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateTableInput } from '../../../shared/ddl';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { Engine } from '../engine';
import { dataPartition, tombstonePartition } from '../tables/table-schema';
import { ADMIN, as, expectError, issueOf, SYSTEM_SUBJECT, type TestClock, testClock, testEngine, tid, todoTable, uid } from '../tables/testing.test-support';

let clock: TestClock;
let engine: Engine;
beforeEach(() => {
  clock = testClock(5_000);
  engine = testEngine(clock);
});
afterEach(() => engine.close());

const ddl = () => engine.ddl;
const create = (input: CreateTableInput) => ddl().createTable(SYSTEM_SUBJECT, input);
const meta = (table: string) => engine.system.tables.get(tid(table));
/** The raw JSON of every stored row of a table (what ALTER rewrites). */
const storedJson = (table: string) =>
  [...engine.backend.scan(dataPartition(tid(table), meta(table)!.table_type as 'user'))].map(
    ([, v]) => JSON.parse(Buffer.from(v).toString('utf8', 2)) as Record<string, unknown>,
  );

describe('namespaces', () => {
  it('creates one (name lower-cased) and records it in system.namespaces', () => {
    const ns = ddl().createNamespace(ADMIN, { name: '  Sales ', comment: 'the sales team' });
    expect(ns).toEqual({ namespace_id: 'sales', options: {}, comment: 'the sales team', created_at: 5_000, updated_at: 5_000 });
    expect(engine.system.namespaces.get(ns.namespace_id)).toEqual(ns);
  });

  it('refuses bad, reserved and taken names', () => {
    expect(
      issueOf(
        expectError(() => ddl().createNamespace(ADMIN, { name: 'system' }), 'VALIDATION', ['name']),
        'name',
      ),
    ).toMatch(/reserved/);
    expectError(() => ddl().createNamespace(ADMIN, { name: '9lives' }), 'VALIDATION', ['name']);
    expectError(() => ddl().createNamespace(ADMIN, { name: '_x' }), 'VALIDATION', ['name']);
    expectError(() => ddl().createNamespace(ADMIN, { name: 'a-b' }), 'VALIDATION', ['name']);
    expectError(() => ddl().createNamespace(ADMIN, { comment: 'no name' }), 'VALIDATION', ['name']);
    expectError(() => ddl().createNamespace(ADMIN, { name: 'app' }), 'ALREADY_EXISTS');
  });

  it('drops an empty namespace; one with tables only with cascade, taking their rows', () => {
    ddl().createNamespace(ADMIN, { name: 'empty' });
    expect(ddl().dropNamespace(ADMIN, 'empty', { cascade: false })).toEqual([]);
    create(todoTable('user', 'a'));
    create(todoTable('shared', 'b'));
    engine.data.user(tid('app.a')).insertRow(as('x'), { id: 1, title: 't' });
    expectError(() => ddl().dropNamespace(ADMIN, 'app', { cascade: false }), 'IN_USE');
    expect(engine.data.user(tid('app.a')).countRows(ADMIN)).toBe(1);
    expect(ddl().dropNamespace(ADMIN, 'app', { cascade: true }).sort()).toEqual(['app.a', 'app.b']);
    expect(engine.system.namespaces.exists('app' as never)).toBe(false);
    expect(engine.system.tables.count()).toBe(0);
    expect(engine.backend.listPartitions().filter((p) => p.startsWith('data.') || p.startsWith('stream.'))).toEqual([]);
    expectError(() => engine.data.user(tid('app.a')), 'NOT_FOUND');
  });

  it('refuses to drop reserved or missing namespaces', () => {
    expectError(() => ddl().dropNamespace(ADMIN, 'system', { cascade: true }), 'VALIDATION', ['namespace']);
    expectError(() => ddl().dropNamespace(ADMIN, 'nope', { cascade: true }), 'NOT_FOUND');
  });
});

describe('createTable', () => {
  it('records the table with schema_version 1 and creates its partitions', () => {
    const shared = create({
      namespace: 'App',
      name: 'Docs',
      type: 'shared',
      columns: [
        { name: 'ID', type: 'text', primary_key: true },
        { name: 'Body', type: 'json' },
      ],
    });
    expect(shared).toEqual({
      namespace_id: 'app',
      table_name: 'docs',
      table_type: 'shared',
      columns: [
        { name: 'id', type: 'text', nullable: false, primary_key: true },
        { name: 'body', type: 'json', nullable: true, primary_key: false },
      ],
      access_level: 'private',
      storage_id: 'local',
      flush_policy: null,
      ttl_seconds: null,
      schema_version: 1,
      comment: null,
      created_at: 5_000,
      updated_at: 5_000,
    });
    expect(meta('app.docs')).toEqual(shared);
    create(todoTable('user', 'mine'));
    create(todoTable('stream', 'events', { ttl_seconds: 30, flush_policy: { row_limit: 100 }, comment: 'clicks' }));
    expect(meta('app.events')).toMatchObject({
      table_type: 'stream',
      ttl_seconds: 30,
      access_level: null,
      flush_policy: { row_limit: 100 },
      comment: 'clicks',
    });
    const parts = engine.backend.listPartitions();
    expect(parts).toEqual(
      expect.arrayContaining(['data.app.docs', 'data.app.docs:tombstones', 'data.app.mine', 'data.app.mine:tombstones', 'stream.app.events']),
    );
    expect(parts).not.toContain('data.app.events:tombstones');
  });

  it('names the field of every broken rule', () => {
    const base = todoTable('user', 'x');
    const cases: [Partial<CreateTableInput>, string[], RegExp][] = [
      [{ name: 'Bad-Name' }, ['name'], /lower-case/],
      [{ name: '_hidden' }, ['name'], /"_"/],
      [{ namespace: 'system' }, ['namespace'], /reserved/],
      [
        {
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: '_secret', type: 'text' },
          ],
        },
        ['columns.1.name'],
        /reserved for system columns/,
      ],
      [
        {
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: '_seq', type: 'integer' },
          ],
        },
        ['columns.1.name'],
        /reserved for system columns/,
      ],
      [
        {
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'ID', type: 'text' },
          ],
        },
        ['columns.1.name'],
        /duplicate column id/,
      ],
      [{ columns: [{ name: 'id', type: 'integer' }] }, ['columns'], /exactly one primary key column, found 0/],
      [
        {
          columns: [
            { name: 'a', type: 'integer', primary_key: true },
            { name: 'b', type: 'text', primary_key: true },
          ],
        },
        ['columns'],
        /found 2/,
      ],
      [{ columns: [{ name: 'id', type: 'integer', primary_key: true, nullable: true }] }, ['columns.0.nullable'], /cannot be nullable/],
      [{ columns: [{ name: 'id', type: 'json', primary_key: true }] }, ['columns.0.type'], /json column cannot be the primary key/],
      [{ columns: [{ name: 'id', type: 'integer', primary_key: true, default: 1 }] }, ['columns.0.default'], /cannot have a default/],
      [
        {
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'n', type: 'integer', default: 'x' },
          ],
        },
        ['columns.1.default'],
        /safe integer/,
      ],
      [
        {
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'n', type: 'text', nullable: false, default: null },
          ],
        },
        ['columns.1.default'],
        /must not be null/,
      ],
      [{ columns: [{ name: 'id', type: 'varchar' as 'text', primary_key: true }] }, ['columns.0.type'], /.+/],
      [{ columns: [] }, ['columns'], /at least one column/],
      [{ access_level: 'public' }, ['access_level'], /only applies to shared tables/],
      [{ ttl_seconds: 10 }, ['ttl_seconds'], /only applies to stream tables/],
      [{ storage_id: 'elsewhere' }, ['storage_id'], /does not exist/],
      [{ storage_id: 'a/b' }, ['storage_id'], /path separators/],
    ];
    for (const [change, fields, message] of cases) {
      const e = expectError(() => create({ ...base, ...change }), 'VALIDATION', fields);
      expect(issueOf(e, fields[0]!), JSON.stringify(change)).toMatch(message);
    }
    expectError(() => create({ ...todoTable('stream', 's'), ttl_seconds: undefined }), 'VALIDATION', ['ttl_seconds']);
    // several problems at once, all named
    expectError(() => create({ ...base, name: 'Bad-Name', columns: [{ name: '_a', type: 'text' }] }), 'VALIDATION', ['columns.0.name', 'name']);
    expectError(() => create({ ...base, name: 'Bad-Name', namespace: 'System', columns: [{ name: 'a', type: 'text' }] }), 'VALIDATION', [
      'namespace',
      'name',
      'columns',
    ]);
    expect(engine.system.tables.count()).toBe(0);
  });

  it('an unknown namespace is NOT_FOUND, an existing table ALREADY_EXISTS', () => {
    expectError(() => create({ ...todoTable('user'), namespace: 'nope' }), 'NOT_FOUND');
    create(todoTable('user', 'dup'));
    expectError(() => create(todoTable('shared', 'dup')), 'ALREADY_EXISTS');
    expect(meta('app.dup')?.table_type).toBe('user');
  });

  it('needs dba or system', () => {
    for (const subject of [as('alice'), as('svc', 'service'), { userId: null, role: 'anonymous' } as const]) {
      expectError(() => create(todoTable('user')) && ddl().createTable(subject, todoTable('user', 'other')), 'ACCESS_DENIED');
      expectError(() => ddl().createNamespace(subject, { name: 'n' }), 'ACCESS_DENIED');
      expectError(() => ddl().alterTable(subject, 'app.todos_user', { action: 'set_options', comment: 'x' }), 'ACCESS_DENIED');
      expectError(() => ddl().dropTable(subject, 'app.todos_user'), 'ACCESS_DENIED');
      expectError(() => ddl().dropNamespace(subject, 'app', { cascade: true }), 'ACCESS_DENIED');
      ddl().dropTable(ADMIN, 'app.todos_user');
    }
    expect(ddl().createTable(as('root', 'system'), todoTable('user')).table_name).toBe('todos_user');
  });
});

describe('alterTable', () => {
  beforeEach(() => {
    create(todoTable('user', 'todos'));
    engine.data.user(tid('app.todos')).insertRows(
      as('alice'),
      [1, 2, 3].map((id) => ({ id, title: `t${id}`, note: `n${id}` })),
    );
    engine.data.user(tid('app.todos')).deleteRow(as('alice'), 3);
  });
  const store = () => engine.data.user(tid('app.todos'));
  const rows = () => [...store().scanRows(as('alice'))].map(([, r]) => store().schema.values(r));

  it('bumps schema_version by one on every change, and updated_at', () => {
    const versions = [meta('app.todos')!.schema_version];
    clock.advance(1000);
    const changes = [
      { action: 'add_column', column: { name: 'due', type: 'timestamp' } },
      { action: 'rename_column', from: 'due', to: 'deadline' },
      { action: 'set_options', comment: 'mine', flush_policy: { interval_seconds: 60 } },
      { action: 'drop_column', name: 'deadline' },
    ];
    for (const change of changes) versions.push(ddl().alterTable(ADMIN, 'app.todos', change).schema_version);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(meta('app.todos')).toMatchObject({
      schema_version: 5,
      updated_at: 6_000,
      created_at: 5_000,
      comment: 'mine',
      flush_policy: { interval_seconds: 60 },
    });
  });

  it('add column: old rows read null (nullable) or the default; new rows write it', () => {
    ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'due', type: 'timestamp' } });
    ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'prio', type: 'integer', nullable: false, default: 3 } });
    ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'tags', type: 'json', nullable: false, default: [] } });
    expect(rows()).toEqual([
      { id: 1, title: 't1', done: false, note: 'n1', due: null, prio: 3, tags: [] },
      { id: 2, title: 't2', done: false, note: 'n2', due: null, prio: 3, tags: [] },
    ]);
    // the old rows were not rewritten
    expect(storedJson('app.todos').every((r) => !('prio' in r))).toBe(true);
    const fresh = store().insertRow(as('alice'), { id: 4, title: 't4', due: 9, prio: 1 });
    expect(store().schema.values(fresh)).toEqual({ id: 4, title: 't4', done: false, note: null, due: 9, prio: 1, tags: [] });
    const provider = engine.data.provider(tid('app.todos'));
    expect(provider.columns().map((c) => c.name)).toEqual(['_user', 'id', 'title', 'done', 'note', 'due', 'prio', 'tags', '_seq']);
    expect(provider.browse(as('alice'), { limit: 1 }).rows[0]!.values).toMatchObject({ prio: 3, due: null });
    // a patch of an old row completes it
    expect(store().updateRow(as('alice'), 1, { done: true }).prio).toBe(3);
  });

  it('add column rules', () => {
    const add = (column: object) => () => ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column });
    expect(issueOf(expectError(add({ name: 'prio', type: 'integer', nullable: false }), 'VALIDATION', ['column.default']), 'column.default')).toMatch(
      /needs a default/,
    );
    expectError(add({ name: 'title', type: 'text' }), 'VALIDATION', ['column.name']);
    expectError(add({ name: '_x', type: 'text' }), 'VALIDATION', ['column.name']);
    expectError(add({ name: 'k2', type: 'integer', primary_key: true }), 'VALIDATION', ['column.primary_key']);
    expectError(add({ name: 'n', type: 'integer', default: 'x' }), 'VALIDATION', ['column.default']);
    expect(meta('app.todos')!.schema_version).toBe(1);
  });

  it('drop column: rewrites the stored rows; the key cannot go; a re-added column starts empty', () => {
    ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'note' });
    expect(rows()).toEqual([
      { id: 1, title: 't1', done: false },
      { id: 2, title: 't2', done: false },
    ]);
    expect(storedJson('app.todos').some((r) => 'note' in r)).toBe(false);
    ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'note', type: 'integer' } });
    expect(rows().map((r) => r.note)).toEqual([null, null]);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'id' }), 'VALIDATION', ['name']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'nope' }), 'VALIDATION', ['name']);
    // rows keep their _seq: a rewrite is no write
    const seqs = storedJson('app.todos').map((r) => r._seq);
    ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'done' });
    expect(storedJson('app.todos').map((r) => r._seq)).toEqual(seqs);
  });

  it('a preview (a dry run its caller rolls back) checks the rules but rewrites no row', () => {
    const stored = storedJson('app.todos');
    const preview = ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'note' }, { preview: true });
    expect(preview.columns.map((c) => c.name)).not.toContain('note');
    expect(storedJson('app.todos')).toEqual(stored);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'drop_column', name: 'id' }, { preview: true }), 'VALIDATION', ['name']);
  });

  it('rename column: rows read under the new name, the key column too (tombstones included)', () => {
    ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'Title', to: 'Name' });
    expect(rows()).toEqual([
      { id: 1, name: 't1', done: false, note: 'n1' },
      { id: 2, name: 't2', done: false, note: 'n2' },
    ]);
    ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'id', to: 'todo_id' });
    expect(rows().map((r) => r.todo_id)).toEqual([1, 2]);
    expect(storedJson('app.todos').every((r) => 'todo_id' in r && !('id' in r))).toBe(true);
    expect(store().getRow(as('alice'), 2)?.name).toBe('t2');
    expect(store().getRow(as('alice'), 3)).toBeUndefined();
    store().insertRow(as('alice'), { todo_id: 3, name: 'back' });
    expect(store().countRows(as('alice'))).toBe(3);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'name', to: 'note' }), 'VALIDATION', ['to']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'name', to: 'name' }), 'VALIDATION', ['to']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'nope', to: 'x' }), 'VALIDATION', ['from']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'name', to: '_x' }), 'VALIDATION', ['to']);
  });

  it('options apply to the kinds of table they belong to', () => {
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'set_options', access_level: 'public' }), 'VALIDATION', ['access_level']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'set_options', ttl_seconds: 5 }), 'VALIDATION', ['ttl_seconds']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'set_options' }), 'VALIDATION', ['']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'set_options', flush_policy: {} }), 'VALIDATION', ['flush_policy']);
    expectError(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'explode' }), 'VALIDATION', ['action']);
    create(todoTable('shared', 'pub', { access_level: 'public' }));
    const pub = engine.data.shared(tid('app.pub'));
    pub.insertRow(ADMIN, { id: 1, title: 'x' });
    expect(pub.getRow(as('someone'), 1)).toBeDefined();
    ddl().alterTable(ADMIN, tid('app.pub'), { action: 'set_options', access_level: 'dba', comment: null });
    expect(engine.data.provider(tid('app.pub')).access).toBe('dba');
    expectError(() => engine.data.shared(tid('app.pub')).getRow(as('someone'), 1), 'ACCESS_DENIED');
  });

  it('a store opened before an ALTER refuses further use; after a drop it is NOT_FOUND', () => {
    const old = store();
    ddl().alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'x', type: 'text' } });
    expectError(() => old.getRow(as('alice'), 1), 'CONFLICT');
    expectError(() => old.insertRow(as('alice'), { id: 9, title: 'stale' }), 'CONFLICT');
    expect(store()).not.toBe(old);
    expect(store().getRow(as('alice'), 1)?.x).toBeNull();
    const current = store();
    ddl().dropTable(ADMIN, 'app.todos');
    expectError(() => current.getRow(as('alice'), 1), 'NOT_FOUND');
    // re-created under the same name (schema_version 1 again): still not the table the store was opened for
    create(todoTable('user', 'todos'));
    expectError(() => current.insertRow(as('alice'), { id: 1, title: 'x' }), 'CONFLICT');
    expect(store().countRows(ADMIN)).toBe(0);
  });

  it('is one transaction: a failing row rewrite leaves definition and rows as they were', () => {
    const before = storedJson('app.todos');
    const put = engine.backend.put.bind(engine.backend);
    let puts = 0;
    engine.backend.put = (p, k, v) => {
      if (p === 'data.app.todos' && ++puts === 2) throw new Error('disk full');
      put(p, k, v);
    };
    expect(() => ddl().alterTable(ADMIN, 'app.todos', { action: 'rename_column', from: 'title', to: 'name' })).toThrow('disk full');
    engine.backend.put = put;
    expect(meta('app.todos')!.schema_version).toBe(1);
    expect(storedJson('app.todos')).toEqual(before);
    expect(rows().map((r) => r.title)).toEqual(['t1', 't2']);
  });

  it('unknown and system tables are NOT_FOUND; a bad reference names the table field', () => {
    expectError(() => ddl().alterTable(ADMIN, 'app.nope', { action: 'set_options', comment: 'x' }), 'NOT_FOUND');
    expectError(() => ddl().alterTable(ADMIN, 'system.users', { action: 'set_options', comment: 'x' }), 'NOT_FOUND');
    expectError(() => ddl().dropTable(ADMIN, 'system.users'), 'NOT_FOUND');
    expectError(() => ddl().alterTable(ADMIN, 'no-dot', { action: 'set_options', comment: 'x' }), 'VALIDATION', ['table']);
  });

  it('works on stream rows as well', () => {
    create(todoTable('stream', 'events'));
    engine.data.stream(tid('app.events')).appendRow(as('bob'), { id: 1, title: 'e' });
    ddl().alterTable(ADMIN, 'app.events', { action: 'rename_column', from: 'title', to: 'label' });
    ddl().alterTable(ADMIN, 'app.events', { action: 'add_column', column: { name: 'n', type: 'double', default: 0.5 } });
    const [first] = [...engine.data.stream(tid('app.events')).scanRows(as('bob'))];
    const row = first![1];
    expect(row).toMatchObject({ label: 'e', n: 0.5 });
    expect(row.title).toBeUndefined();
  });
});

describe('dropTable', () => {
  it('removes the definition, the rows and the live queries; the name can be reused', () => {
    create(todoTable('user', 'todos'));
    engine.data.user(tid('app.todos')).insertRow(as('a'), { id: 1, title: 't' });
    engine.data.user(tid('app.todos')).deleteRow(as('a'), 1);
    engine.liveQueries.register({ user: uid('a'), connectionId: 'c1', subscriptionId: 's1', table: tid('app.todos') });
    create(todoTable('shared', 'keep'));
    engine.liveQueries.register({ user: uid('a'), connectionId: 'c1', subscriptionId: 's2', table: tid('app.keep') });
    ddl().dropTable(ADMIN, TableIdKey.parse('app.todos'));
    expect(meta('app.todos')).toBeUndefined();
    expect(engine.backend.hasPartition('data.app.todos')).toBe(false);
    expect(engine.backend.hasPartition(tombstonePartition(tid('app.todos')))).toBe(false);
    expect([...engine.system.liveQueries.scan()].map(([, q]) => q.subscription_id)).toEqual(['s2']);
    expectError(() => ddl().dropTable(ADMIN, 'app.todos'), 'NOT_FOUND');
    create(todoTable('user', 'todos'));
    expect(engine.data.user(tid('app.todos')).countRows(ADMIN)).toBe(0);
    expect(engine.data.user(tid('app.todos')).countHot()).toBe(0);
  });
});
