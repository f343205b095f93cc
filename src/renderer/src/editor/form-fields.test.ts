import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EDITABLE_SYSTEM_TABLES } from '../../../shared/forms';
import { formFields, humanize } from './form-fields';
import { changedFields, fromFormValues, toFormValues } from './form-values';
import { referenceChoices } from './reference-choices';

const byName = (schema: z.ZodType, first: string[] = []) => new Map(formFields(schema, first).map((f) => [f.name, f]));

describe('formFields', () => {
  it('derives user fields: text, email, selects, nullable and optional, password last', () => {
    const fields = formFields(EDITABLE_SYSTEM_TABLES.users.create, ['user_id']);
    expect(fields.map((f) => f.name)).toEqual(['user_id', 'username', 'email', 'role', 'auth_type', 'storage_mode', 'storage_id', 'password']);
    const f = new Map(fields.map((x) => [x.name, x]));
    expect(f.get('username')).toMatchObject({ control: 'text', nullable: false, optional: false, maxLength: 64 });
    expect(f.get('email')).toMatchObject({ control: 'email', nullable: true });
    expect(f.get('role')).toMatchObject({ control: 'select', options: ['user', 'service', 'dba', 'system'] });
    // A storage id is picked from system.storages, never typed.
    expect(f.get('storage_id')).toMatchObject({
      control: 'reference',
      references: 'system.storages',
      nullable: true,
      hint: 'Optional: choose “(none)” for none.',
    });
    expect(f.get('user_id')).toMatchObject({ control: 'text', optional: true, label: 'User ID' });
    expect(f.get('password')).toMatchObject({ control: 'password', optional: true, minLength: 8 });
  });

  it('edits records as JSON and keeps the key field first', () => {
    const f = formFields(EDITABLE_SYSTEM_TABLES.namespaces.create, ['namespace_id']);
    expect(f[0]).toMatchObject({ name: 'namespace_id', control: 'text', maxLength: 64 });
    expect(f.find((x) => x.name === 'options')).toMatchObject({ control: 'json' });
    expect(f.find((x) => x.name === 'comment')).toMatchObject({ control: 'textarea', nullable: true });
  });

  it('reads refined objects (storages) and plain types', () => {
    const f = byName(EDITABLE_SYSTEM_TABLES.storages.update);
    expect(f.get('storage_type')).toMatchObject({ control: 'select', options: ['filesystem'] });
    expect(f.get('base_directory')).toMatchObject({ control: 'text', minLength: 1 });
    const plain = byName(z.object({ enabled: z.boolean(), retries: z.number().int().default(3), tags: z.array(z.string()) }));
    expect(plain.get('enabled')?.control).toBe('checkbox');
    expect(plain.get('retries')).toMatchObject({ control: 'number', optional: true });
    expect(plain.get('tags')?.control).toBe('json');
  });

  it('offers referenced rows by key, labelled by their name when it says more', () => {
    const rows = [
      { key: 'local', values: { storage_id: 'local', storage_name: 'Local storage' } },
      { key: 'eu', values: { storage_id: 'eu', storage_name: 'eu' } },
      { key: 'x', values: { storage_id: 'x', storage_name: null } },
    ];
    expect(referenceChoices(rows, 'system.storages')).toEqual([
      { key: 'local', label: 'local — Local storage' },
      { key: 'eu', label: 'eu' },
      { key: 'x', label: 'x' },
    ]);
  });

  it('labels fields readably', () => {
    expect(humanize('shared_tables_template')).toBe('Shared tables template');
    expect(humanize('storage_id')).toBe('Storage ID');
  });
});

describe('form values', () => {
  const fields = formFields(EDITABLE_SYSTEM_TABLES.users.create, ['user_id']);

  it('round-trips a row through the form', () => {
    const row = {
      user_id: 'u1',
      username: 'alice',
      email: null,
      role: 'dba',
      auth_type: 'password',
      storage_mode: 'table',
      storage_id: null,
      password_hash: 'x',
    };
    const form = toFormValues(fields, row);
    expect(form).toMatchObject({ user_id: 'u1', email: '', role: 'dba', storage_id: '', password: '' });
    const { values, errors } = fromFormValues(fields, form);
    expect(errors).toEqual({});
    // Empty nullable → null; empty optional (password) → left out.
    expect(values).toEqual({ user_id: 'u1', username: 'alice', email: null, role: 'dba', auth_type: 'password', storage_mode: 'table', storage_id: null });
    expect(EDITABLE_SYSTEM_TABLES.users.create.safeParse(values).success).toBe(true);
  });

  it('starts new entities with first choices and empty texts; clone leaves the key out', () => {
    expect(toFormValues(fields)).toMatchObject({ username: '', role: 'user', auth_type: 'password', storage_mode: 'table' });
    expect(toFormValues(fields, { user_id: 'u1', username: 'bob' }, ['user_id'])).toMatchObject({ user_id: '', username: 'bob' });
  });

  it('parses JSON fields and reports bad JSON on the field', () => {
    const ns = formFields(EDITABLE_SYSTEM_TABLES.namespaces.create, ['namespace_id']);
    expect(toFormValues(ns, { namespace_id: 'app', options: { a: 1 }, comment: null }).options).toBe('{\n  "a": 1\n}');
    expect(fromFormValues(ns, { namespace_id: 'app', options: '{"a": [1, 2]}', comment: '' }).values).toEqual({
      namespace_id: 'app',
      options: { a: [1, 2] },
      comment: null,
    });
    expect(fromFormValues(ns, { namespace_id: 'app', options: '{oops', comment: '' }).errors).toEqual({ options: 'must be valid JSON' });
  });

  it('finds the fields that differ', () => {
    expect(changedFields(fields, { username: 'a', email: null }, { username: 'b', email: null })).toEqual(['username']);
  });
});
