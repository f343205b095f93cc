import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NamespaceIdSchema } from '../../shared/keys/namespace-id';
import { StorageIdSchema } from '../../shared/keys/storage-id';
import { TableNameSchema } from '../../shared/keys/table-id';
import type { TableMetadata } from '../../shared/system/tables';
import { auditEntries, expectError, type Harness, openHarness, rawDatabaseText, recording, snapshot } from './test-support';

const PASSWORD = 'correct horse battery staple';

const userValues = (extra: Record<string, unknown> = {}) => ({
  username: 'dana',
  email: 'dana@example.com',
  role: 'user',
  auth_type: 'password',
  storage_mode: 'table',
  storage_id: null,
  ...extra,
});

const storageValues = (extra: Record<string, unknown> = {}) => ({
  storage_id: 'archive',
  storage_name: 'Archive',
  description: null,
  storage_type: 'filesystem',
  base_directory: '/mnt/archive',
  shared_tables_template: '{namespace}/{tableName}',
  user_tables_template: '{namespace}/{tableName}/{userId}',
  ...extra,
});

function tableIn(namespace: string, table: string, storage = 'local'): TableMetadata {
  return {
    namespace_id: NamespaceIdSchema.parse(namespace),
    table_name: TableNameSchema.parse(table),
    table_type: 'shared',
    columns: [{ name: 'id', type: 'text', nullable: false, primary_key: true }],
    access_level: 'public',
    storage_id: StorageIdSchema.parse(storage),
    flush_policy: null,
    ttl_seconds: null,
    schema_version: 1,
    comment: null,
    created_at: 1,
    updated_at: 1,
  };
}

let h: Harness;
let responses: unknown[];
let client: Harness['client'];
beforeEach(() => {
  h = openHarness();
  responses = [];
  client = recording(h.client, responses);
});
afterEach(() => {
  // Nothing a procedure returned or threw ever carries a password hash.
  expect(responses.length).toBeGreaterThan(0);
  expect(JSON.stringify(responses)).not.toContain('$argon2');
  expect(JSON.stringify(responses)).not.toContain(PASSWORD);
  expect(h.logged).toEqual([]);
  h.close();
});

