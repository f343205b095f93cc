import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contractProcedures } from '../../shared/contract/procedures';
import { DataTableProvider } from '../engine/tables/data-table-provider';
import { SystemCatalog } from './catalog';
import { seedDemo } from './demo';
import { type Harness, openHarness, rejection, snapshot } from './test-support';

/**
 * A write that reports an error has not committed. For every write procedure (the list is checked
 * against the contract's `writes` marks, so a new one cannot slip past), each way it
 * can fail is tried: bad input, an engine rule found inside the transaction, a failure after the
 * store writes (the audit entry), and where the response was built after the commit before, a
 * response that cannot be delivered. Every partition is compared through the engine before/after.
 */

const PASSWORD = 'correct horse battery staple';

let h: Harness;
beforeEach(async () => {
  h = openHarness();
  seedDemo(h.engine);
  const c = h.client;
  await c.ddl.createNamespace({ name: 'app' });
  await c.ddl.createTable({
    namespace: 'app',
    name: 'items',
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', nullable: false },
      { name: 'doc', type: 'json' },
    ],
  });
  await c.rows.create({ table: 'app.items', values: { id: 1, name: 'bolt' } });
  await c.rows.create({ table: 'demo.notes', user: 'u_bob', values: { id: 50, title: 'mine' } });
  await c.entities.create({
    table: 'system.users',
    values: { user_id: 'u_dana', username: 'dana', email: null, role: 'user', auth_type: 'password', storage_mode: 'table', storage_id: null },
  });
  await c.entities.create({
    table: 'system.users',
    values: { user_id: 'u_gone', username: 'gone', email: null, role: 'user', auth_type: 'password', storage_mode: 'table', storage_id: null },
  });
  await c.entities.delete({ table: 'system.users', key: 'u_gone' });
});
afterEach(() => {
  vi.restoreAllMocks();
  h.close();
});

type Client = Harness['client'];

interface FailingCall {
  readonly what: string;
  readonly call: (c: Client) => Promise<unknown>;
  /** Breaks something for this call only (restored after it). */
  readonly inject?: () => void;
}

const versionOf = async (table: string, key: string) => (await h.client.rows.get({ table, key })).version;

/** Every later audit append fails, as a full disk would: the store writes of the call came first. */
const auditFails = () =>
  vi.spyOn(h.engine.system.auditLog, 'append').mockImplementation(() => {
    throw new Error('disk full');
  });

/**
 * Row responses the transport would refuse after the handler returns (an empty version fails the
 * output schema), while the audit entry, made of the same row, is fine: before, the row committed
 * and the caller got a 500.
 */
const rowResponseRefused = () => {
  const toRow = Reflect.get<DataTableProvider, 'toRow'>(DataTableProvider.prototype, 'toRow');
  return vi.spyOn(DataTableProvider.prototype, 'toRow').mockImplementation(function (this: DataTableProvider, ...args) {
    const row = toRow.apply(this, args);
    return { ...row, version: '' };
  });
};

/** The read-back of an entity's response fails (it used to run after the commit). */
const entityResponseFails = () =>
  vi.spyOn(SystemCatalog.prototype, 'versionedRow').mockImplementation(() => {
    throw new Error('read-back failed');
  });

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

const USER = (extra: Record<string, unknown>) => ({ email: null, role: 'user', auth_type: 'password', storage_mode: 'table', storage_id: null, ...extra });

/**
 * Procedures that change state without the contract's `writes` mark: job bookkeeping (allowed in
 * read-only mode, which is what the mark decides) and the read-only switch itself.
 */
const UNMARKED_WRITES = ['engine.setReadOnly', 'jobs.start', 'jobs.cancel', 'jobs.retry', 'io.export'];