describe('entities.create', () => {
  it('creates a user with a generated id, defaults, timestamps and a hashed first password', async () => {
    const { row, version } = await client.entities.create({ table: 'system.users', values: userValues({ username: 'Dana', password: PASSWORD }) });
    expect(row.key).toMatch(/^u_[0-9a-z]{13}$/);
    expect(row.values).toMatchObject({
      user_id: row.key,
      username: 'dana',
      email: 'dana@example.com',
      role: 'user',
      auth_type: 'password',
      failed_login_attempts: 0,
      locked_until: null,
      last_login_at: null,
      deleted_at: null,
    });
    expect(row.values.created_at).toBe(row.values.updated_at);
    expect(row.values).not.toHaveProperty('password_hash');
    expect(row.values).not.toHaveProperty('password');
    expect(version).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const stored = h.engine.system.users.byUsername('dana' as never);
    expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('keeps a given user id; creating it twice is ALREADY_EXISTS', async () => {
    const { row } = await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana' }) });
    expect(row.key).toBe('u_dana');
    const e = await expectError(
      client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana', username: 'other' }) }),
      'ALREADY_EXISTS',
    );
    expect(e.message).toContain('u_dana');
  });

  it('a taken username is UNIQUE_VIOLATION naming the field, and nothing is written', async () => {
    await client.entities.create({ table: 'system.users', values: userValues() });
    const before = snapshot(h.engine);
    const e = await expectError(
      client.entities.create({ table: 'system.users', values: userValues({ username: 'DANA', email: 'x@example.com' }) }),
      'UNIQUE_VIOLATION',
    );
    expect(e.data).toEqual({ field: 'username' });
    expect(e.message).toBe('username "dana" is already taken');
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('an invalid email is VALIDATION on the field "email"', async () => {
    const before = snapshot(h.engine);
    const e = await expectError(client.entities.create({ table: 'system.users', values: userValues({ email: 'not-an-email' }) }), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'email', message: 'must be a valid email address' }] });
    expect(e.message).toBe('email: must be a valid email address');
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('names every invalid field, nested paths joined with "."', async () => {
    const e = await expectError(
      client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'System', comment: 5, options: { a: { b: () => 1 } } } }),
      'VALIDATION',
    );
    const fields = (e.data as { issues: { field: string }[] }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['comment', 'namespace_id', 'options.a']);
  });

  it('a password needs auth type password; a short one is refused before hashing', async () => {
    const oauth = await expectError(
      client.entities.create({ table: 'system.users', values: userValues({ auth_type: 'oauth', password: PASSWORD }) }),
      'VALIDATION',
    );
    expect(oauth.data).toMatchObject({ issues: [{ field: 'password' }] });
    const short = await expectError(client.entities.create({ table: 'system.users', values: userValues({ password: 'short' }) }), 'VALIDATION');
    expect(short.data).toEqual({ issues: [{ field: 'password', message: 'must be at least 8 characters' }] });
  });

  it('entity rules and references are checked: region storage needed, storage must exist', async () => {
    const region = await expectError(client.entities.create({ table: 'system.users', values: userValues({ storage_mode: 'region' }) }), 'VALIDATION');
    expect(region.data).toMatchObject({ issues: [{ field: 'storage_id', message: 'is required when storage_mode is region' }] });
    const missing = await expectError(client.entities.create({ table: 'system.users', values: userValues({ storage_id: 'nowhere' }) }), 'VALIDATION');
    expect(missing.data).toEqual({ issues: [{ field: 'storage_id', message: 'storage "nowhere" does not exist' }] });
    const ok = await client.entities.create({ table: 'system.users', values: userValues({ storage_mode: 'region', storage_id: 'local' }) });
    expect(ok.row.values.storage_id).toBe('local');
  });

  it('creates namespaces (name lower-cased, reserved names refused) and storages (templates checked)', async () => {
    const ns = await client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'Sales', comment: 'numbers', options: { retention: 30 } } });
    expect(ns.row).toMatchObject({ key: 'sales', values: { namespace_id: 'sales', comment: 'numbers', options: { retention: 30 } } });
    const reserved = await expectError(
      client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'system', comment: null, options: {} } }),
      'VALIDATION',
    );
    expect(reserved.data).toEqual({ issues: [{ field: 'namespace_id', message: 'is a reserved name' }] });

    const st = await client.entities.create({ table: 'system.storages', values: storageValues() });
    expect(st.row).toMatchObject({ key: 'archive', values: { storage_name: 'Archive', base_directory: '/mnt/archive' } });
    const bad = await expectError(
      client.entities.create({ table: 'system.storages', values: storageValues({ storage_id: 'b', user_tables_template: '{namespace}/{tableName}' }) }),
      'VALIDATION',
    );
    expect(bad.data).toEqual({ issues: [{ field: 'user_tables_template', message: 'must contain {userId}' }] });
  });

  it('tables the engine manages are read-only (ACCESS_DENIED); unknown tables are NOT_FOUND', async () => {
    for (const table of ['system.jobs', 'system.audit_log', 'system.tables', 'system.manifest', 'system.live_queries']) {
      const e = await expectError(client.entities.create({ table, values: {} }), 'ACCESS_DENIED');
      expect(e.message).toContain(`${table} is read-only`);
    }
    await expectError(client.entities.create({ table: 'system.nope', values: {} }), 'NOT_FOUND');
    await expectError(client.entities.create({ table: 'app.users', values: {} }), 'NOT_FOUND');
    await expectError(client.entities.delete({ table: 'system.audit_log', key: '0' }), 'ACCESS_DENIED');
    await expectError(client.entities.update({ table: 'system.jobs', key: 'FL-1', values: {}, version: 'v' }), 'ACCESS_DENIED');
  });
});

describe('entities.update', () => {
  async function createDana() {
    return client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana', password: PASSWORD }) });
  }

  it('saves the form fields at the version it was opened at; the version changes', async () => {
    const created = await createDana();
    const updated = await client.entities.update({
      table: 'system.users',
      key: 'u_dana',
      values: userValues({ email: 'dana@corp.example', role: 'dba' }),
      version: created.version,
    });
    expect(updated.row.values).toMatchObject({ email: 'dana@corp.example', role: 'dba', created_at: created.row.values.created_at });
    expect(updated.row.values.updated_at).toBeGreaterThan(created.row.values.updated_at as number);
    expect(updated.version).not.toBe(created.version);
    expect(await client.rows.get({ table: 'system.users', key: 'u_dana' })).toEqual(updated);
    // the engine's fields are not the form's: the password hash stays
    expect(h.engine.system.users.get('u_dana' as never)?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('a save over a version changed by another save is CONFLICT, leaving the stored entity unchanged', async () => {
    const opened = await createDana();
    const other = await client.entities.update({
      table: 'system.users',
      key: 'u_dana',
      values: userValues({ email: 'first@example.com' }),
      version: opened.version,
    });
    const before = snapshot(h.engine);
    const e = await expectError(
      client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ email: 'second@example.com' }), version: opened.version }),
      'CONFLICT',
    );
    expect(e.data).toEqual({ version: other.version });
    expect(e.message).toContain('system.users/u_dana was changed since it was opened');
    expect(snapshot(h.engine)).toEqual(before);
    expect((await client.rows.get({ table: 'system.users', key: 'u_dana' })).row.values.email).toBe('first@example.com');
  });

  it('overwrite saves over a newer version', async () => {
    const opened = await createDana();
    await client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ email: 'first@example.com' }), version: opened.version });
    const saved = await client.entities.update({
      table: 'system.users',
      key: 'u_dana',
      values: userValues({ email: 'mine@example.com' }),
      version: opened.version,
      overwrite: true,
    });
    expect(saved.row.values.email).toBe('mine@example.com');
  });

  it('a gone entity is NOT_FOUND (also with overwrite); a malformed key is VALIDATION on "key"', async () => {
    await expectError(client.entities.update({ table: 'system.users', key: 'u_ghost', values: userValues(), version: 'v1' }), 'NOT_FOUND');
    await expectError(client.entities.update({ table: 'system.users', key: 'u_ghost', values: userValues(), version: 'v1', overwrite: true }), 'NOT_FOUND');
    const e = await expectError(client.entities.update({ table: 'system.users', key: 'a/b', values: userValues(), version: 'v1' }), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'key', message: 'must not contain path separators (/ or \\)' }] });
  });

  it('renaming onto a taken username is UNIQUE_VIOLATION; invalid fields are VALIDATION', async () => {
    const dana = await createDana();
    const e = await expectError(
      client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ username: 'root' }), version: dana.version }),
      'UNIQUE_VIOLATION',
    );
    expect(e.data).toEqual({ field: 'username' });
    const v = await expectError(
      client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ email: 'nope' }), version: dana.version }),
      'VALIDATION',
    );
    expect(v.data).toMatchObject({ issues: [{ field: 'email' }] });
  });

  it('leaving password authentication drops the password', async () => {
    const dana = await createDana();
    await client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ auth_type: 'oauth' }), version: dana.version });
    expect(h.engine.system.users.get('u_dana' as never)?.password_hash).toBeNull();
  });

  it('updates namespaces and storages', async () => {
    const ns = await client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'sales', comment: null, options: {} } });
    const ns2 = await client.entities.update({
      table: 'system.namespaces',
      key: 'sales',
      values: { comment: 'renamed', options: { x: [1, 2] } },
      version: ns.version,
    });
    expect(ns2.row.values).toMatchObject({ namespace_id: 'sales', comment: 'renamed', options: { x: [1, 2] } });
    const local = await client.rows.get({ table: 'system.storages', key: 'local' });
    const { created_at: _c, updated_at: _u, storage_id: _id, ...form } = local.row.values;
    const st = await client.entities.update({ table: 'system.storages', key: 'local', values: { ...form, description: 'Moved' }, version: local.version });
    expect(st.row.values).toMatchObject({ storage_id: 'local', description: 'Moved' });
  });
});