const WRITES: Record<string, Record<string, readonly FailingCall[]>> = {
  rows: {
    create: [
      { what: 'a value of the wrong type', call: (c) => c.rows.create({ table: 'app.items', values: { id: 2, name: 3 } }) },
      { what: 'a JSON value nested too deep', call: (c) => c.rows.create({ table: 'app.items', values: { id: 2, name: 'x', doc: nested(1000) } }) },
      { what: 'a key that exists', call: (c) => c.rows.create({ table: 'app.items', values: { id: 1, name: 'again' } }) },
      { what: 'an owner given by username', call: (c) => c.rows.create({ table: 'demo.notes', user: 'bob', values: { id: 51, title: 'x' } }) },
      { what: 'a deleted owner', call: (c) => c.rows.create({ table: 'demo.notes', user: 'u_gone', values: { id: 51, title: 'x' } }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.rows.create({ table: 'app.items', values: { id: 2, name: 'nut' } }) },
      {
        what: 'the response cannot be delivered',
        inject: rowResponseRefused,
        call: (c) => c.rows.create({ table: 'app.items', values: { id: 2, name: 'nut' } }),
      },
    ],
    update: [
      { what: 'a stale version', call: (c) => c.rows.update({ table: 'app.items', key: '1', values: { name: 'x' }, version: '1' }) },
      {
        what: 'a value of the wrong type',
        call: async (c) => c.rows.update({ table: 'app.items', key: '1', values: { name: 4 }, version: await versionOf('app.items', '1') }),
      },
      {
        what: 'the audit entry fails',
        inject: auditFails,
        call: async (c) => c.rows.update({ table: 'app.items', key: '1', values: { name: 'x' }, version: await versionOf('app.items', '1') }),
      },
      {
        what: 'the response cannot be delivered',
        inject: rowResponseRefused,
        call: (c) => c.rows.update({ table: 'app.items', key: '1', values: { name: 'x' }, version: '0', overwrite: true }),
      },
    ],
    delete: [
      { what: 'a stale version', call: (c) => c.rows.delete({ table: 'app.items', key: '1', version: '1' }) },
      { what: 'a missing row', call: (c) => c.rows.delete({ table: 'app.items', key: '99' }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.rows.delete({ table: 'demo.notes', key: 'u_bob/50' }) },
    ],
  },
  entities: {
    create: [
      {
        what: 'an email too long',
        call: (c) => c.entities.create({ table: 'system.users', values: USER({ username: 'eve', email: `${'e'.repeat(5000)}@example.com` }) }),
      },
      { what: 'a taken username', call: (c) => c.entities.create({ table: 'system.users', values: USER({ username: 'dana' }) }) },
      { what: 'a relative storage folder', call: (c) => c.entities.create({ table: 'system.storages', values: storage('C:\\x') }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.entities.create({ table: 'system.users', values: USER({ username: 'eve' }) }) },
      {
        what: 'the response cannot be read back',
        inject: entityResponseFails,
        call: (c) => c.entities.create({ table: 'system.users', values: USER({ username: 'eve' }) }),
      },
    ],
    update: [
      {
        what: 'a stale version',
        call: (c) => c.entities.update({ table: 'system.users', key: 'u_dana', values: USER({ username: 'dana2' }), version: 'stale' }),
      },
      {
        what: 'a deleted user',
        call: (c) => c.entities.update({ table: 'system.users', key: 'u_gone', values: USER({ username: 'gone' }), version: 'x', overwrite: true }),
      },
      {
        what: 'a taken username',
        call: (c) => c.entities.update({ table: 'system.users', key: 'u_dana', values: USER({ username: 'alice' }), version: 'x', overwrite: true }),
      },
      {
        what: 'the audit entry fails',
        inject: auditFails,
        call: (c) => c.entities.update({ table: 'system.users', key: 'u_dana', values: USER({ username: 'dana2' }), version: 'x', overwrite: true }),
      },
      {
        what: 'the response cannot be read back',
        inject: entityResponseFails,
        call: (c) => c.entities.update({ table: 'system.users', key: 'u_dana', values: USER({ username: 'dana2' }), version: 'x', overwrite: true }),
      },
    ],
    delete: [
      { what: 'the root user', call: (c) => c.entities.delete({ table: 'system.users', key: 'root' }) },
      { what: 'a namespace with tables, without cascade', call: (c) => c.entities.delete({ table: 'system.namespaces', key: 'app' }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.entities.delete({ table: 'system.users', key: 'u_dana' }) },
      {
        what: 'the audit entry of a cascade fails',
        inject: auditFails,
        call: (c) => c.entities.delete({ table: 'system.namespaces', key: 'app', cascade: true }),
      },
    ],
    setPassword: [
      { what: 'a weak password', call: (c) => c.entities.setPassword({ userId: 'u_dana', password: 'short' }) },
      { what: 'a deleted user', call: (c) => c.entities.setPassword({ userId: 'u_gone', password: PASSWORD }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.entities.setPassword({ userId: 'u_dana', password: PASSWORD }) },
      { what: 'the response cannot be read back', inject: entityResponseFails, call: (c) => c.entities.setPassword({ userId: 'u_dana', password: PASSWORD }) },
    ],
  },
  ddl: {
    createNamespace: [
      { what: 'an existing namespace', call: (c) => c.ddl.createNamespace({ name: 'app' }) },
      { what: 'options nested too deep', call: (c) => c.ddl.createNamespace({ name: 'deep', options: { a: nested(100) as never } }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.ddl.createNamespace({ name: 'other' }) },
    ],
    dropNamespace: [
      { what: 'tables without cascade', call: (c) => c.ddl.dropNamespace({ name: 'app' }) },
      { what: 'the audit entry of a cascade fails', inject: auditFails, call: (c) => c.ddl.dropNamespace({ name: 'app', cascade: true }) },
    ],
    createTable: [
      {
        what: 'a column named constructor',
        call: (c) =>
          c.ddl.createTable({
            namespace: 'app',
            name: 't',
            type: 'shared',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'constructor', type: 'text' },
            ],
          }),
      },
      {
        what: 'the audit entry fails',
        inject: auditFails,
        call: (c) => c.ddl.createTable({ namespace: 'app', name: 't', type: 'user', columns: [{ name: 'id', type: 'integer', primary_key: true }] }),
      },
    ],
    alterTable: [
      {
        what: 'a rename to a reserved name',
        call: (c) => c.ddl.alterTable({ table: 'app.items', change: { action: 'rename_column', from: 'name', to: 'prototype' } }),
      },
      {
        what: 'the audit entry of a rewrite fails',
        inject: auditFails,
        call: (c) => c.ddl.alterTable({ table: 'app.items', change: { action: 'drop_column', name: 'name' } }),
      },
    ],
    dropTable: [
      { what: 'a missing table', call: (c) => c.ddl.dropTable({ table: 'app.missing' }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.ddl.dropTable({ table: 'app.items' }) },
    ],
  },
  indexes: {
    rebuild: [
      { what: 'a missing index', call: (c) => c.indexes.rebuild({ table: 'system.users', index: 'nope' }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.indexes.rebuild({ table: 'system.users', index: 'username' }) },
    ],
  },
  engine: {
    setReadOnly: [{ what: 'the audit entry fails', inject: auditFails, call: (c) => c.engine.setReadOnly({ readOnly: true }) }],
  },
  jobs: {
    start: [
      { what: 'a missing table', call: (c) => c.jobs.start({ type: 'flush', table: 'app.missing' }) },
      { what: 'a stream table', call: (c) => c.jobs.start({ type: 'flush', table: 'demo.events' }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.jobs.start({ type: 'flush', table: 'app.items' }) },
      { what: 'the audit entries of a flush of every table fail', inject: auditFails, call: (c) => c.jobs.start({ type: 'flush_all' }) },
    ],
    cancel: [{ what: 'an unknown job', call: (c) => c.jobs.cancel({ id: 'FL-nope' }) }],
    retry: [{ what: 'an unknown job', call: (c) => c.jobs.retry({ id: 'FL-nope' }) }],
  },
  // The harness cannot switch (NOT_FOUND); a refused path in a real session: data-dirs.test.ts.
  dataDirs: {
    create: [
      { what: 'a path that is not absolute', call: (c) => c.dataDirs.create({ path: 'relative/dir', demo: false }) },
      { what: 'a plain user', call: (c) => c.dataDirs.create({ path: '/tmp/kalam-new-dir', demo: true, as: { userId: 'u_bob' } }) },
    ],
  },
  io: {
    export: [
      { what: 'a missing table', call: (c) => c.io.export({ table: 'app.missing', file: '/tmp/kalam-out.csv', format: 'csv' }) },
      {
        what: 'a table the subject may not read',
        call: (c) => c.io.export({ table: 'system.users', file: '/tmp/kalam-out.csv', format: 'csv', as: { userId: 'u_bob' } }),
      },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.io.export({ table: 'app.items', file: '/tmp/kalam-out.csv', format: 'csv' }) },
      {
        what: 'a write statement as the query',
        call: (c) => c.io.export({ source: { kind: 'sql', sql: 'DELETE FROM app.items' }, file: '/tmp/kalam-out.csv', format: 'csv' }),
      },
      {
        what: 'a query the subject may not run',
        call: (c) =>
          c.io.export({ source: { kind: 'sql', sql: 'SELECT * FROM system.users' }, file: '/tmp/kalam-out.csv', format: 'csv', as: { userId: 'u_bob' } }),
      },
      {
        what: "the audit entry of a query's export fails",
        inject: auditFails,
        call: (c) => c.io.export({ source: { kind: 'sql', sql: 'SELECT * FROM app.items' }, file: '/tmp/kalam-out.csv', format: 'csv' }),
      },
    ],
    import: [
      { what: 'a missing table', call: (c) => c.io.import({ table: 'app.missing', file: '/tmp/kalam-none.csv' }) },
      { what: 'a table the subject may not write', call: (c) => c.io.import({ table: 'app.items', file: '/tmp/kalam-none.csv', as: { userId: 'u_bob' } }) },
      { what: 'the audit entry fails', inject: auditFails, call: (c) => c.io.import({ table: 'app.items', file: '/tmp/kalam-none.csv' }) },
    ],
  },
};

function storage(base: string) {
  return {
    storage_id: 'archive',
    storage_name: 'Archive',
    description: null,
    storage_type: 'filesystem',
    base_directory: base,
    shared_tables_template: '{namespace}/{tableName}',
    user_tables_template: '{namespace}/{tableName}/{userId}',
  };
}

describe('a write that reports an error has not committed', () => {
  it('the cases below cover every write procedure of the contract', () => {
    const writes = contractProcedures()
      .filter((p) => p.meta.writes || UNMARKED_WRITES.includes(p.path))
      .map((p) => p.path);
    const covered = Object.entries(WRITES).flatMap(([ns, procedures]) => Object.keys(procedures).map((p) => `${ns}.${p}`));
    expect(covered.sort()).toEqual(writes.sort());
  });

  for (const [ns, procedures] of Object.entries(WRITES)) {
    for (const [procedure, cases] of Object.entries(procedures)) {
      it(`${ns}.${procedure}: ${cases.map((c) => c.what).join('; ')}`, async () => {
        for (const failing of cases) {
          const before = { partitions: snapshot(h.engine), readOnly: h.engine.readOnly.enabled };
          failing.inject?.();
          const error = await rejection(failing.call(h.client));
          vi.restoreAllMocks();
          expect(error.message, failing.what).not.toBe('');
          const after = { partitions: snapshot(h.engine), readOnly: h.engine.readOnly.enabled };
          expect(after, `${ns}.${procedure}: ${failing.what} (${error.code}: ${error.message})`).toEqual(before);
        }
      });
    }
  }
});