describe('entities.delete', () => {
  it('soft-deletes a user: the row stays with deleted_at, the username is free again', async () => {
    const dana = await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana' }) });
    expect(await client.entities.delete({ table: 'system.users', key: 'u_dana', version: dana.version })).toEqual({ deleted: true });
    const row = await client.rows.get({ table: 'system.users', key: 'u_dana' });
    expect(row.row.values.deleted_at).toEqual(expect.any(Number));
    await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana2' }) });
    await expectError(client.entities.delete({ table: 'system.users', key: 'u_dana' }), 'NOT_FOUND');
  });

  it('checks the version when given (CONFLICT), refuses the root user (IN_USE) and a missing key (NOT_FOUND)', async () => {
    await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana' }) });
    const before = snapshot(h.engine);
    const e = await expectError(client.entities.delete({ table: 'system.users', key: 'u_dana', version: 'stale' }), 'CONFLICT');
    expect(e.data).toEqual({ version: (await client.rows.get({ table: 'system.users', key: 'u_dana' })).version });
    await expectError(client.entities.delete({ table: 'system.users', key: 'root' }), 'IN_USE');
    await expectError(client.entities.delete({ table: 'system.users', key: 'u_nobody' }), 'NOT_FOUND');
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('a namespace with tables needs cascade; cascading drops and audits its tables', async () => {
    await client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'app', comment: null, options: {} } });
    h.engine.system.tables.insert(tableIn('app', 'messages'));
    h.engine.system.tables.insert(tableIn('app', 'rooms'));
    const before = snapshot(h.engine);
    const e = await expectError(client.entities.delete({ table: 'system.namespaces', key: 'app' }), 'IN_USE');
    expect(e.message).toContain('has 2 table(s)');
    expect(snapshot(h.engine)).toEqual(before);

    await client.entities.delete({ table: 'system.namespaces', key: 'app', cascade: true });
    await expectError(client.rows.get({ table: 'system.namespaces', key: 'app' }), 'NOT_FOUND');
    expect(h.engine.system.tables.count()).toBe(0);
    expect(
      auditEntries(h.engine)
        .slice(-3)
        .map((a) => [a.action, a.target]),
    ).toEqual([
      ['tables.delete', 'system.tables/app.messages'],
      ['tables.delete', 'system.tables/app.rooms'],
      ['namespaces.delete', 'system.namespaces/app'],
    ]);
  });

  it('storages: the default one and used ones cannot be dropped; an unused one can', async () => {
    await expectError(client.entities.delete({ table: 'system.storages', key: 'local' }), 'IN_USE');
    await client.entities.create({ table: 'system.storages', values: storageValues() });
    h.engine.system.tables.insert(tableIn('app', 'files', 'archive'));
    const e = await expectError(client.entities.delete({ table: 'system.storages', key: 'archive' }), 'IN_USE');
    expect(e.message).toContain('app.files');
    h.engine.system.tables.delete({ namespace: 'app', table: 'files' } as never);
    await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_r', storage_mode: 'region', storage_id: 'archive' }) });
    const byUser = await expectError(client.entities.delete({ table: 'system.storages', key: 'archive' }), 'IN_USE');
    expect(byUser.message).toContain('user dana');
    const dana = await client.rows.get({ table: 'system.users', key: 'u_r' });
    await client.entities.update({ table: 'system.users', key: 'u_r', values: userValues(), version: dana.version });
    expect(await client.entities.delete({ table: 'system.storages', key: 'archive' })).toEqual({ deleted: true });
  });
});

describe('entities.setPassword', () => {
  it('hashes and stores the password, switching the user to password auth, without the hash leaving', async () => {
    const before = await client.rows.get({ table: 'system.users', key: 'root' });
    const after = await client.entities.setPassword({ userId: 'root', password: PASSWORD });
    expect(after.row.values.auth_type).toBe('password');
    expect(after.version).not.toBe(before.version);
    expect(h.engine.system.users.get('root' as never)?.password_hash).toMatch(/^\$argon2id\$/);
    const entry = auditEntries(h.engine).at(-1)!;
    expect(entry).toMatchObject({ action: 'users.setPassword', target: 'system.users/root', actor_user_id: 'root', actor_role: 'system' });
  });

  it('a weak password is VALIDATION on "password"; an unknown or deleted user NOT_FOUND', async () => {
    const e = await expectError(client.entities.setPassword({ userId: 'root', password: 'short' }), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'password', message: 'must be at least 8 characters' }] });
    await expectError(client.entities.setPassword({ userId: 'u_nobody', password: PASSWORD }), 'NOT_FOUND');
    await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana' }) });
    await client.entities.delete({ table: 'system.users', key: 'u_dana' });
    await expectError(client.entities.setPassword({ userId: 'u_dana', password: PASSWORD }), 'NOT_FOUND');
  });
});

describe('the audit trail', () => {
  it('one entry per save, in the same commit, with actor, action, target and secret-free summaries', async () => {
    const start = auditEntries(h.engine).length;
    const created = await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana', password: PASSWORD }) });
    const updated = await client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ role: 'service' }), version: created.version });
    await client.entities.setPassword({ userId: 'u_dana', password: `${PASSWORD}!` });
    await client.entities.delete({ table: 'system.users', key: 'u_dana' });
    // failed saves leave no entry
    await expectError(client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues(), version: updated.version }), 'CONFLICT');

    const entries = auditEntries(h.engine).slice(start);
    expect(entries.map((e) => e.action)).toEqual(['users.create', 'users.update', 'users.setPassword', 'users.delete']);
    for (const e of entries) expect(e).toMatchObject({ actor_user_id: 'root', actor_role: 'system', target: 'system.users/u_dana' });
    expect(entries[0]!.before).toBeNull();
    expect(entries[0]!.after).toMatchObject({ user_id: 'u_dana', username: 'dana', role: 'user' });
    expect(entries[0]!.at).toBe(created.row.values.created_at);
    expect(entries[1]!.before).toMatchObject({ role: 'user' });
    expect(entries[1]!.after).toMatchObject({ role: 'service' });
    expect(entries[3]!.after).toBeNull();
    const text = JSON.stringify(entries) + rawDatabaseText(h.engine, ['system.audit_log']);
    expect(text).not.toContain('password_hash');
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain(PASSWORD);
  });
});

describe('read-only mode', () => {
  it('rejects every write procedure with READ_ONLY and changes nothing', async () => {
    const dana = await client.entities.create({ table: 'system.users', values: userValues({ user_id: 'u_dana' }) });
    await client.engine.setReadOnly({ readOnly: true });
    const before = snapshot(h.engine);
    const writes = [
      client.entities.create({ table: 'system.users', values: userValues({ username: 'eve' }) }),
      client.entities.create({ table: 'system.jobs', values: {} }),
      client.entities.update({ table: 'system.users', key: 'u_dana', values: userValues({ role: 'dba' }), version: dana.version }),
      client.entities.delete({ table: 'system.users', key: 'u_dana' }),
      client.entities.delete({ table: 'system.namespaces', key: 'nothing', cascade: true }),
      client.entities.setPassword({ userId: 'u_dana', password: PASSWORD }),
      client.indexes.rebuild({ table: 'system.users', index: 'username' }),
    ];
    for (const write of writes) {
      const e = await expectError(write, 'READ_ONLY');
      expect(e.message).toContain('read-only mode');
    }
    expect(snapshot(h.engine)).toEqual(before);
    // reads still work, and turning it off allows writes again
    expect((await client.rows.count({ table: 'system.users' })).count).toBe(2);
    await client.engine.setReadOnly({ readOnly: false });
    await client.entities.delete({ table: 'system.users', key: 'u_dana' });
  });

  it('can start on (from the options)', async () => {
    const ro = openHarness({ readOnly: true });
    try {
      expect((await ro.client.engine.info()).readOnly).toBe(true);
      await expectError(ro.client.entities.create({ table: 'system.namespaces', values: { namespace_id: 'x', comment: null, options: {} } }), 'READ_ONLY');
      responses.push('(other harness)');
    } finally {
      ro.close();
    }
  });
});
